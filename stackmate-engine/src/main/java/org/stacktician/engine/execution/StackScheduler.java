package org.stacktician.engine.execution;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient.ScheduleOptions;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.client.Fingerprint;
import org.stacktician.engine.state.StateStoreException;

/**
 * Runs stack operations as db-scheduler executions: one task instance per stack (its id is the
 * stack id), each execution one {@link StackStepper#step}, rescheduled at the time the stepper
 * says. A wake-up timer in this process triggers db-scheduler's check when a rescheduled stack
 * falls due, so a step starts within milliseconds instead of waiting for the next poll; polling
 * remains the path for work another node scheduled.
 *
 * <p>Drift detections run here too ({@link #scheduleDriftDetection}), one execution each.
 *
 * <p>The task's name carries the cloud the engine works in ({@link #taskName}): engines that share
 * a database but not a cloud (two terminals on one state file, one on a simulator) each run only
 * their own stacks, since db-scheduler leaves executions of tasks it does not know alone.
 */
public final class StackScheduler implements AutoCloseable {
  /** db-scheduler's task name for stack operations, before the cloud's digest ({@link #taskName}). */
  public static final String TASK_NAME = "stackmate-stack-operation";
  /** db-scheduler's task name for drift detections, before the cloud's digest (as {@link #taskName}). */
  public static final String DRIFT_TASK_NAME = "stackmate-drift-detection";
  /** db-scheduler's table (created by the engine's migrations). */
  public static final String TABLE = "sm_scheduled_tasks";

  /**
   * Finishes a drift detection recorded in progress: reads the stack's resources back and keeps the result (see
   * {@code StackEngine.startStackDriftDetection}). Any engine of the stack's cloud on the database may run it.
   */
  @FunctionalInterface
  public interface DriftRunner {
    void finish(String stackId, String detectionId);
  }
  private static final Logger LOG = LoggerFactory.getLogger(StackScheduler.class);

