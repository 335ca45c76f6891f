package org.stacktician.cloudstack.client;

import java.util.Map;

/**
 * A state-changing request was (possibly) delivered but no answer came back: CloudStack may or
 * may not have acted. The client never resubmits such a request; the caller must reconcile
 * (e.g. list by name or tag) before trying again.
 */
public final class CloudStackOutcomeUnknownException extends CloudStackException {

  private final Map<String, String> redactedParams;

  public CloudStackOutcomeUnknownException(String command, Map<String, String> redactedParams, String message,
      Throwable cause) {
    super(command, message, cause);
    this.redactedParams = Map.copyOf(redactedParams);
  }

  /** The request parameters with secrets redacted. */
  public Map<String, String> redactedParams() {
    return redactedParams;
  }
}
