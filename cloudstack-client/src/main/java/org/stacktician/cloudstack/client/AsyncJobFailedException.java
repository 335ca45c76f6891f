package org.stacktician.cloudstack.client;

/** An async job finished with {@code jobstatus} 2; carries the job's error code and text. */
public final class AsyncJobFailedException extends CloudStackException {

  private final String jobId;
  private final int errorCode;
  private final String errorText;

  public AsyncJobFailedException(String command, String jobId, int errorCode, String errorText) {
    super(command, "CloudStack async job " + jobId + (command == null ? "" : " (" + command + ")")
        + " failed with errorcode " + errorCode + ": " + errorText, null);
    this.jobId = jobId;
    this.errorCode = errorCode;
    this.errorText = errorText;
  }

  public String jobId() {
    return jobId;
  }

  public int errorCode() {
    return errorCode;
  }

  public String errorText() {
    return errorText;
  }
}
