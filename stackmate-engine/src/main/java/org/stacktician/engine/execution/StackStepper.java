package org.stacktician.engine.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.state.StateStore.Changes;

/**
 * Advances one stack operation by one scheduler execution: starts every resource whose
 * dependencies are complete (within the concurrency bounds), polls the operations that are due,
 * persists every transition with its event before anything waits, and says when the stack is due
 * again. Creates that fail lead to a rollback (deletes in reverse dependency order); delete-stack
 * runs the same delete phase.
 */
public final class StackStepper {
  private static final Logger LOG = LoggerFactory.getLogger(StackStepper.class);
  /** A handler call that has not answered after this is abandoned; its outcome is then unknown. */
  static final Duration HANDLER_CALL_TIMEOUT = Duration.ofMinutes(2);
  /** How soon a stack held back by its account's bound looks again. */
  static final Duration ACCOUNT_RETRY = Duration.ofMillis(200);
  /**
   * Types whose in-progress operation is cancelled at once when the stack fails (they create
   * nothing in the cloud and may otherwise wait for hours), as CloudFormation cancels them.
   */
  private static final java.util.Set<String> CANCEL_ON_FAILURE = java.util.Set.of(
      "AWS::CloudFormation::WaitCondition", "StackMate::WaitCondition");

  private final StateStore store;
  private final StackPlans plans;
  private final ProviderRegistry registry;
  private final ProviderContext baseContext;
  private final EngineOptions options;
  private final OperationLimiter limiter;
  private final Clock clock;
  private final Counters counters;
  private final Consumer<StackRecord> onSettled;

  public StackStepper(StateStore store, StackPlans plans, ProviderRegistry registry, ProviderContext baseContext,
      EngineOptions options, Clock clock, Counters counters, Consumer<StackRecord> onSettled) {
    this.store = store;
    this.plans = plans;
    this.registry = registry;
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
    try {
      return switch (stack.status()) {
        case CREATE_IN_PROGRESS -> new Operation(stack, woken).create();
        case ROLLBACK_IN_PROGRESS, DELETE_IN_PROGRESS -> new Operation(stack, woken).delete();
        default -> Optional.empty();
      };
    } catch (org.stacktician.engine.state.StaleOperationException e) {
      // Another operation started on the stack while this step worked: step again with it.
      LOG.info("stack {}: {}", stack.stackName(), e.getMessage());
      return Optional.of(clock.instant());
    }
  }

  /** The state of one stack during one execution. */
  private final class Operation {
    private StackRecord stack;
    private final Map<String, ResourceRecord> resources = new LinkedHashMap<>();
    private final List<String> secrets;
    private final ProviderContext context;
    private final List<ResourceRecord> changed = new ArrayList<>();
    private final List<StackEvent> events = new ArrayList<>();
    private boolean heldBackByAccount;
    private boolean settledWithoutCall;
    /** Set for the first round of a woken step: every operation in progress is polled at once. */
    private boolean woken;
    private final java.util.Set<String> justStarted = new java.util.HashSet<>();
    private final long stepStartNanos = System.nanoTime();

    Operation(StackRecord stack, boolean woken) {
      this.stack = stack;
      this.committedOperation = stack.operationId();
      this.woken = woken;
      for (ResourceRecord r : store.resources(stack.stackId())) {
        resources.put(r.logicalId(), r);
      }
      this.secrets = EventFactory.noEchoValues(stack);
      ResourceRequest.StackRef ref = new ResourceRequest.StackRef(stack.stackId(), stack.stackName());
      this.context = baseContext.forAccount(stack.accountKey())
          .withStack(ref, org.stacktician.engine.cloudstack.StackTags.forStack(ref))
          .maskingSecrets(secrets);
      for (ResourceRecord r : resources.values()) {
        if (r.status() != null && r.status().inProgress()) {
          limiter.hold(stack.accountKey(), stack.stackId(), r.logicalId());
        }
      }
    }

    // ---------------------------------------------------------------- create

