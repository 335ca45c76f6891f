package org.stacktician.cloudstack.client;

import java.util.Map;

/**
 * CloudStack answered with an error (HTTP status = the API error code, e.g. 401, 431, 432, 530,
 * 533, 536). The parameters are the request's with secrets redacted.
 */
public final class CloudStackApiException extends CloudStackException {

  private final int httpStatus;
  private final int errorCode;
  private final int csErrorCode;
  private final String errorText;
  private final Map<String, String> redactedParams;

  public CloudStackApiException(int httpStatus, int errorCode, int csErrorCode, String errorText, String command,
      Map<String, String> redactedParams) {
    super(command, message(httpStatus, errorCode, csErrorCode, errorText, command, redactedParams), null);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.csErrorCode = csErrorCode;
    this.errorText = errorText;
    this.redactedParams = Map.copyOf(redactedParams);
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** CloudStack's {@code errorcode} (ApiErrorCode), 0 when the body had none. */
  public int errorCode() {
    return errorCode;
  }

  /** CloudStack's {@code cserrorcode} (the exception class code, e.g. 4350), 0 when absent. */
  public int csErrorCode() {
    return csErrorCode;
  }

  public String errorText() {
    return errorText;
  }

  /** The request parameters with secrets (apiKey, signature, passwords, keys, userdata) redacted. */
  public Map<String, String> redactedParams() {
    return redactedParams;
  }

  /** True for 401: wrong API key or secret key, or an expired / badly signed request. */
  public boolean isAuthenticationFailure() {
    return httpStatus == 401 || errorCode == 401;
  }

  private static String message(int httpStatus, int errorCode, int csErrorCode, String errorText, String command,
      Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    sb.append("CloudStack ").append(command).append(" failed with HTTP ").append(httpStatus);
    if (errorCode != 0) {
      sb.append(" (errorcode ").append(errorCode);
      if (csErrorCode != 0) {
        sb.append(", cserrorcode ").append(csErrorCode);
      }
      sb.append(')');
    }
    sb.append(": ").append(errorText == null || errorText.isBlank() ? "(no error text)" : errorText);
    if (httpStatus == 401 || errorCode == 401) {
      sb.append(" -- check the API key and secret key (and the clock, for signature version 3 expiry)");
    }
    if (!params.isEmpty()) {
      sb.append("; parameters ").append(params);
    }
    return sb.toString();
  }
}
