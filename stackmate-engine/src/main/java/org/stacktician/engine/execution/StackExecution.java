package org.stacktician.engine.execution;

import org.stacktician.cloudstack.client.Redaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.state.StateStore.Changes;

/**
 * One stack during one scheduler execution: the phase runner. It runs the stack's current phase
 * (a {@link ResourceWalk}, forward or reverse) in rounds — settle what timed out, start every
 * resource whose turn has come within the per-stack and per-account bounds, commit every
 * transition with its event before anything is called, call the handlers in parallel, apply their
 * outcomes — and, when the phase ends, moves the stack on by the transition table of
 * {@link StackOperation}, running the next phase in the same execution.
 */
final class StackExecution {
  private static final Logger LOG = LoggerFactory.getLogger(StackExecution.class);

  final StackStepper stepper;
  StackRecord stack;
  /** Every row of the stack by row id, in template order. */
  final Map<String, ResourceRecord> resources = new LinkedHashMap<>();
  /** The values masked wherever this stack's reasons, events and logs show them (see EventFactory). */
  List<String> secrets;
  ProviderContext context;
  /** The types of the stack's cloud (its account's, in the server). */
  final org.stacktician.engine.provider.registry.ProviderRegistry registry;
  final HandlerCalls calls;
  private final List<ResourceRecord> changed = new ArrayList<>();
  private final List<StackEvent> events = new ArrayList<>();
  private StackRecord pendingStack;
  /** The stack's operation id as stored: changes are committed only while it has not changed. */
  private String committedOperation;
  boolean heldBackByAccount;
  private boolean settledWithoutCall;
  /** Set for the first round of a woken step: every operation in progress is polled at once. */
  private boolean woken;
  /** Rows whose first call of this operation is in this round (a missing callback context is not a lost answer). */
  final Set<String> justStarted = new HashSet<>();
  private final long stepStartNanos = System.nanoTime();
  /** The operation whose phase runs now. */
  private StackOperation operation;

  StackExecution(StackStepper stepper, StackRecord stack, boolean woken) {
    this.stepper = stepper;
    this.stack = stack;
    this.committedOperation = stack.operationId();
    this.woken = woken;
    for (ResourceRecord r : stepper.store.resources(stack.stackId())) {
      resources.put(r.resourceId(), r);
    }
    this.secrets = EventFactory.noEchoValues(stack, resources.values());
    ResourceRequest.StackRef ref = new ResourceRequest.StackRef(stack.stackId(), stack.stackName());
    this.context = stepper.baseContext.forAccount(stack.accountKey()).withStack(ref, StackTags.forStack(ref, root(stack)))
        .maskingSecrets(secrets);
    this.registry = stepper.registries.forAccount(stack.accountKey());
    this.calls = new HandlerCalls(registry, stepper.counters);
    for (ResourceRecord r : resources.values()) {
      if (r.status() != null && r.status().inProgress()) {
        stepper.limiter.hold(stack.accountKey(), stack.stackId(), r.resourceId());
      }
    }
  }
  /** The outermost stack of a nested one (the stack itself when it has no parent). */
  private ResourceRequest.StackRef root(StackRecord s) {
    StackRecord top = s;
    for (int depth = 0; top.parentStackId() != null && depth < 64; depth++) {
      java.util.Optional<StackRecord> parent = stepper.store.findStack(top.parentStackId());
      if (parent.isEmpty()) {
        break;
      }
      top = parent.get();
    }
    return new ResourceRequest.StackRef(top.stackId(), top.stackName());
  }