    Optional<Instant> create() {
      var plan = plans.planOf(stack);
      Instant deadline = stack.timeoutMinutes() == null || stack.operationStarted() == null ? null
          : stack.operationStarted().plus(options.stackTimeoutUnit().multipliedBy(stack.timeoutMinutes()));
      boolean timedOut = false;
      while (true) {
        Instant now = clock.instant();
        timedOut = deadline != null && now.isAfter(deadline);
        boolean failing = timedOut || any(ResourceStatus.CREATE_FAILED);
        List<ResourceRecord> calls = new ArrayList<>();
        for (ResourceRecord r : List.copyOf(resources.values())) {
          if (r.status() != ResourceStatus.CREATE_IN_PROGRESS) {
            continue;
          }
          if (timedOut || failing && CANCEL_ON_FAILURE.contains(r.type())) {
            // The stack's time is up: nothing it waits for may hold it any longer (CloudFormation
            // cancels every create in progress). The rollback looks up what a cancelled create left.
            finish(r.toBuilder().status(ResourceStatus.CREATE_FAILED).statusReason("Resource creation cancelled"), now);
          } else if (r.operationStarted() != null && now.isAfter(r.operationStarted().plus(timeoutOf(r)))) {
            finish(r.toBuilder().status(ResourceStatus.CREATE_FAILED)
                .statusReason("Resource creation timed out after " + human(timeoutOf(r))
                    + " (the cloud operation did not finish; rollback looks the resource up before deleting)"), now);
          } else if (woken || r.nextCallAt() == null || !r.nextCallAt().isAfter(now)) {
            calls.add(r);
          }
        }
        woken = false;
        failing = timedOut || any(ResourceStatus.CREATE_FAILED);
        // A step over its time starts nothing: a start left uncalled would cost a lookup by tags next time.
        boolean over = overTime();
        List<ResourceRecord> starts = failing || over ? List.of() : startReady(plan, now);
        flush();
        if ((starts.isEmpty() && calls.isEmpty()) || over) {
          break;
        }
        List<ResourceRecord> all = new ArrayList<>(starts);
        all.addAll(calls);
        justStarted.clear();
        starts.forEach(r -> justStarted.add(r.logicalId()));
        List<ProgressEvent> results = callAll(all, r -> createCall(r));
        Instant after = clock.instant();
        for (int i = 0; i < all.size(); i++) {
          applyCreate(all.get(i), results.get(i), after);
        }
        // No commit here: the next round commits these outcomes together with its starts before
        // it calls anything or the step ends (nothing waits in between).
      }
      Instant now = clock.instant();
      Optional<Instant> next = earliestCall(ResourceStatus.CREATE_IN_PROGRESS);
      List<String> failed = ids(ResourceStatus.CREATE_FAILED);
      if (!failed.isEmpty() || timedOut) {
        if (next.isPresent()) {
          return next; // let in-flight operations settle before rolling back
        }
        String reason = timedOut
            ? "Stack creation time exceeded the specified timeout of " + stack.timeoutMinutes() + " minute(s)."
            : "The following resource(s) failed to create: " + failed + ".";
        return failCreate(reason, now);
      }
      if (resources.values().stream().allMatch(r -> r.status() == ResourceStatus.CREATE_COMPLETE)) {
        return completeCreate(plan, now);
      }
      if (next.isPresent()) {
        Instant due = heldBackByAccount ? min(next.get(), now.plus(ACCOUNT_RETRY)) : next.get();
        // Due again at the stack's deadline at the latest, however long its operations wait.
        return Optional.of(deadline == null ? due : min(due, deadline));
      }
      if (heldBackByAccount || overTime()) {
        return Optional.of(now.plus(ACCOUNT_RETRY));
      }
      return failCreate("No resource can make progress (a dependency is in an unexpected state).", now);
    }

