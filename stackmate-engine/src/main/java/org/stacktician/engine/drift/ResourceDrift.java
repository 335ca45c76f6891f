package org.stacktician.engine.drift;

import java.util.List;
import java.util.Objects;

/**
 * How one resource differs from its template (CloudFormation's {@code StackResourceDrift}).
 *
 * @param reason why it was not checked (NOT_CHECKED only), else null
 */
public record ResourceDrift(String logicalResourceId, String physicalResourceId, String resourceType, Status status,
    List<PropertyDifference> propertyDifferences, String reason) {
  public ResourceDrift {
    Objects.requireNonNull(logicalResourceId, "logicalResourceId");
    Objects.requireNonNull(status, "status");
    propertyDifferences = List.copyOf(propertyDifferences);
  }

  /** CloudFormation's {@code StackResourceDriftStatus}. */
  public enum Status {
    IN_SYNC, MODIFIED, DELETED, NOT_CHECKED;

    /** True for a resource that differs from its template. */
    public boolean drifted() {
      return this == MODIFIED || this == DELETED;
    }
  }
}