  /** Runs the phase the stack is in, and the phases that follow it, until one waits or the operation ends. */
  Optional<Instant> run(StackOperation.Position position) {
    while (true) {
      operation = position.operation();
      ResourceWalk walk = walkOf(position);
      rounds(walk);
      Instant now = stepper.clock.instant();
      ResourceWalk.Result result = walk.result(now, earliestCall(walk.inProgress()));
      if (result instanceof ResourceWalk.Result.Running) {
        Optional<Instant> next = earliestCall(walk.inProgress());
        if (next.isPresent()) {
          Instant due = heldBackByAccount ? min(next.get(), now.plus(StackStepper.ACCOUNT_RETRY)) : next.get();
          return Optional.of(walk.deadline().map(d -> min(due, d)).orElse(due));
        }
        if (heldBackByAccount || overTime()) {
          return Optional.of(now.plus(StackStepper.ACCOUNT_RETRY));
        }
        result = new ResourceWalk.Result.Failed(
            "No resource can make progress (a dependency is in an unexpected state).");
      }
      if (result instanceof ResourceWalk.Result.Failed && position.current().failureTolerated()) {
        // What the phase could not do stays recorded on its rows (DELETE_FAILED); the operation completes.
        result = new ResourceWalk.Result.Succeeded();
      }
      if (result instanceof ResourceWalk.Result.Succeeded) {
        Optional<String> refused = walk.completed(now);
        if (refused.isEmpty()) {
          Optional<StackOperation.Position> next = position.next();
          try {
            if (next.isPresent()) {
              setStack(next.get().current().running(), null, now);
              flushWithOutputs();
              position = next.get();
              continue;
            }
            return settle(position.operation().complete(), null, position.operation(), now);
          } catch (org.stacktician.engine.state.ExportConflictException e) {
            // The store refused the exports: the operation fails (a create or update rolls back) with its reason.
            discardPending();
            stack = stepper.store.findStack(stack.stackId()).orElse(stack);
            refused = Optional.of(e.getMessage() + ".");
          }
        }
        result = new ResourceWalk.Result.Failed(refused.get());
      }
      Optional<StackOperation.Position> takeOver = takeOver(position, (ResourceWalk.Result.Failed) result, now);
      if (takeOver.isEmpty()) {
        return Optional.empty(); // settled
      }
      position = takeOver.get();
    }
  }

  /** Ends a failed phase: the operation that takes over, or (empty) the operation failed and is settled. */
  private Optional<StackOperation.Position> takeOver(StackOperation.Position position, ResourceWalk.Result.Failed result,
      Instant now) {
    StackOperation failing = position.operation();
    Optional<StackOperation> takeOver = failing.onFailure(stack);
    if (takeOver.isEmpty()) {
      settle(failing.failed(), result.reason(), failing, now);
      return Optional.empty();
    }
    StackOperation.Position next = new StackOperation.Position(takeOver.get(), 0);
    stack = takeOver.get().takingOver(stack);
    setStack(next.current().running(), result.reason() + failing.takeOverNote(), now);
    flush();
    return Optional.of(next);
  }

  private ResourceWalk walkOf(StackOperation.Position position) {
    Phase phase = position.current();
    Integer target = switch (phase.target()) {
      case CURRENT -> stack.templateVersion();
      case NOTHING -> null;
    };
    return switch (phase.walk()) {
      case PROVISION -> new ProvisionWalk(this, java.util.Objects.requireNonNull(target, "a version to provision"));
      case CLEANUP -> new CleanupWalk(this, target, position.operation().rollback());
    };
  }

