package org.stacktician.engine.waitcondition;

import java.time.Instant;
import java.util.Objects;

/**
 * One signal sent to a wait-condition handle (cfn-signal's PUT body), or one custom-resource
 * response stored through the same {@link SignalStore}.
 *
 * @param status SUCCESS or FAILURE (a custom resource's FAILED is stored as FAILURE)
 * @param reason the sender's reason text ("" when absent)
 * @param uniqueId the sender's UniqueId; a later signal with the same id replaces the earlier one
 * @param data the sender's Data ("" when absent); for a custom-resource response the whole
 *     response body as JSON text
 * @param receivedAt when the listener accepted it
 */
public record Signal(Status status, String reason, String uniqueId, String data, Instant receivedAt) {

  /** The two statuses cfn-signal sends. */
  public enum Status {
    SUCCESS,
    FAILURE
  }

  public Signal {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(uniqueId, "uniqueId");
    Objects.requireNonNull(receivedAt, "receivedAt");
    reason = reason == null ? "" : reason;
    data = data == null ? "" : data;
  }
}
