package org.stacktician.cloudstack.simulator.http;

/** One HTTP answer of the API endpoint, or an instruction to drop the connection instead. */
public record ApiResponse(int status, String contentType, byte[] body, String description, boolean drop) {
  public static final String JSON = "application/json; charset=UTF-8";
  public static final String XML = "text/xml; charset=UTF-8";

  public static ApiResponse dropped() {
    return new ApiResponse(0, null, new byte[0], null, true);
  }
}
