package org.stacktician.engine.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a resource is in the cloud now, as a handler reads it for drift detection: its properties
 * named and shaped as the template writes them, gone, or not known.
 */
public sealed interface ActualState {
  /**
   * The resource exists; {@code properties} are those of the expected properties the handler could read
   * (a property it cannot read is left out, not reported as removed).
   */
  record Found(ObjectNode properties) implements ActualState {
    public Found {
      Objects.requireNonNull(properties, "properties");
    }
  }

  /** The resource no longer exists in the cloud. */
  record Gone() implements ActualState {}

  /** The handler cannot read this resource's properties (the type has no read, or the cloud did not answer). */
  record NotChecked(String reason) implements ActualState {
    public NotChecked {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
