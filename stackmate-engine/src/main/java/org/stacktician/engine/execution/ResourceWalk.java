package org.stacktician.engine.execution;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;

/**
 * What one phase does to each resource, for the phase runner ({@link StackExecution}) that owns
 * the rounds, the bounds, the commits and the handler calls: which rows are ready, how one starts,
 * is called and settles, and how the phase ends.
 */
sealed interface ResourceWalk permits ProvisionWalk, CleanupWalk {

  /** The statuses of a row whose operation of this walk is running (each is polled until it ends; an EnumSet: rows not started have none). */
  java.util.Set<ResourceStatus> inProgress();

  /** Before each round: settles rows this walk will not call again (e.g. cancelled operations). */
  void sweep(Instant now);

  /** The failure of a row whose operation ran longer than its time-out. */
  ResourceRecord.Builder timedOut(ResourceRecord r, String timeout);

  /** False once the phase is failing: it starts nothing more and lets running operations settle. */
  boolean mayStart();

  /** The rows whose turn has come (their dependencies, or dependents, are done), in template order. */
  List<ResourceRecord> ready();

  /** The end of a ready row's operation when it needs no call (retained, never made, unchanged); empty otherwise. */
  default Optional<Settled> settleWithoutCall(ResourceRecord r) {
    return Optional.empty();
  }

  /**
   * A row's operation that needed no call.
   *
   * @param event false when nothing happens to the resource that CloudFormation would show (an unchanged resource
   *     carried over to the new template version)
   */
  record Settled(ResourceRecord.Builder row, boolean event) {
    static Settled withEvent(ResourceRecord.Builder row) {
      return new Settled(row, true);
    }
  }

  /**
   * Prepares a ready row's start with its in-progress status (the runner sets the start time), or records why it
   * cannot start (finishing the row) and returns empty. The row started may be a new one (a replacement).
   */
  Optional<ResourceRecord.Builder> begin(ResourceRecord r, Instant now);

  /** One handler call for a row in progress: a first call, a poll, or a lookup. */
  ProgressEvent call(ResourceRecord r);

  /** Records a call's outcome. */
  void apply(ResourceRecord r, ProgressEvent result, Instant now);

  /** How the phase stands once this execution's rounds are over; {@code next} is the earliest poll due. */
  Result result(Instant now, Optional<Instant> next);

  /** When the stack must be looked at again at the latest while operations run (a time-out). */
  default Optional<Instant> deadline() {
    return Optional.empty();
  }

  /** Work done when the phase succeeded (e.g. outputs); a reason when it must fail after all. */
  default Optional<String> completed(Instant now) {
    return Optional.empty();
  }

  /** A phase's state after an execution. */
  sealed interface Result {
    /** Operations are still running (or waiting for their turn). */
    record Running() implements Result {}

    /** Every resource reached the target. */
    record Succeeded() implements Result {}

    /** The phase failed. */
    record Failed(String reason) implements Result {}
  }
}