    private List<ResourceRecord> startReady(org.stacktician.template.Plan plan, Instant now) {
      List<ResourceRecord> starts = new ArrayList<>();
      int inFlight = count(ResourceStatus.CREATE_IN_PROGRESS);
      StackValues values = new StackValues(resources);
      for (ResourceRecord r : List.copyOf(resources.values())) {
        if (r.started() || !r.dependsOn().stream().allMatch(this::createComplete)) {
          continue;
        }
        if (inFlight >= options.maxOperationsPerStack()) {
          break;
        }
        if (!limiter.tryAcquire(stack.accountKey(), stack.stackId(), r.logicalId())) {
          heldBackByAccount = true;
          break;
        }
        var planned = plan.resources().get(r.logicalId());
        String path = "Resources/" + r.logicalId() + "/Properties";
        var resolution = plan.evaluator().resolve(planned.properties(), path, values);
        ResourceRecord.Builder b = r.toBuilder().operationStarted(now).callbackContext(null).nextCallAt(null);
        switch (resolution) {
          case org.stacktician.template.Resolution.Resolved res -> {
            ObjectNode props = res.value() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
            b.properties(props);
          }
          case org.stacktician.template.Resolution.Deferred d -> {
            transition(b.status(ResourceStatus.CREATE_FAILED).statusReason(
                "Properties could not be resolved: they still need " + d.waitingOn()
                    + (d.waitingOn().isEmpty() ? " (an export or zone list that is not available)" : "")), now);
            limiter.release(stack.accountKey(), stack.stackId(), r.logicalId());
            continue;
          }
          case org.stacktician.template.Resolution.Failed f -> {
            transition(b.status(ResourceStatus.CREATE_FAILED).statusReason(
                "Properties could not be resolved: " + f.errors().stream()
                    .map(e -> e.path() + ": " + e.message()).toList()), now);
            limiter.release(stack.accountKey(), stack.stackId(), r.logicalId());
            continue;
          }
        }
        JsonNode metadata = planned.definition().metadata();
        if (metadata != null && !metadata.isNull() && !metadata.isMissingNode()) {
          var m = plan.evaluator().resolve(metadata, "Resources/" + r.logicalId() + "/Metadata", values);
          b.metadata(switch (m) {
            case org.stacktician.template.Resolution.Resolved res -> res.value();
            case org.stacktician.template.Resolution.Deferred d -> d.partial();
            case org.stacktician.template.Resolution.Failed f -> metadata;
          });
        }
        starts.add(transition(b.status(ResourceStatus.CREATE_IN_PROGRESS).statusReason(null), now));
        inFlight++;
      }
      return starts;
    }

    /** One resource's create call: a first call, a poll, or a lookup when a first call's outcome is unknown. */
    private ProgressEvent createCall(ResourceRecord r) {
      Optional<ResourceHandler> handler = registry.handler(r.type());
      if (handler.isEmpty()) {
        return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, "No provider handles resource type " + r.type());
      }
      if (r.callbackContext() == null && !justStarted.contains(r.logicalId())) {
        // The first call was sent by an execution that died (or did not answer in time): find the
        // resource by its tags before creating anything twice.
        ProgressEvent found = invoke(() -> handler.get().read(request(r, null)));
        if (found instanceof ProgressEvent.Success) {
          return found;
        }
        if (found instanceof ProgressEvent.Failed f && f.code() != ErrorCode.NOT_FOUND) {
          return found;
        }
      }
      return invoke(() -> handler.get().create(request(r, r.callbackContext())));
    }

    private void applyCreate(ResourceRecord r, ProgressEvent result, Instant now) {
      switch (result) {
        case ProgressEvent.Success s -> {
          counters.resourcesCreated.increment();
          finish(r.toBuilder().status(ResourceStatus.CREATE_COMPLETE).statusReason(null)
              .physicalId(s.physicalId()).attributes(s.attributes()).callbackContext(null).nextCallAt(null), now);
        }
        case ProgressEvent.InProgress p when p == UNANSWERED ->
            quiet(r.toBuilder().nextCallAt(now.plus(p.delay())).updatedAt(now).build());
        case ProgressEvent.InProgress p -> {
          boolean first = r.callbackContext() == null;
          ResourceRecord.Builder b = r.toBuilder().callbackContext(p.callbackContext())
              .nextCallAt(now.plus(p.delay())).updatedAt(now);
          if (first) {
            transition(b.statusReason("Resource creation Initiated"), now);
          } else {
            quiet(b.build());
          }
        }
        case ProgressEvent.Failed f -> {
          ResourceRecord.Builder b = r.toBuilder().status(ResourceStatus.CREATE_FAILED).statusReason(f.message())
              .nextCallAt(null);
          if (r.callbackContext() == null && f.code() != ErrorCode.INVALID_REQUEST) {
            // The first call failed after it may have reached the cloud (a dropped answer, a
            // time-out): the delete looks the resource up instead of assuming nothing exists.
            b.callbackContext(JsonNodeFactory.instance.objectNode().put("firstCallFailed", f.code().name()));
          }
          finish(b, now);
        }
      }
    }

