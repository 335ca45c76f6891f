package org.stacktician.engine.drift;

import java.time.Instant;
import java.util.Objects;

/**
 * CloudFormation's {@code StackDriftInformation} / {@code StackResourceDriftInformation}: the drift status the last
 * detection found ({@code IN_SYNC}, {@code DRIFTED} / {@code MODIFIED}, {@code DELETED}, or {@code NOT_CHECKED}) and
 * when it ran (for a stack, when the last detection was started; null when never checked).
 */
public record DriftInformation(String driftStatus, Instant lastCheckTimestamp) {
  /** Never checked. */
  public static final DriftInformation NOT_CHECKED = new DriftInformation("NOT_CHECKED", null);

  public DriftInformation {
    Objects.requireNonNull(driftStatus, "driftStatus");
  }
}
