package org.stacktician.engine.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.registry.AccountRegistries;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.state.StaleOperationException;
import org.stacktician.engine.state.StateStore;

/**
 * Advances one stack operation by one scheduler execution: finds the phase the stack's status names
 * in the transition table ({@link StackOperation}) and runs it ({@link StackExecution}), which
 * persists every transition with its event before anything waits, and says when the stack is due
 * again.
 */
public final class StackStepper {
  private static final Logger LOG = LoggerFactory.getLogger(StackStepper.class);
  /** How soon a stack held back by its account's bound looks again. */
  static final Duration ACCOUNT_RETRY = Duration.ofMillis(200);
  /** How long one execution may keep working before it yields (it reschedules itself at once). */
  static final Duration MAX_STEP = Duration.ofSeconds(1);

  final StateStore store;
  final StackPlans plans;
  final AccountRegistries registries;
  final ProviderContext baseContext;
  final EngineOptions options;
  final OperationLimiter limiter;
  final Clock clock;
  final Counters counters;
  final Consumer<StackRecord> onSettled;

  public StackStepper(StateStore store, StackPlans plans, AccountRegistries registries, ProviderContext baseContext,
      EngineOptions options, Clock clock, Counters counters, Consumer<StackRecord> onSettled) {
    this.store = store;
    this.plans = plans;
    this.registries = registries;
    this.baseContext = baseContext;
    this.options = options;
    this.limiter = new OperationLimiter(options.maxOperationsPerAccount());
    this.clock = clock;
    this.counters = counters;
    this.onSettled = onSettled;
  }

  /** True when the stack has an operation in progress (it needs executions). */
  public boolean busy(String stackId) {
    return store.findStack(stackId).map(s -> s.status().inProgress()).orElse(false);
  }

  /** Advances a stack; returns when it is due again, or empty when its operation has ended. */
  public Optional<Instant> step(String stackId) {
    return step(stackId, false);
  }

  /**
   * Advances a stack; {@code woken} (something it waits for happened: a signal, a nested stack's
   * end) makes every operation in progress due now.
   */
  public Optional<Instant> step(String stackId, boolean woken) {
    counters.steps.increment();
    StackRecord stack = store.findStack(stackId).orElse(null);
    if (stack == null) {
      LOG.warn("scheduled stack {} is not in the store; dropping its execution", stackId);
      return Optional.empty();
    }
    Optional<StackOperation.Position> position = StackOperation.running(stack.status());
    if (position.isEmpty()) {
      return Optional.empty();
    }
    try {
      return new StackExecution(this, stack, woken).run(position.get());
    } catch (StaleOperationException e) {
      // Another operation started on the stack while this step worked: step again with it.
      LOG.info("stack {}: {}", stack.stackName(), e.getMessage());
      return Optional.of(clock.instant());
    }
  }

  static String human(Duration d) {
    if (d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
      return d.toHours() + " h";
    }
    if (d.toMinutes() > 0 && d.toSecondsPart() == 0) {
      return d.toMinutes() + " min";
    }
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