    private Optional<Instant> failCreate(String reason, Instant now) {
      if (stack.disableRollback()) {
        setStack(StackStatus.CREATE_FAILED, reason, now);
        flush();
        return settled();
      }
      setStack(StackStatus.ROLLBACK_IN_PROGRESS, reason + " Rollback requested by user.", now);
      flush();
      return delete();
    }

    private Optional<Instant> completeCreate(org.stacktician.template.Plan plan, Instant now) {
      StackValues values = new StackValues(resources);
      Outputs.Evaluated outputs = Outputs.evaluate(plan, values, secrets);
      if (outputs.error() != null) {
        return failCreate(outputs.error(), now);
      }
      StackRecord done = stack.withOutputs(outputs.outputs()).withStatus(StackStatus.CREATE_COMPLETE, null, now);
      List<StateStore.ExportRecord> exports = outputs.outputs().stream().filter(o -> o.exportName() != null)
          .map(o -> new StateStore.ExportRecord(o.exportName(), o.value(), stack.stackId(), stack.stackName()))
          .toList();
      try {
        commit(new Changes(done, dedupe(changed), append(EventFactory.stack(done, now)), exports, null));
      } catch (org.stacktician.engine.state.ExportConflictException e) {
        changed.clear();
        events.clear();
        return failCreate(e.getMessage() + ".", now);
      }
      changed.clear();
      events.clear();
      stack = done;
      return settled();
    }

    // ---------------------------------------------------------------- delete

    Optional<Instant> delete() {
      boolean rollback = stack.status() == StackStatus.ROLLBACK_IN_PROGRESS;
      Instant opStart = stack.operationStarted();
      while (true) {
        Instant now = clock.instant();
        List<ResourceRecord> calls = new ArrayList<>();
        for (ResourceRecord r : List.copyOf(resources.values())) {
          if (r.status() == ResourceStatus.DELETE_IN_PROGRESS) {
            if (r.operationStarted() != null && now.isAfter(r.operationStarted().plus(timeoutOf(r)))) {
              finish(r.toBuilder().status(ResourceStatus.DELETE_FAILED)
                  .statusReason("Resource deletion timed out after " + human(timeoutOf(r))), now);
            } else if (woken || r.nextCallAt() == null || !r.nextCallAt().isAfter(now)) {
              calls.add(r);
            }
          } else if (r.status() == ResourceStatus.CREATE_IN_PROGRESS) {
            // A create that was still running when the stack failed (e.g. after a crash): treat as
            // unknown outcome; the delete looks the resource up first.
            ResourceRecord.Builder b = r.toBuilder().status(ResourceStatus.CREATE_FAILED)
                .statusReason("Resource creation cancelled");
            finish(b, now);
          }
        }
        woken = false;
        settledWithoutCall = false;
        List<ResourceRecord> starts = startDeletes(opStart, now);
        flush();
        if (starts.isEmpty() && calls.isEmpty() && settledWithoutCall && !overTime()) {
          continue; // a retained or never-created resource is done: its dependencies may go now
        }
        if (starts.isEmpty() && calls.isEmpty() || overTime()) {
          break;
        }
        List<ResourceRecord> all = new ArrayList<>(starts);
        all.addAll(calls);
        List<ProgressEvent> results = callAll(all, this::deleteCall);
        Instant after = clock.instant();
        for (int i = 0; i < all.size(); i++) {
          applyDelete(all.get(i), results.get(i), after);
        }
        // Committed with the next round's starts, before anything is called or the step ends.
      }
      Optional<Instant> next = earliestCall(ResourceStatus.DELETE_IN_PROGRESS);
      if (next.isPresent()) {
        return heldBackByAccount ? Optional.of(min(next.get(), clock.instant().plus(ACCOUNT_RETRY))) : next;
      }
      if (heldBackByAccount || overTime()) {
        return Optional.of(clock.instant().plus(ACCOUNT_RETRY));
      }
      Instant now = clock.instant();
      List<String> notDeleted = resources.values().stream()
          .filter(r -> needsDelete(r, opStart) || r.status() == ResourceStatus.DELETE_FAILED)
          .map(ResourceRecord::logicalId).toList();
      List<String> failedDeletes = ids(ResourceStatus.DELETE_FAILED);
      if (notDeleted.isEmpty()) {
        if (rollback) {
          setStack(StackStatus.ROLLBACK_COMPLETE, null, now);
          flush();
        } else {
          StackRecord done = stack.withStatus(StackStatus.DELETE_COMPLETE, null, now);
          commit(new Changes(done, dedupe(changed), append(EventFactory.stack(done, now)), List.of(), stack.stackId()));
          store.deleteSignals(stack.stackId());
          changed.clear();
          events.clear();
          stack = done;
        }
      } else {
        String reason = "The following resource(s) failed to delete: "
            + (failedDeletes.isEmpty() ? notDeleted : failedDeletes) + ".";
        setStack(rollback ? StackStatus.ROLLBACK_FAILED : StackStatus.DELETE_FAILED, reason, now);
        flush();
      }
      return settled();
    }

