package org.stacktician.cloudstack.client;

/**
 * No CloudStack answer: the endpoint could not be reached, the connection dropped or timed out.
 * Raised only when the request was safe to have failed (nothing state-changing may have happened);
 * otherwise {@link CloudStackOutcomeUnknownException} is raised.
 */
public final class CloudStackTransportException extends CloudStackException {

  public CloudStackTransportException(String command, String message, Throwable cause) {
    super(command, message, cause);
  }
}
