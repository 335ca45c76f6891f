package org.stacktician.engine.drift;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of one drift detection of a stack (CloudFormation's DescribeStackDriftDetectionStatus
 * with its resources' drifts).
 *
 * @param detectionStatusReason why the detection failed or is partial (resources not checked), else null
 */
public record StackDrift(String stackId, String stackName, String detectionId, Status stackDriftStatus,
    DetectionStatus detectionStatus, String detectionStatusReason, Instant detectedAt,
    List<ResourceDrift> resourceDrifts) {
  public StackDrift {
    Objects.requireNonNull(stackId, "stackId");
    Objects.requireNonNull(stackDriftStatus, "stackDriftStatus");
    Objects.requireNonNull(detectionStatus, "detectionStatus");
    resourceDrifts = List.copyOf(resourceDrifts);
  }

  /** CloudFormation's {@code StackDriftStatus}. */
  public enum Status { IN_SYNC, DRIFTED, NOT_CHECKED }

  /** CloudFormation's {@code DetectionStatus} (a detection here runs to its end before it is stored). */
  public enum DetectionStatus { DETECTION_COMPLETE, DETECTION_FAILED }

  /** How many resources differ from their template. */
  public int driftedStackResourceCount() {
    return (int) resourceDrifts.stream().filter(r -> r.status().drifted()).count();
  }
}
