package org.stacktician.cloudstack.client;

import java.time.Duration;

/** An async job was still pending when the caller's time-out ran out; the job may still finish. */
public final class AsyncJobTimeoutException extends CloudStackException {

  private final String jobId;
  private final Duration timeout;

  public AsyncJobTimeoutException(String command, String jobId, Duration timeout) {
    super(command, "CloudStack async job " + jobId + (command == null ? "" : " (" + command + ")")
        + " did not finish within " + timeout + "; it may still complete on the server", null);
    this.jobId = jobId;
    this.timeout = timeout;
  }

  public String jobId() {
    return jobId;
  }

  public Duration timeout() {
    return timeout;
  }
}