    private List<ResourceRecord> startDeletes(Instant opStart, Instant now) {
      List<ResourceRecord> starts = new ArrayList<>();
      int inFlight = count(ResourceStatus.DELETE_IN_PROGRESS);
      for (ResourceRecord r : List.copyOf(resources.values())) {
        if (!needsDelete(r, opStart) || !dependentsGone(r.logicalId())) {
          continue;
        }
        if (r.retainedOn(rollback(stack))) {
          finish(r.toBuilder().status(ResourceStatus.DELETE_SKIPPED)
              .statusReason("Retained (DeletionPolicy: Retain); the resource still exists in the cloud"), now);
          settledWithoutCall = true;
          continue;
        }
        boolean nothingMade = r.physicalId() == null && r.callbackContext() == null
            && r.status() == ResourceStatus.CREATE_FAILED;
        if (nothingMade) {
          finish(r.toBuilder().status(ResourceStatus.DELETE_COMPLETE)
              .statusReason("Nothing to delete: the resource was never created"), now);
          settledWithoutCall = true;
          continue;
        }
        if (inFlight >= options.maxOperationsPerStack()) {
          break;
        }
        if (!limiter.tryAcquire(stack.accountKey(), stack.stackId(), r.logicalId())) {
          heldBackByAccount = true;
          break;
        }
        // With no physical id the delete first looks the resource up with the create's last callback
        // context (what its job or service reported), so that context stays until the lookup.
        starts.add(transition(r.toBuilder().status(ResourceStatus.DELETE_IN_PROGRESS).statusReason(null)
            .operationStarted(now).callbackContext(r.physicalId() == null ? r.callbackContext() : null)
            .nextCallAt(null), now));
        inFlight++;
      }
      return starts;
    }

