package org.stacktician.engine.drift;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of one drift detection of a stack (CloudFormation's DescribeStackDriftDetectionStatus
 * with its resources' drifts).
 *
 * @param detectionStatusReason why the detection failed or is partial (resources not checked), else null
 * @param detectedAt when the detection was started
 * @param resourceDrifts what it found (while it runs: what the detection before it found)
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

  /** CloudFormation's {@code DetectionStatus}: in progress while its resources are being read back. */
  public enum DetectionStatus { DETECTION_IN_PROGRESS, DETECTION_COMPLETE, DETECTION_FAILED }

  /** The stack's drift information as this detection leaves it (the status it found; when it was started). */
  public DriftInformation information() {
    return new DriftInformation(stackDriftStatus.name(), detectedAt);
  }

  /** Each resource's drift information as this detection found it, by logical id. */
  public java.util.Map<String, DriftInformation> resourceInformation() {
    java.util.Map<String, DriftInformation> m = new java.util.LinkedHashMap<>();
    resourceDrifts.forEach(r -> m.put(r.logicalResourceId(), new DriftInformation(r.status().name(), detectedAt)));
    return m;
  }

  /** How many resources differ from their template. */
  public int driftedStackResourceCount() {
    return (int) resourceDrifts.stream().filter(r -> r.status().drifted()).count();
  }
}