  /**
   * The rounds of one walk in this execution; returns when the walk has nothing more to do now
   * (its result then says whether it waits, succeeded or failed) or the execution's time is up.
   */
  private void rounds(ResourceWalk walk) {
    while (true) {
      Instant now = stepper.clock.instant();
      walk.sweep(now);
      List<ResourceRecord> due = new ArrayList<>();
      for (ResourceRecord r : List.copyOf(resources.values())) {
        if (!walk.inProgress().contains(r.status())) {
          continue;
        }
        Duration timeout = timeoutOf(r);
        if (r.operationStarted() != null && now.isAfter(r.operationStarted().plus(timeout))) {
          finish(walk.timedOut(r, StackStepper.human(timeout)), now);
        } else if (woken || r.nextCallAt() == null || !r.nextCallAt().isAfter(now)) {
          due.add(r);
        }
      }
      woken = false;
      settledWithoutCall = false;
      // A step over its time starts nothing: a start left uncalled would cost a lookup by tags next time.
      boolean over = overTime();
      List<ResourceRecord> starts = over || !walk.mayStart() ? List.of() : startReady(walk, now);
      flush();
      if (starts.isEmpty() && due.isEmpty() && settledWithoutCall && !over) {
        continue; // a resource settled without a call (retained, never made): others may go now
      }
      if (starts.isEmpty() && due.isEmpty() || over) {
        return;
      }
      List<ResourceRecord> all = new ArrayList<>(starts);
      all.addAll(due);
      justStarted.clear();
      starts.forEach(r -> justStarted.add(r.resourceId()));
      List<ProgressEvent> results = calls.callAll(all, walk::call);
      Instant after = stepper.clock.instant();
      for (int i = 0; i < all.size(); i++) {
        walk.apply(resources.get(all.get(i).resourceId()), results.get(i), after);
      }
      // No commit here: the next round commits these outcomes together with its starts before
      // it calls anything or the step ends (nothing waits in between).
    }
  }

  /** Starts every resource whose turn has come, within the per-stack and per-account bounds. */
  private List<ResourceRecord> startReady(ResourceWalk walk, Instant now) {
    List<ResourceRecord> starts = new ArrayList<>();
    int inFlight = count(walk.inProgress());
    for (ResourceRecord r : walk.ready()) {
      Optional<ResourceWalk.Settled> settled = walk.settleWithoutCall(r);
      if (settled.isPresent()) {
        if (settled.get().event()) {
          finish(settled.get().row(), now);
        } else {
          quiet(settled.get().row().updatedAt(now).build());
        }
        settledWithoutCall = true;
        continue;
      }
      if (inFlight >= stepper.options.maxOperationsPerStack()) {
        break;
      }
      if (!stepper.limiter.tryAcquire(stack.accountKey(), stack.stackId(), r.resourceId())) {
        heldBackByAccount = true;
        break;
      }
      Optional<ResourceRecord.Builder> begun = walk.begin(r, now);
      if (begun.isEmpty()) {
        continue; // the walk recorded why it could not start (and finished the row)
      }
      if (!begun.get().resourceId().equals(r.resourceId())) {
        // A replacement: the new row holds the permit.
        stepper.limiter.release(stack.accountKey(), stack.stackId(), r.resourceId());
        stepper.limiter.hold(stack.accountKey(), stack.stackId(), begun.get().resourceId());
      }
      starts.add(transition(begun.get().operationStarted(now).nextCallAt(null), now));
      inFlight++;
    }
    return starts;
  }

  // ---------------------------------------------------------------- settling the stack

  /** Ends the operation in {@code status}, committing the final changes with the stack. */
  private Optional<Instant> settle(StackStatus status, String reason, StackOperation operation, Instant now) {
    StackRecord done = stack.withStatus(status, Redaction.mask(reason, secrets), now);
    if (pendingOutputs != null) {
      done = done.withOutputs(pendingOutputs);
    }
    List<StackEvent> all = new ArrayList<>(events);
    all.add(EventFactory.stack(done, now));
    // Only a stack that is gone (deleted, or rolled back to nothing) gives up its exports and signals: a
    // DELETE_FAILED stack still exists, with what it exports.
    boolean gone = status == operation.complete() && (operation.removesStack() || operation.leavesNothing());
    Changes changes = new Changes(done, dedupe(changed), all, pendingExports, gone ? stack.stackId() : null);
    commit(pendingOutputs != null && !gone ? changes.replacingExports() : changes);
    if (gone && operation.removesStack()) {
      stepper.store.deleteSignals(stack.stackId());
    }
    discardPending();
    stack = done;
    return settled();
  }