    private ProgressEvent deleteCall(ResourceRecord r) {
      Optional<ResourceHandler> handler = registry.handler(r.type());
      if (handler.isEmpty()) {
        return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, "No provider handles resource type " + r.type());
      }
      if (r.physicalId() == null) {
        // The create's outcome is unknown (time-out, crash, a failed job that may have left
        // something behind): find the resource before deleting it. The create's last callback
        // context goes along, so a provider can use what its job reported (e.g. the resource id).
        ProgressEvent found = invoke(() -> handler.get().read(request(r, r.callbackContext())));
        if (found instanceof ProgressEvent.Failed f) {
          return f.code() == ErrorCode.NOT_FOUND ? ProgressEvent.success(null) : f;
        }
        if (found instanceof ProgressEvent.Success s && s.physicalId() != null) {
          ResourceRecord withId = r.toBuilder().physicalId(s.physicalId()).attributes(s.attributes()).build();
          resources.put(r.logicalId(), withId);
          return invoke(() -> handler.get().delete(request(withId, null)));
        }
        return ProgressEvent.success(null);
      }
      return invoke(() -> handler.get().delete(request(r, r.callbackContext())));
    }

    /** Failures of a delete that another try may not meet: the cloud's own error, no answer, still in use. */
    private static boolean mayPass(ErrorCode code) {
      return code == ErrorCode.SERVICE_INTERNAL_ERROR || code == ErrorCode.NETWORK_FAILURE
          || code == ErrorCode.RESOURCE_CONFLICT || code == ErrorCode.TIMEOUT;
    }

    private void applyDelete(ResourceRecord r, ProgressEvent result, Instant now) {
      ResourceRecord current = resources.get(r.logicalId());
      String physicalId = current.physicalId();
      switch (result) {
        case ProgressEvent.Success s -> {
          counters.resourcesDeleted.increment();
          finish(current.toBuilder().status(ResourceStatus.DELETE_COMPLETE).statusReason(null)
              .physicalId(physicalId).callbackContext(null).nextCallAt(null), now);
        }
        case ProgressEvent.InProgress p when p == UNANSWERED ->
            quiet(current.toBuilder().nextCallAt(now.plus(p.delay())).updatedAt(now).build());
        case ProgressEvent.InProgress p -> quiet(current.toBuilder().callbackContext(p.callbackContext())
            .nextCallAt(now.plus(p.delay())).updatedAt(now).build());
        case ProgressEvent.Failed f -> {
          if (f.code() == ErrorCode.NOT_FOUND) {
            counters.resourcesDeleted.increment();
            finish(current.toBuilder().status(ResourceStatus.DELETE_COMPLETE)
                .statusReason("Already gone: " + f.message()).nextCallAt(null), now);
          } else if (mayPass(f.code()) && current.operationStarted() != null
              && Duration.between(current.operationStarted(), now).compareTo(options.deleteRetryWindow()) < 0) {
            // A stack should not be left half deleted for a hiccup: try again, pausing longer each time.
            long elapsedMillis = Duration.between(current.operationStarted(), now).toMillis();
            Duration pause = Duration.ofMillis(Math.clamp(elapsedMillis / 2, 1000L, 15_000L));
            LOG.info("{} of stack {}: delete failed ({}); trying again in {} ms", r.logicalId(), stack.stackName(),
                f.message(), pause.toMillis());
            quiet(current.toBuilder().statusReason("Trying again after: " + f.message()).callbackContext(null)
                .nextCallAt(now.plus(pause)).updatedAt(now).build());
          } else {
            finish(current.toBuilder().status(ResourceStatus.DELETE_FAILED).statusReason(f.message())
                .nextCallAt(null), now);
          }
        }
      }
    }

    /** True when the resource still has to be deleted in the current delete operation. */
    private boolean needsDelete(ResourceRecord r, Instant opStart) {
      if (r.status() == null || r.status().gone() || r.status() == ResourceStatus.DELETE_IN_PROGRESS) {
        return false;
      }
      if (r.status() == ResourceStatus.DELETE_FAILED) {
        // A failure of an earlier delete operation is retried; one of this operation is final.
        return opStart != null && r.updatedAt() != null && r.updatedAt().isBefore(opStart);
      }
      return true;
    }

    private boolean dependentsGone(String logicalId) {
      for (ResourceRecord other : resources.values()) {
        if (other.dependsOn().contains(logicalId) && other.status() != null && !other.status().gone()) {
          return false;
        }
      }
      return true;
    }

    // ---------------------------------------------------------------- shared

    private ResourceRequest request(ResourceRecord r, ObjectNode callbackContext) {
      ObjectNode props = r.properties() == null ? JsonNodeFactory.instance.objectNode() : r.properties().deepCopy();
      return new ResourceRequest(context.stack(), r.logicalId(), r.type(), props, null, r.physicalId(),
          r.attributes(), r.metadata(), callbackContext == null ? null : callbackContext.deepCopy(), context);
    }

    private ProgressEvent invoke(java.util.function.Supplier<ProgressEvent> call) {
      counters.handlerCalls.increment();
      try {
        ProgressEvent e = call.get();
        return e == null ? ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "the handler returned nothing") : e;
      } catch (RuntimeException e) {
        LOG.debug("handler call failed", e);
        return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
            "Handler error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
    }

    /** Runs the calls in parallel on virtual threads; a call that does not answer in time counts as unknown. */
    private List<ProgressEvent> callAll(List<ResourceRecord> rs, java.util.function.Function<ResourceRecord, ProgressEvent> call) {
      if (rs.size() == 1) {
        return List.of(call.apply(rs.get(0)));
      }
      List<ProgressEvent> out = new ArrayList<>(rs.size());
      ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
      try {
        List<Future<ProgressEvent>> futures = new ArrayList<>();
        for (ResourceRecord r : rs) {
          futures.add(exec.submit(() -> call.apply(r)));
        }
        long deadline = System.nanoTime() + HANDLER_CALL_TIMEOUT.toNanos();
        for (Future<ProgressEvent> f : futures) {
          try {
            out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
          } catch (TimeoutException e) {
            f.cancel(true);
            out.add(UNANSWERED);
          } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error err) {
              throw err;
            }
            out.add(ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "Handler error: " + e.getCause()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.add(UNANSWERED);
          }
        }
      } finally {
        exec.shutdownNow();
      }
      return out;
    }

    /** One execution works at most this long, so that stacks share the scheduler's threads fairly. */
    private boolean overTime() {
      return System.nanoTime() - stepStartNanos > MAX_STEP.toNanos();
    }

    private Duration timeoutOf(ResourceRecord r) {
      Duration d = options.resourceTimeout();
      if (r.properties() != null && r.properties().hasNonNull("Timeout")) {
        JsonNode t = r.properties().get("Timeout");
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

    private boolean createComplete(String logicalId) {
      ResourceRecord r = resources.get(logicalId);
      return r == null || r.status() == ResourceStatus.CREATE_COMPLETE;
    }

    private boolean any(ResourceStatus status) {
      return resources.values().stream().anyMatch(r -> r.status() == status);
    }

    private int count(ResourceStatus status) {
      return (int) resources.values().stream().filter(r -> r.status() == status).count();
    }

    private List<String> ids(ResourceStatus status) {
      return resources.values().stream().filter(r -> r.status() == status).map(ResourceRecord::logicalId).toList();
    }

    private Optional<Instant> earliestCall(ResourceStatus status) {
      Instant now = clock.instant();
      return resources.values().stream().filter(r -> r.status() == status)
          .map(r -> r.nextCallAt() == null ? now : r.nextCallAt()).min(Instant::compareTo);
    }

    /** Records a status change with its event. */
    private ResourceRecord transition(ResourceRecord.Builder b, Instant now) {
      ResourceRecord r = b.updatedAt(now).build();
      resources.put(r.logicalId(), r);
      changed.add(r);
      events.add(EventFactory.resource(stack, r, now, secrets));
      return r;
    }

    /** Records a change with no event (a poll's new callback context). */
    private void quiet(ResourceRecord r) {
      resources.put(r.logicalId(), r);
      changed.add(r);
    }

    /** Records the end of a resource's operation and frees its permit. */
    private void finish(ResourceRecord.Builder b, Instant now) {
      ResourceRecord r = transition(b, now);
      limiter.release(stack.accountKey(), stack.stackId(), r.logicalId());
    }

    private void setStack(StackStatus status, String reason, Instant now) {
      stack = stack.withStatus(status, reason, now);
      if (status.inProgress()) {
        stack = stack.withOperationStarted(now);
      }
      events.add(EventFactory.stack(stack, now));
      pendingStack = stack;
    }

    private StackRecord pendingStack;
    /** The stack's operation id as stored: changes are committed only while it has not changed. */
    private String committedOperation;

    private void flush() {
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
      store.commit(changes.forOperation(stack.stackId(), committedOperation));
      if (changes.stack() != null) {
        committedOperation = changes.stack().operationId();
      }
    }

    private List<StackEvent> append(StackEvent e) {
      List<StackEvent> all = new ArrayList<>(events);
      all.add(e);
      return all;
    }

    private Optional<Instant> settled() {
      for (ResourceRecord r : resources.values()) {
        limiter.release(stack.accountKey(), stack.stackId(), r.logicalId());
      }
      plans.forget(stack.stackId());
      counters.stacksSettled.increment();
      onSettled.accept(stack);
      return Optional.empty();
    }
  }

  /**
   * Stands for a call that did not answer: the operation keeps its state (a first call's outcome
   * stays unknown, so the next call looks the resource up) and is tried again shortly.
   */
  private static final ProgressEvent.InProgress UNANSWERED = ProgressEvent.inProgress(Duration.ofSeconds(5),
      "the handler did not answer in time");

  private static boolean rollback(StackRecord s) {
    return s.status() == StackStatus.ROLLBACK_IN_PROGRESS;
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

  static String human(Duration d) {
    if (d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
      return d.toHours() + " h";
    }
    if (d.toMinutes() > 0 && d.toSecondsPart() == 0) {
      return d.toMinutes() + " min";
    }
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** How long one execution may keep working before it yields (it reschedules itself at once). */
  static final Duration MAX_STEP = Duration.ofSeconds(1);
}
