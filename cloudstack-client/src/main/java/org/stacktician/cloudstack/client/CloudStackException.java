package org.stacktician.cloudstack.client;

/** Root of every failure the CloudStack client reports. */
public abstract sealed class CloudStackException extends RuntimeException
    permits CloudStackApiException, CloudStackTransportException, CloudStackOutcomeUnknownException,
        AsyncJobFailedException, AsyncJobTimeoutException, CloudStackProtocolException {

  private final String command;

  protected CloudStackException(String command, String message, Throwable cause) {
    super(message, cause);
    this.command = command;
  }

  /** The API command that failed (e.g. {@code deployVirtualMachine}). */
  public String command() {
    return command;
  }
}