  private void discardPending() {
    changed.clear();
    events.clear();
    pendingStack = null;
    pendingOutputs = null;
    pendingExports = List.of();
  }

  private List<org.stacktician.engine.stack.StackOutput> pendingOutputs;
  private List<StateStore.ExportRecord> pendingExports = List.of();

  /** Outputs and exports to commit with the operation's final status. */
  void completeWith(List<org.stacktician.engine.stack.StackOutput> outputs, List<StateStore.ExportRecord> exports) {
    this.pendingOutputs = outputs;
    this.pendingExports = exports;
  }

  private Optional<Instant> settled() {
    for (ResourceRecord r : resources.values()) {
      stepper.limiter.release(stack.accountKey(), stack.stackId(), r.resourceId());
    }
    stepper.plans.forget(stack.stackId());
    stepper.counters.stacksSettled.increment();
    stepper.onSettled.accept(stack);
    return Optional.empty();
  }

  // ---------------------------------------------------------------- shared by the walks

  /** The request for one handler call about row {@code r}. */
  ResourceRequest request(ResourceRecord r, com.fasterxml.jackson.databind.node.ObjectNode callbackContext,
      ResourceRequest.Action action) {
    var props = r.properties() == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        : r.properties().deepCopy();
    return new ResourceRequest(context.stack(), r.logicalId(), r.type(), props,
        r.previousProperties() == null ? null : r.previousProperties().deepCopy(), r.physicalId(),
        r.attributes(), r.metadata(), callbackContext == null ? null : callbackContext.deepCopy(), context, action,
        operation.rollback(), replacing(r), r.deletionPolicy());
  }

  /** What a replacement row replaces (its lookups must not take the old resource; its names must differ). */
  private ResourceRequest.Replacing replacing(ResourceRecord r) {
    if (r.replaces() == null) {
      return null;
    }
    ResourceRecord old = resources.get(r.replaces());
    return new ResourceRequest.Replacing(old == null ? null : old.physicalId(),
        r.resourceId().replace("-", "").substring(0, 6), old == null ? java.util.Set.of() : cloudIds(old));
  }

