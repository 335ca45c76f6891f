package org.stacktician.engine.execution;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of stack execution.
 *
 * @param pollingInterval how often db-scheduler looks for due executions (in-process wake-ups make
 *     most executions start sooner; this is the upper bound for work another node scheduled)
 * @param schedulerThreads db-scheduler's executor threads (each runs one stack step at a time;
 *     handler calls inside a step run on virtual threads)
 * @param maxOperationsPerStack resources of one stack in CREATE/DELETE_IN_PROGRESS at once
 * @param maxOperationsPerAccount resources of one cloud account in progress at once, across the
 *     stacks this process runs
 * @param resourceTimeout how long one resource's create or delete may take before it fails
 * @param heartbeatInterval db-scheduler heartbeat; another node takes over a dead node's stack
 *     after {@code missedHeartbeats} of them
 * @param deleteRetryWindow how long a delete that failed in a way that may pass is tried again
 *     before the resource is DELETE_FAILED (see {@link #withDeleteRetryWindow})
 * @param stackTimeoutUnit what one unit of a stack's {@code TimeoutInMinutes} lasts: a minute, as
 *     in CloudFormation; tests make it shorter (see {@link #withStackTimeoutUnit})
 */
public record EngineOptions(
    Duration pollingInterval,
    int schedulerThreads,
    int maxOperationsPerStack,
    int maxOperationsPerAccount,
    Duration resourceTimeout,
    Duration heartbeatInterval,
    int missedHeartbeats,
    Duration deleteRetryWindow,
    Duration stackTimeoutUnit) {

  public EngineOptions {
    Objects.requireNonNull(pollingInterval, "pollingInterval");
    Objects.requireNonNull(resourceTimeout, "resourceTimeout");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(deleteRetryWindow, "deleteRetryWindow");
    Objects.requireNonNull(stackTimeoutUnit, "stackTimeoutUnit");
    if (schedulerThreads < 1 || maxOperationsPerStack < 1 || maxOperationsPerAccount < 1 || missedHeartbeats < 4) {
      throw new IllegalArgumentException("thread counts, operation bounds must be at least 1 and missed heartbeats at least 4 (db-scheduler)");
    }
  }

  public static EngineOptions defaults() {
    return new EngineOptions(Duration.ofMillis(50), 8, 32, 128, Duration.ofHours(1), Duration.ofSeconds(2), 4,
        Duration.ofMinutes(1), Duration.ofMinutes(1));
  }

  public EngineOptions withPollingInterval(Duration d) {
    return new EngineOptions(d, schedulerThreads, maxOperationsPerStack, maxOperationsPerAccount, resourceTimeout,
        heartbeatInterval, missedHeartbeats, deleteRetryWindow, stackTimeoutUnit);
  }

  public EngineOptions withSchedulerThreads(int n) {
    return new EngineOptions(pollingInterval, n, maxOperationsPerStack, maxOperationsPerAccount, resourceTimeout,
        heartbeatInterval, missedHeartbeats, deleteRetryWindow, stackTimeoutUnit);
  }

  public EngineOptions withMaxOperationsPerStack(int n) {
    return new EngineOptions(pollingInterval, schedulerThreads, n, maxOperationsPerAccount, resourceTimeout,
        heartbeatInterval, missedHeartbeats, deleteRetryWindow, stackTimeoutUnit);
  }

  public EngineOptions withMaxOperationsPerAccount(int n) {
    return new EngineOptions(pollingInterval, schedulerThreads, maxOperationsPerStack, n, resourceTimeout,
        heartbeatInterval, missedHeartbeats, deleteRetryWindow, stackTimeoutUnit);
  }

  public EngineOptions withResourceTimeout(Duration d) {
    return new EngineOptions(pollingInterval, schedulerThreads, maxOperationsPerStack, maxOperationsPerAccount, d,
        heartbeatInterval, missedHeartbeats, deleteRetryWindow, stackTimeoutUnit);
  }

  public EngineOptions withHeartbeat(Duration interval, int missed) {
    return new EngineOptions(pollingInterval, schedulerThreads, maxOperationsPerStack, maxOperationsPerAccount,
        resourceTimeout, interval, missed, deleteRetryWindow, stackTimeoutUnit);
  }

  /**
   * How long a delete that failed in a way that may pass (the cloud's internal error, no answer,
   * a resource still in use) is tried again, with growing pauses, before it is DELETE_FAILED.
   */
  public EngineOptions withDeleteRetryWindow(Duration d) {
    return new EngineOptions(pollingInterval, schedulerThreads, maxOperationsPerStack, maxOperationsPerAccount,
        resourceTimeout, heartbeatInterval, missedHeartbeats, d, stackTimeoutUnit);
  }

  /** What one unit of a stack's time-out lasts (a minute; shorter in tests, never in the CLI). */
  public EngineOptions withStackTimeoutUnit(Duration d) {
    return new EngineOptions(pollingInterval, schedulerThreads, maxOperationsPerStack, maxOperationsPerAccount,
        resourceTimeout, heartbeatInterval, missedHeartbeats, deleteRetryWindow, d);
  }
}