  private final Scheduler scheduler;
  private final CustomTask<Void> task;
  private final String taskName;
  /** Drift detections: one execution per detection (its id), the stack's id as its data. */
  private final OneTimeTask<String> drift;
  private final String driftTaskName;
  private final ScheduledExecutorService waker;
  private final DataSource dataSource;
  private final Duration heartbeat;
  /** Stacks asked to run again now; read when a running step of theirs completes. */
  private final java.util.Set<String> wakes = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param cloudKey the cloud account this engine works in (say {@code CloudStackClient.accountKey()});
   *     engines of one cloud share its stacks, engines of other clouds never run them
   */
  public StackScheduler(DataSource dataSource, StackStepper stepper, EngineOptions options, String cloudKey,
      DriftRunner drifts) {
    this.dataSource = dataSource;
    this.taskName = taskName(cloudKey);
    this.driftTaskName = DRIFT_TASK_NAME + "@" + Fingerprint.of(cloudKey);
    // A detection keeps its own failures (DETECTION_FAILED); this retries only a database that did not answer. A node
    // that stops while it runs one leaves it to another (db-scheduler revives dead executions).
    this.drift = Tasks.oneTime(driftTaskName, String.class)
        .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(5,
            new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(1))))
        .onDeadExecutionRevive()
        .execute((instance, ctx) -> drifts.finish(instance.getData(), instance.getId()));
    this.heartbeat = options.heartbeatInterval();
    this.waker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "stackmate-waker");
      t.setDaemon(true);
      return t;
    });
    this.task = Tasks.custom(taskName, Void.class)
        .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(1)))
        .onDeadExecutionRevive()
        .execute((instance, ctx) -> {
          // A woken stack polls its in-progress resources now, not at their planned times.
          boolean woken = wakes.remove(instance.getId());
          Optional<Instant> next;
          try {
            next = stepper.step(instance.getId(), woken);
          } catch (RuntimeException e) {
            LOG.warn("step of stack {} failed; retrying in 1 s: {}", instance.getId(), e.toString());
            LOG.debug("step failure", e);
            throw e;
          }
          if (next.isEmpty()) {
            return (complete, ops) -> {
              ops.remove();
              // A new operation (e.g. a delete) may have been requested while this execution was
              // finishing; its schedule call then found this execution and did nothing.
              if (stepper.busy(instance.getId())) {
                schedule(instance.getId());
              }
            };
          }
          Instant planned = next.get();
          return (complete, ops) -> {
            // A wake that came while this step ran (e.g. a nested stack that ended meanwhile)
            // could not reschedule a running execution: run again now instead.
            Instant at = wakes.remove(instance.getId()) ? Instant.now() : planned;
            ops.reschedule(complete, at);
            wakeAt(at);
          };
        });
    this.scheduler = Scheduler.create(dataSource, task, drift)
        .tableName(TABLE)
        .threads(options.schedulerThreads())
        .pollingInterval(options.pollingInterval())
        .heartbeatInterval(options.heartbeatInterval())
        .missedHeartbeatsLimit(options.missedHeartbeats())
        .enableImmediateExecution()
        .alwaysPersistTimestampInUTC()
        .shutdownMaxWait(Duration.ofSeconds(5))
        // Another cloud's stacks wait for their own engine however long it takes to come back.
        .deleteUnresolvedAfter(Duration.ofDays(3650))
        .build();
  }

  /** The task name of stack operations in this cloud: {@value #TASK_NAME}, '@' and the cloud key's {@link Fingerprint}. */
  public static String taskName(String cloudKey) {
    return TASK_NAME + "@" + Fingerprint.of(cloudKey);
  }

  /**
   * Takes over the executions that versions before cloud-specific task names left under the bare
   * {@value #TASK_NAME} (their stacks record no cloud), so they resume here.
   */
  public void adoptUnnamedExecutions() {
    int n = update("take over earlier stack operations", "UPDATE " + TABLE + " SET task_name = ? WHERE task_name = ?",
        taskName, TASK_NAME);
    if (n > 0) {
      LOG.info("took over {} stack operation(s) recorded before executions named their cloud", n);
    }
  }

  /**
   * Takes over the executions recorded under the task names of other spellings of this engine's
   * cloud key (account keys before they were canonical), so their stacks resume here.
   */
  public void adoptExecutionsOf(java.util.List<String> sameCloudKeys) {
    for (String key : sameCloudKeys) {
      int n = update("take over stack operations of " + key, "UPDATE " + TABLE + " SET task_name = ? WHERE task_name = ?"
          + " AND task_instance NOT IN (SELECT task_instance FROM " + TABLE + " WHERE task_name = ?)",
          taskName, taskName(key), taskName);
      if (n > 0) {
        LOG.info("took over {} stack operation(s) recorded under another spelling of this cloud's endpoint", n);
      }
    }
  }

  /**
   * Releases executions that a dead process had picked and whose heartbeat is older than two
   * intervals, so they run at once instead of after db-scheduler's dead-execution detection
   * (missed heartbeats); a live process heartbeats more often, so its work is never taken.
   */
  public void releaseOrphanedExecutions() {
    Instant stale = Instant.now().minus(heartbeat.multipliedBy(2));
    int n = update("release interrupted stack operations", "UPDATE " + TABLE
        + " SET picked = FALSE, picked_by = NULL, last_heartbeat = NULL, version = version + 1"
        + " WHERE picked = TRUE AND task_name IN (?, ?) AND (last_heartbeat IS NULL OR last_heartbeat < ?)",
        taskName, driftTaskName, stale.atOffset(java.time.ZoneOffset.UTC));
    if (n > 0) {
      LOG.info("resuming {} stack operation(s) interrupted by a process that stopped", n);
    }
  }

  /** Runs one UPDATE of db-scheduler's table outside db-scheduler (at start, before it runs). */
  private int update(String what, String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      int n = ps.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return n;
    } catch (SQLException e) {
      throw new StateStoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  public void start() {
    scheduler.start();
  }

  /** Starts running a stack's operation now (or keeps the existing schedule if it has one). */
  public void schedule(String stackId) {
    scheduler.schedule(new TaskInstance<Void>(taskName, stackId), Instant.now(), ScheduleOptions.WHEN_EXISTS_DO_NOTHING);
  }

  /**
   * Runs a drift detection of the stack, recorded in progress with that id, now: on this engine or on any other of
   * the stack's cloud on the database (the execution is in the database, so another node finishes it if this one
   * stops).
   */
  public void scheduleDriftDetection(String stackId, String detectionId) {
    scheduler.schedule(new TaskInstance<>(driftTaskName, detectionId, stackId), Instant.now(),
        ScheduleOptions.WHEN_EXISTS_DO_NOTHING);
  }

  /** True when the stack has a pending or running execution. */
  public boolean scheduled(String stackId) {
    return scheduler.getScheduledExecution(TaskInstanceId.of(taskName, stackId)).isPresent();
  }

  /** Asks for a stack's next step now (e.g. a signal arrived); a running step runs again at once. */
  public void wake(String stackId) {
    wakes.add(stackId);
    wake(stackId, 20);
  }

  private void wake(String stackId, int attemptsLeft) {
    try {
      if (scheduler.reschedule(TaskInstanceId.of(taskName, stackId), Instant.now())) {
        scheduler.triggerCheckForDueExecutions();
      }
    } catch (TaskInstanceCurrentlyExecutingException e) {
      // The step is finishing (db-scheduler counts it as executing until its completion is
      // stored): try again in a moment, else the wake would be lost until the planned time.
      if (attemptsLeft > 0) {
        try {
          waker.schedule(() -> wake(stackId, attemptsLeft - 1), 5, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
          // shutting down
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("wake of stack {} skipped: {}", stackId, e.toString());
    }
  }

  private void wakeAt(Instant at) {
    long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis()) + 1;
    try {
      waker.schedule(scheduler::triggerCheckForDueExecutions, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
  }

  @Override
  public void close() {
    waker.shutdownNow();
    scheduler.stop();
  }
}