  /**
   * The ids a row's attributes give its resource besides its physical id: {@code id} (CloudStack's) and
   * {@code <Something>Id} (the AWS:: types', e.g. a security group's {@code GroupId}).
   */
  private static java.util.Set<String> cloudIds(ResourceRecord r) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    if (r.attributes() != null) {
      r.attributes().forEach((name, value) -> {
        if ((name.equals("id") || name.endsWith("Id")) && value != null && value.isTextual()
            && !value.asText().isEmpty()) {
          ids.add(value.asText());
        }
      });
    }
    return ids;
  }

  /** One execution works at most this long, so that stacks share the scheduler's threads fairly. */
  boolean overTime() {
    return System.nanoTime() - stepStartNanos > StackStepper.MAX_STEP.toNanos();
  }

  private Duration timeoutOf(ResourceRecord r) {
    Duration d = stepper.options.resourceTimeout();
    if (r.properties() != null && r.properties().hasNonNull("Timeout")) {
      var t = r.properties().get("Timeout");
      try {
        long seconds = t.isNumber() ? t.asLong() : Long.parseLong(t.asText().trim());
        Duration own = Duration.ofSeconds(seconds).plusMinutes(1);
        if (own.compareTo(d) > 0) {
          d = own;
        }
      } catch (NumberFormatException ignored) {
        // the handler reports a bad Timeout itself
      }
    }
    return d;
  }

  boolean any(ResourceStatus status) {
    return resources.values().stream().anyMatch(r -> r.status() == status);
  }

  int count(ResourceStatus status) {
    return (int) resources.values().stream().filter(r -> r.status() == status).count();
  }

  int count(Set<ResourceStatus> statuses) {
    return (int) resources.values().stream().filter(r -> statuses.contains(r.status())).count();
  }

  List<String> ids(ResourceStatus status) {
    return resources.values().stream().filter(r -> r.status() == status).map(ResourceRecord::logicalId).toList();
  }

  Optional<Instant> earliestCall(Set<ResourceStatus> statuses) {
    Instant now = stepper.clock.instant();
    return resources.values().stream().filter(r -> statuses.contains(r.status()))
        .map(r -> r.nextCallAt() == null ? now : r.nextCallAt()).min(Instant::compareTo);
  }

  /** Records a status change with its event. */
  ResourceRecord transition(ResourceRecord.Builder b, Instant now) {
    ResourceRecord r = masked(b.updatedAt(now).build());
    resources.put(r.resourceId(), r);
    changed.add(r);
    events.add(EventFactory.resource(stack, r, now, secrets));
    return r;
  }

  /** Records a change with no event (a poll's new callback context). */
  void quiet(ResourceRecord given) {
    ResourceRecord r = masked(given);
    resources.put(r.resourceId(), r);
    changed.add(r);
  }

  /**
   * The record with NoEcho values masked in its reason before it is stored or shown: reasons
   * quote signals, cloud errors and custom-resource answers, which may echo a secret.
   */
  private ResourceRecord masked(ResourceRecord r) {
    String reason = Redaction.mask(r.statusReason(), secrets);
    return java.util.Objects.equals(reason, r.statusReason()) ? r : r.toBuilder().statusReason(reason).build();
  }

  /** A custom resource answered NoEcho: its Data is masked from now on, in reasons, outputs and logs too. */
  void noEchoDataArrived() {
    secrets = EventFactory.noEchoValues(stack, resources.values());
    context = context.maskingSecrets(secrets);
  }

  /** Records the end of a resource's operation and frees its permit. */
  void finish(ResourceRecord.Builder b, Instant now) {
    ResourceRecord r = transition(b, now);
    stepper.limiter.release(stack.accountKey(), stack.stackId(), r.resourceId());
  }

  /** Moves the stack to {@code status}; an in-progress status starts a new operation phase. */
  private void setStack(StackStatus status, String reason, Instant now) {
    stack = stack.withStatus(status, Redaction.mask(reason, secrets), now);
    if (status.inProgress()) {
      stack = stack.withOperationStarted(now);
    }
    events.add(EventFactory.stack(stack, now));
    pendingStack = stack;
  }

  /**
   * Commits the move to the next phase with the outputs and exports the finished phase computed (an update's
   * outputs are the new version's from here on, whatever happens during its cleanup).
   */
  private void flushWithOutputs() {
    if (pendingOutputs == null) {
      flush();
      return;
    }
    stack = stack.withOutputs(pendingOutputs);
    pendingStack = stack;
    commit(new Changes(pendingStack, dedupe(changed), events, pendingExports, null).replacingExports());
    changed.clear();
    events.clear();
    pendingStack = null;
    pendingOutputs = null;
    pendingExports = List.of();
  }

  /** Commits what this round recorded, before anything is called or waited for. */
  void flush() {
    if (changed.isEmpty() && events.isEmpty() && pendingStack == null) {
      return;
    }
    commit(Changes.of(pendingStack, dedupe(changed), events));
    changed.clear();
    events.clear();
    pendingStack = null;
  }

  /**
   * Commits changes made for the operation this step read (a stack change starting a new phase
   * carries the new id and is checked against the old one).
   */
  private void commit(Changes changes) {
    stepper.store.commit(changes.forOperation(stack.stackId(), committedOperation));
    if (changes.stack() != null) {
      committedOperation = changes.stack().operationId();
    }
  }

  private static List<ResourceRecord> dedupe(List<ResourceRecord> changed) {
    Map<String, ResourceRecord> last = new LinkedHashMap<>();
    for (ResourceRecord r : changed) {
      last.put(r.resourceId(), r);
    }
    return List.copyOf(last.values());
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  static Logger log() {
    return LOG;
  }
}
