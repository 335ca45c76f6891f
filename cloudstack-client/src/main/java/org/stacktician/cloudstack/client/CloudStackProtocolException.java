package org.stacktician.cloudstack.client;

/** The endpoint answered with something that is not a CloudStack JSON response. */
public final class CloudStackProtocolException extends CloudStackException {

  public CloudStackProtocolException(String command, String message, Throwable cause) {
    super(command, message, cause);
  }
}
