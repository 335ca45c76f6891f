package org.stacktician.engine.drift;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.stack.StackRecord;

/**
 * The drift detections of an engine's stacks as CloudFormation runs them: a detection is recorded
 * DETECTION_IN_PROGRESS when it starts (what DescribeStackDriftDetectionStatus answers meanwhile, with the results of
 * the detection before it), then with its result; one at a time per stack. One left in progress by a process that
 * stopped reads as DETECTION_FAILED once it is {@link #STALE}.
 */
public final class DriftDetections {
  private static final Logger LOG = LoggerFactory.getLogger(DriftDetections.class);
  /** A detection in progress for this long did not finish: the process running it stopped. */
  static final Duration STALE = Duration.ofMinutes(15);

  private final DriftStore store;
  private final Clock clock;

  public DriftDetections(DriftStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Records a detection of {@code stack} in progress, started now.
   *
   * @throws StackOperationException when a detection of the stack is in progress already
   */
  public StackDrift begin(StackRecord stack) {
    Optional<StackDrift> last = last(stack.stackId(), stack.stackName());
    if (last.isPresent() && last.get().detectionStatus() == StackDrift.DetectionStatus.DETECTION_IN_PROGRESS) {
      throw new StackOperationException("A drift detection of stack [" + stack.stackName() + "] is in progress"
          + " already (detection " + last.get().detectionId() + "); wait for it to end");
    }
    StackDrift running = new StackDrift(stack.stackId(), stack.stackName(), UUID.randomUUID().toString(),
        last.map(StackDrift::stackDriftStatus).orElse(StackDrift.Status.NOT_CHECKED),
        // Milliseconds, as CloudFormation's timestamps and as the database keeps them (the result read back agrees).
        StackDrift.DetectionStatus.DETECTION_IN_PROGRESS, null, clock.instant().truncatedTo(ChronoUnit.MILLIS),
        last.map(StackDrift::resourceDrifts).orElse(List.of()));
    store.save(running);
    return running;
  }

  /** Runs the detection {@code running} recorded and keeps its result (a detection that throws is DETECTION_FAILED). */
  public StackDrift finish(StackDrift running, Supplier<StackDrift> detection) {
    StackDrift result;
    try {
      result = detection.get();
    } catch (RuntimeException e) {
      LOG.warn("drift detection {} of stack {} failed", running.detectionId(), running.stackName(), e);
      result = failed(running, "The drift detection failed: " + e.getMessage());
    }
    store.save(result);
    return result;
  }

  /** The last detection of a stack, one left in progress by a stopped process reported as failed. */
  public Optional<StackDrift> last(String stackId, String stackName) {
    return store.last(stackId, stackName).map(d -> d.detectionStatus() == StackDrift.DetectionStatus
        .DETECTION_IN_PROGRESS && d.detectedAt().plus(STALE).isBefore(clock.instant())
            ? failed(d, "The drift detection did not finish: the process running it stopped") : d);
  }

  private static StackDrift failed(StackDrift d, String reason) {
    return new StackDrift(d.stackId(), d.stackName(), d.detectionId(), d.stackDriftStatus(),
        StackDrift.DetectionStatus.DETECTION_FAILED, reason, d.detectedAt(), d.resourceDrifts());
  }

  /** The drift information of a stack (NOT_CHECKED when it was never checked). */
  public DriftInformation information(String stackId, String stackName) {
    return last(stackId, stackName).map(StackDrift::information).orElse(DriftInformation.NOT_CHECKED);
  }
}
