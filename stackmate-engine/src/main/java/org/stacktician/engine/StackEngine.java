package org.stacktician.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.change.ChangeSetCalculator;
import org.stacktician.engine.change.ChangeSetRecord;
import org.stacktician.engine.change.ChangeSetStore;
import org.stacktician.engine.change.ChangeSets;
import org.stacktician.engine.drift.DriftDetector;
import org.stacktician.engine.drift.DriftStore;
import org.stacktician.engine.drift.StackDrift;
import org.stacktician.engine.change.ChangeSet;
import org.stacktician.engine.change.ChangeSetResult;
import org.stacktician.engine.change.StackSnapshot;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.execution.CloudEnvironment;
import org.stacktician.engine.stack.CurrentRows;
import org.stacktician.engine.stack.TemplateVersion;
import org.stacktician.engine.execution.Counters;
import org.stacktician.engine.execution.CreateRollbackOperation;
import org.stacktician.engine.execution.StackOperation;
import org.stacktician.engine.execution.UpdateRollbackOperation;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.execution.EventFactory;
import org.stacktician.engine.execution.StackPlans;
import org.stacktician.engine.execution.StackScheduler;
import org.stacktician.engine.execution.StackStepper;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.engine.exports.ExportGuard;
import org.stacktician.engine.nested.NestedStackHost;
import org.stacktician.engine.nested.NestedStackProvider;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.registry.AccountRegistries;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.state.StoreSignalStore;
import org.stacktician.template.Plan;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.TemplateError;

/**
 * The StackMate engine: creates, updates and deletes stacks as persistent, resumable workflows driven by
 * db-scheduler, with CloudFormation's statuses, events, rollback and outputs.
 *
 * <pre>{@code
 * try (StackEngine engine = StackEngine.builder()
 *     .database(EngineDatabase.h2File(dir))
 *     .providerContext(baseContext)
 *     .registry((base, own) -> ProviderRegistry.load(base, own, null))
 *     .build()) {
 *   engine.start();
 *   StackRecord s = engine.createStack(CreateStackRequest.of("web", templateText, Map.of()));
 *   StackRecord done = engine.awaitSettled(s.stackId(), Duration.ofMinutes(10));
 * }
 * }</pre>
 */
public final class StackEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StackEngine.class);
  private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][-A-Za-z0-9]{0,127}");

  private final EngineDatabase database;
  private final StateStore store;
  private final ProviderContext baseContext;
  private final ProviderRegistry registry;
  /** Each stack's registry: the engine's, or its account's cloud's when a resolver gives each account its catalog. */
  private final AccountRegistries registries;
  private final CloudEnvironment environment;
  private final Clock clock;
  private final StackPlans plans;
  private final StackScheduler scheduler;
  private final Counters counters = new Counters();
  private final ExportGuard exportGuard;
  private final ChangeSets changeSets;
  private final DriftStore drifts;
  private final org.stacktician.engine.drift.DriftDetections detections;
  private final ConcurrentHashMap<String, CompletableFuture<StackRecord>> waiters = new ConcurrentHashMap<>();
  private final boolean ownsDatabase;
  private volatile boolean started;
  /** The cloud account this engine works in; a stack records the one it was created in. */
  private final String cloudKey;
  /** True when each stack's cloud comes from its account (a CloudResolver): every stack is this engine's. */
  private final boolean resolvesClouds;

  private StackEngine(Builder b) {
    this.database = Objects.requireNonNull(b.database, "database");
    this.ownsDatabase = b.ownsDatabase;
    this.store = b.store != null ? b.store : new JdbiStateStore(database);
    this.environment = b.environment;
    this.clock = b.clock;
    ProviderContext base = b.providerContext != null ? b.providerContext : ProviderContext.builder().build();
    if (base.signalStore().isEmpty()) {
      base = base.toBuilder().signalStore(new StoreSignalStore(store)).build();
    }
    this.baseContext = base;
    this.registry = b.registryFactory.build(baseContext, List.of(new NestedStackProvider(new Host())));
    this.registries = new AccountRegistries(registry, baseContext);
    ProviderContext context = baseContext;
    // Rules ask the stack's own cloud (its account's, in the server), only when a rule needs it.
    this.plans = new StackPlans(store, environment, accountKey -> context.cloudStack().isEmpty()
        && context.service(org.stacktician.engine.provider.CloudResolver.class).isEmpty() ? null
        : org.stacktician.engine.cloudstack.CloudStackObjects.lazy(
            () -> context.forAccount(accountKey).cloudStack().orElseThrow(
                () -> new IllegalStateException("no CloudStack endpoint is configured"))));
    this.exportGuard = new ExportGuard(store);
    this.changeSets = new ChangeSets(store, new ChangeSetStore(database));
    this.drifts = new DriftStore(database);
    this.detections = new org.stacktician.engine.drift.DriftDetections(drifts, clock);
    StackStepper stepper = new StackStepper(store, plans, registries, baseContext, b.options, clock, counters,
        this::settled);
    this.resolvesClouds = baseContext.service(org.stacktician.engine.provider.CloudResolver.class).isPresent();
    this.cloudKey = baseContext.service(org.stacktician.engine.provider.CloudResolver.class)
        .map(org.stacktician.engine.provider.CloudResolver::engineKey)
        .orElseGet(() -> baseContext.cloudStack().map(CloudStackClient::accountKey).orElse("no cloud"));
    this.scheduler = new StackScheduler(database.dataSource(), stepper, b.options, cloudKey,
        this::finishDriftDetection);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts executing: resumes every stack operation an earlier process left in progress (re-polling
   * known jobs, looking resources up by tag where a create's outcome is unknown), then runs new ones.
   */
  public synchronized void start() {
    if (started) {
      return;
    }
    scheduler.adoptUnnamedExecutions();
    // Stacks recorded under another spelling of this cloud's endpoint (before account keys were canonical).
    scheduler.adoptExecutionsOf(store.listStacks().stream().map(StackRecord::accountKey)
        .filter(k -> k != null && !k.equals(cloudKey) && CloudStackClient.sameAccount(k, cloudKey)).distinct().toList());
    scheduler.releaseOrphanedExecutions();
    scheduler.start();
    int resumed = 0;
    for (StackRecord s : store.listStacks()) {
      if (s.status().inProgress() && inThisCloud(s) && !scheduler.scheduled(s.stackId())) {
        scheduler.schedule(s.stackId());
        resumed++;
      }
    }
    if (resumed > 0) {
      LOG.info("resumed {} stack operation(s) that had no scheduled execution", resumed);
    }
    started = true;
  }

  /**
   * Validates and plans a template, records the stack as CREATE_IN_PROGRESS and starts creating it.
   *
   * @throws StackValidationException when the name, template, parameters or properties are invalid
   * @throws org.stacktician.engine.state.StackAlreadyExistsException when a live stack has the name
   */
  public StackRecord createStack(CreateStackRequest request) {
    return create(request, null, null);
  }

  /** Starts deleting a stack (also retries a DELETE_FAILED or ROLLBACK_FAILED stack). */
  public StackRecord deleteStack(String nameOrId) {
    return deleteStack(nameOrId, Set.of());
  }

  /**
   * Starts deleting a stack; as CloudFormation's RetainResources, the resources named in {@code retain}
   * (allowed only on a DELETE_FAILED stack) are left in the cloud and marked DELETE_SKIPPED.
   *
   * @throws StackOperationException when the stack cannot be deleted now, or {@code retain} is not allowed
   */
  public StackRecord deleteStack(String nameOrId, Set<String> retain) {
    StackRecord s = store.findStack(nameOrId)
        .orElseThrow(() -> new StackOperationException("Stack with id " + nameOrId + " does not exist"));
    if (s.status() == StackStatus.DELETE_COMPLETE) {
      return s;
    }
    requireThisCloud(s);
    if (s.terminationProtection()) {
      throw new StackOperationException("Stack [" + s.stackName() + "] cannot be deleted while TerminationProtection"
          + " is enabled");
    }
    if (s.status().inProgress()) {
      throw new StackOperationException("Stack " + s.stackName() + " is in " + s.status()
          + " state and can not be deleted now; wait until its current operation ends");
    }
    Optional<String> refusal = exportGuard.refusal(s);
    if (refusal.isPresent()) {
      throw new StackOperationException(refusal.get());
    }
    List<ResourceRecord> all = store.resources(s.stackId());
    List<ResourceRecord> retained = retained(s, all, retain);
    Instant now = clock.instant();
    StackRecord deleting = s.withStatus(StackStatus.DELETE_IN_PROGRESS, "User Initiated", now).withOperationStarted(now);
    List<StackEvent> events = new ArrayList<>(List.of(EventFactory.stack(deleting, now)));
    List<ResourceRecord> skipped = new ArrayList<>();
    List<String> secrets = EventFactory.noEchoValues(deleting, all);
    for (ResourceRecord r : retained) {
      ResourceRecord kept = r.toBuilder().status(ResourceStatus.DELETE_SKIPPED)
          .statusReason("Retained at the user's request (--retain-resources); the resource still exists in the cloud")
          .updatedAt(now).build();
      skipped.add(kept);
      events.add(EventFactory.resource(deleting, kept, now, secrets));
    }
    try {
      store.commit(StateStore.Changes.of(deleting, skipped, events)
          .forOperation(s.stackId(), s.operationId()));
    } catch (org.stacktician.engine.state.StaleOperationException e) {
      throw new StackOperationException("Stack " + s.stackName() + " changed while its delete was being requested"
          + " (another operation started on it); describe it and try again");
    }
    scheduler.schedule(deleting.stackId());
    return deleting;
  }

  /**
   * Turns a stack's termination protection on or off (CloudFormation's UpdateTerminationProtection).
   *
   * @throws StackOperationException when there is no such stack, or it is a nested stack (whose protection is its
   *     root stack's)
   */
  public StackRecord updateTerminationProtection(String nameOrId, boolean enabled) {
    return updateTerminationProtection(store, nameOrId, enabled);
  }

  /** {@link #updateTerminationProtection(String, boolean)} on a store with no engine running (the CLI's). */
  public static StackRecord updateTerminationProtection(StateStore store, String nameOrId, boolean enabled) {
    StackRecord s = store.findStack(nameOrId).filter(r -> r.status() != StackStatus.DELETE_COMPLETE)
        .orElseThrow(() -> new StackOperationException("Stack with id " + nameOrId + " does not exist"));
    if (s.parentStackId() != null) {
      throw new StackOperationException("Stack " + s.stackName() + " is a nested stack: its termination protection is"
          + " its root stack's; update the root stack " + store.findStack(root(store, s)).map(StackRecord::stackName)
              .orElse(s.parentStackId()) + " instead");
    }
    store.setTerminationProtection(s.stackId(), enabled);
    return s.withTerminationProtection(enabled);
  }

  private static String root(StateStore store, StackRecord s) {
    StackRecord at = s;
    while (at.parentStackId() != null) {
      Optional<StackRecord> parent = store.findStack(at.parentStackId());
      if (parent.isEmpty()) {
        return at.parentStackId();
      }
      at = parent.get();
    }
    return at.stackId();
  }

  /**
   * Starts updating a stack (CloudFormation's UpdateStack): to a new template and/or parameter values, a parameter
   * given as {@link UpdateRequest.ParameterValue.UsePrevious} keeping its value, a null template keeping the current
   * one. What changes is decided as a change set decides it ({@link ChangeSetCalculator}); the update then changes
   * resources in place, replaces them (the new one first, the old one deleted at the end), adds and removes them,
   * and rolls back to the current template and values if anything fails.
   *
   * @param templateSource where a new template was read from (a nested stack's relative TemplateURL resolves against
   *     it); null keeps the stack's
   * @throws StackValidationException when the template or values are invalid, or the update is one CloudFormation
   *     refuses (a custom-named resource that must be replaced keeps its name)
   * @throws StackOperationException when the stack cannot be updated in its state, or the update changes nothing
   *     ({@value ChangeSet#NO_UPDATES})
   */
  public StackRecord updateStack(String nameOrId, UpdateRequest request, String templateSource) {
    StackRecord s = store.findStack(nameOrId)
        .orElseThrow(() -> new StackOperationException("Stack with id " + nameOrId + " does not exist"));
    requireThisCloud(s);
    // An update that failed with DisableRollback may be tried again (or rolled back, or the stack deleted).
    boolean retrying = s.status() == StackStatus.UPDATE_FAILED;
    if (!s.status().succeeded() && !retrying) {
      throw new StackOperationException("Stack:" + s.stackId() + " is in " + s.status() + " state and can not be"
          + " updated." + (s.status().inProgress() ? " Wait until its current operation ends."
              : " Only a stack in CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE or UPDATE_FAILED can be"
                  + " updated."));
    }
    List<ResourceRecord> rows = store.resources(s.stackId());
    ChangeSetResult computed = ChangeSetCalculator.using(registries.forAccount(s.accountKey()))
        .compute(StackSnapshot.of(s, CurrentRows.of(s, rows)), request, plans.contextOf(s));
    if (computed instanceof ChangeSetResult.Rejected rejected) {
      throw new StackValidationException(rejected.errors());
    }
    ChangeSet changeSet = ((ChangeSetResult.Computed) computed).changeSet();
    if (changeSet.noUpdates() && !retrying) { // a failed update's resources are not as its template says yet
      throw new StackOperationException(ChangeSet.NO_UPDATES);
    }
    var outcome = plans.plan(changeSet.templateBody(), templateSource != null ? templateSource
        : s.templateUrl() != null ? s.templateUrl() : "template", s.stackName(), s.stackId(),
        changeSet.parameterValues(), s.accountKey(), s.scope());
    if (outcome instanceof StackPlans.Outcome.Rejected rejected) {
      throw new StackValidationException(rejected.errors());
    }
    var planned = (StackPlans.Outcome.Planned) outcome;
    Plan plan = planned.plan();
    int version = s.nextVersion();
    List<StackParameter> params = plan.parameters().values().stream().map(StackParameter::of).toList();
    Instant now = clock.instant();
    StackRecord updating = s.withNewVersion(new TemplateVersion(version, changeSet.templateBody(), params),
            plan.template().description(), templateSource)
        .withStatus(StackStatus.UPDATE_IN_PROGRESS, "User Initiated", now).withOperationStarted(now)
        .withDisableRollback(request.disableRollback());
    if (retrying) {
      // The failed update's version was never stable: a rollback of this one returns to the version before it.
      updating = updating.withPrevious(s.previous());
    }
    // Added resources get rows of the new version; the others' rows are taken over by the update as it reaches them.
    List<ResourceRecord> added = new ArrayList<>();
    for (PlannedResource r : plan.resources().values()) {
      if (r.included() && rows.stream().noneMatch(x -> x.logicalId().equals(r.logicalId()) && x.carriesOver())) {
        added.add(ResourceRecord.planned(s.stackId(), version, r.logicalId(), r.type(), r.dependsOn(), null,
            r.definition().deletionPolicy(), r.definition().updateReplacePolicy(), null, now));
      }
    }
    commitStart(s, StateStore.Changes.of(updating, added, List.of(EventFactory.stack(updating, now))), "update");
    if (!planned.imports().isEmpty()) {
      store.recordImports(s.stackId(), planned.imports());
    }
    plans.remember(s.stackId(), version, plan);
    scheduler.schedule(updating.stackId());
    return updating;
  }

  /** As {@link #updateStack(String, UpdateRequest, String)}, keeping where the stack's template was read from. */
  public StackRecord updateStack(String nameOrId, UpdateRequest request) {
    return updateStack(nameOrId, request, null);
  }

  /**
   * Executes a stored change set (CloudFormation's ExecuteChangeSet): updates its stack with the change set's
   * template and parameter values through {@link #updateStack(String, UpdateRequest, String)}. The change set is
   * EXECUTE_IN_PROGRESS until the update ends, then EXECUTE_COMPLETE (UPDATE_COMPLETE) or EXECUTE_FAILED; the
   * stack's other change sets become OBSOLETE.
   *
   * @throws StackOperationException when the change set does not exist, is not AVAILABLE, or the update is refused
   * @throws StackValidationException when its template no longer plans (an export it imports is gone, say)
   */
  public StackRecord executeChangeSet(String stackName, String changeSetName) {
    return executeChangeSet(stackName, changeSetName, false);
  }

  /**
   * As {@link #executeChangeSet(String, String)}; with {@code disableRollback} (ExecuteChangeSet's DisableRollback) a
   * failed update stops in UPDATE_FAILED instead of rolling back.
   */
  public StackRecord executeChangeSet(String stackName, String changeSetName, boolean disableRollback) {
    ChangeSetRecord cs = changeSets.executable(stackName, changeSetName);
    Map<String, UpdateRequest.ParameterValue> values = new LinkedHashMap<>();
    cs.changeSet().parameterValues().forEach((k, v) -> values.put(k, new UpdateRequest.ParameterValue.Given(v)));
    changeSets.executionStarting(cs);
    try {
      return updateStack(cs.stackId(), new UpdateRequest(cs.changeSet().templateBody(), values, disableRollback),
          cs.templateUrl());
    } catch (RuntimeException e) {
      changeSets.executionRefused(cs);
      throw e;
    }
  }

  /**
   * Cancels an update in progress (CloudFormation's CancelUpdateStack): the update stops and rolls back to the
   * previous template and values; operations already running end (what they made is cleaned up).
   *
   * @throws StackOperationException when the stack is not UPDATE_IN_PROGRESS
   */
  public StackRecord cancelUpdateStack(String nameOrId) {
    store.findStack(nameOrId).ifPresent(this::requireThisCloud);
    StackRecord rolling = CancelUpdate.request(store, nameOrId, clock.instant());
    scheduler.wake(rolling.stackId());
    return rolling;
  }

  /**
   * Rolls back a stack whose create or update failed with DisableRollback (CloudFormation's RollbackStack): from
   * UPDATE_FAILED to its last stable template version and values (UPDATE_ROLLBACK_IN_PROGRESS, ending
   * UPDATE_ROLLBACK_COMPLETE), from CREATE_FAILED towards nothing (ROLLBACK_IN_PROGRESS, ending ROLLBACK_COMPLETE).
   *
   * @throws StackOperationException when the stack is in neither status
   */
  public StackRecord rollbackStack(String nameOrId) {
    StackRecord s = store.findStack(nameOrId)
        .orElseThrow(() -> new StackOperationException("Stack with id " + nameOrId + " does not exist"));
    requireThisCloud(s);
    StackOperation rollback = switch (s.status()) {
      case UPDATE_FAILED -> new UpdateRollbackOperation();
      case CREATE_FAILED -> new CreateRollbackOperation();
      default -> throw new StackOperationException("Stack " + s.stackName() + " is " + s.status() + ": only a stack"
          + " in CREATE_FAILED or UPDATE_FAILED (a failure with DisableRollback) can be rolled back");
    };
    Instant now = clock.instant();
    StackRecord rolling = rollback.takingOver(s).withStatus(rollback.phases().getFirst().running(), "User Initiated",
        now).withOperationStarted(now);
    commitStart(s, StateStore.Changes.of(rolling, List.of(), List.of(EventFactory.stack(rolling, now))), "rollback");
    scheduler.schedule(rolling.stackId());
    return rolling;
  }

  /**
   * Retries the rollback of a stack in UPDATE_ROLLBACK_FAILED (CloudFormation's ContinueUpdateRollback); the
   * resources named in {@code skip} (whose rollback failed) are taken as rolled back and left as they are.
   *
   * @throws StackOperationException when the stack is not UPDATE_ROLLBACK_FAILED or a resource cannot be skipped
   */
  public StackRecord continueUpdateRollback(String nameOrId, Set<String> skip) {
    StackRecord s = store.findStack(nameOrId)
        .orElseThrow(() -> new StackOperationException("Stack with id " + nameOrId + " does not exist"));
    requireThisCloud(s);
    if (s.status() != StackStatus.UPDATE_ROLLBACK_FAILED) {
      throw new StackOperationException("Stack " + s.stackName() + " is " + s.status() + ": only a stack in"
          + " UPDATE_ROLLBACK_FAILED can continue its update rollback");
    }
    List<ResourceRecord> rows = CurrentRows.of(s, store.resources(s.stackId()));
    Instant now = clock.instant();
    StackRecord rolling = s.withStatus(StackStatus.UPDATE_ROLLBACK_IN_PROGRESS, "User Initiated", now)
        .withOperationStarted(now);
    List<StackEvent> events = new ArrayList<>(List.of(EventFactory.stack(rolling, now)));
    List<ResourceRecord> skipped = new ArrayList<>();
    List<String> secrets = EventFactory.noEchoValues(rolling, rows);
    for (String id : new java.util.TreeSet<>(skip)) {
      ResourceRecord r = rows.stream().filter(x -> x.logicalId().equals(id)).findFirst()
          .orElseThrow(() -> new StackOperationException("Stack " + s.stackName() + " has no resource " + id
              + " to skip; its resources are " + rows.stream().map(ResourceRecord::logicalId).toList()));
      if (r.status() != ResourceStatus.UPDATE_FAILED) {
        throw new StackOperationException("Resource " + id + " of stack " + s.stackName() + " is " + r.status()
            + ": only resources whose rollback failed (UPDATE_FAILED) can be skipped");
      }
      ResourceRecord kept = r.toBuilder().templateVersion(s.templateVersion()).status(ResourceStatus.UPDATE_COMPLETE)
          .statusReason("Resource skipped during rollback (--resources-to-skip): left as it is in the cloud")
          .previousProperties(null).callbackContext(null).updatedAt(now).build();
      skipped.add(kept);
      events.add(EventFactory.resource(rolling, kept, now, secrets));
    }
    commitStart(s, StateStore.Changes.of(rolling, skipped, events), "update rollback");
    scheduler.schedule(rolling.stackId());
    return rolling;
  }

  /** Commits the start of an operation unless another one started meanwhile. */
  private void commitStart(StackRecord before, StateStore.Changes changes, String what) {
    try {
      store.commit(changes.forOperation(before.stackId(), before.operationId()));
    } catch (org.stacktician.engine.state.StaleOperationException e) {
      throw new StackOperationException("Stack " + before.stackName() + " changed while its " + what + " was being"
          + " requested (another operation started on it); describe it and try again");
    }
  }

  /** The resources to retain, checked as CloudFormation checks RetainResources. */
  private static List<ResourceRecord> retained(StackRecord s, List<ResourceRecord> all, Set<String> retain) {
    if (retain.isEmpty()) {
      return List.of();
    }
    if (s.status() != StackStatus.DELETE_FAILED) {
      throw new StackOperationException("Stack " + s.stackName() + " is " + s.status() + ": resources can be retained"
          + " (--retain-resources) only when a stack is DELETE_FAILED; delete it without them first");
    }
    // A logical id may have several rows (a replaced resource); each one still in the cloud is retained.
    Map<String, List<ResourceRecord>> byId = new LinkedHashMap<>();
    all.forEach(r -> byId.computeIfAbsent(r.logicalId(), k -> new ArrayList<>()).add(r));
    List<String> unknown = retain.stream().filter(id -> !byId.containsKey(id)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new StackOperationException("Stack " + s.stackName() + " has no resource " + String.join(", ", unknown)
          + " to retain; its resources are " + String.join(", ", byId.keySet()));
    }
    return retain.stream().flatMap(id -> byId.get(id).stream())
        .filter(r -> r.status() != null && !r.status().gone()).toList();
  }

  /**
   * True when this engine works in the cloud the stack was created in (or the stack predates
   * recording it): only then may it run the stack's operations.
   */
  public boolean inThisCloud(StackRecord stack) {
    return resolvesClouds || stack.accountKey() == null || CloudStackClient.sameAccount(stack.accountKey(), cloudKey);
  }

  /**
   * Refuses, with what to do instead, a stack of another cloud (another endpoint or API key),
   * whose resources this engine's cloud does not hold.
   *
   * @throws StackOperationException when the stack belongs to another cloud
   */
  public void requireThisCloud(StackRecord stack) {
    if (inThisCloud(stack)) {
      return;
    }
    String endpoint = CloudStackClient.endpointOf(stack.accountKey());
    String ours = CloudStackClient.endpointOf(cloudKey);
    throw new StackOperationException("Stack " + stack.stackName() + " was created in another cloud ("
        + (endpoint.equals(ours) ? "the same endpoint " + endpoint + " with another API key" : endpoint)
        + "); work on it with that cloud's endpoint and keys");
  }

  /**
   * A resource found in the cloud by its stack tags, for {@link #deleteFoundResources}; one of a
   * nested stack carries that stack's own id and name and its root stack's id; {@code deletionPolicy} is the one its
   * tags give (null: Delete).
   */
  public record FoundResource(String stackId, String logicalId, String type, String physicalId, String kind,
      String stackName, String rootStackId, String deletionPolicy) {
    /** A resource of the root stack itself, with no DeletionPolicy. */
    public FoundResource(String stackId, String logicalId, String type, String physicalId, String kind) {
      this(stackId, logicalId, type, physicalId, kind, null, null, null);
    }

    /** The id of the root stack this resource belongs to (its own stack's when it is not nested). */
    public String rootOrOwnStackId() {
      return rootStackId != null ? rootStackId : stackId;
    }

    private boolean nested() {
      return rootStackId != null && !rootStackId.equals(stackId);
    }
  }

  /**
   * Deletes a stack that has no record here (delete-stack --by-tags): records the resources found
   * by their tags as a stack named {@code stackName} and deletes it like any other, in an order
   * guessed from their kinds (machines first, networks last), since the template is unknown. The
   * resources of its nested stacks are recorded as nested stacks of it, deleted first (a nested
   * stack's own nested stacks before it), as a delete by record does. Each resource keeps the DeletionPolicy its
   * tags give, so Retain and Snapshot act as in a delete by record.
   */
  public StackRecord deleteFoundResources(String stackName, List<FoundResource> found) {
    if (store.findStack(stackName).isPresent()) {
      throw new StackOperationException("Stack " + stackName + " has a record in this store; delete it by name"
          + " without --by-tags");
    }
    long stackIds = found.stream().map(FoundResource::rootOrOwnStackId).filter(java.util.Objects::nonNull).distinct()
        .count();
    if (stackIds > 1) {
      throw new StackOperationException("The resources found for " + stackName + " belong to " + stackIds
          + " stacks; delete one stack's at a time");
    }
    Instant now = clock.instant();
    // The stack keeps the id its resources are tagged with, so providers find them by their tags.
    String stackId = found.stream().map(FoundResource::rootOrOwnStackId).filter(java.util.Objects::nonNull).findFirst()
        .orElse("arn:cloudstack:cloudformation:" + environment.region() + ":" + environment.accountId()
            + ":stack/" + stackName + "/found-by-tags-" + UUID.randomUUID());
    Map<String, List<FoundResource>> nested = new LinkedHashMap<>();
    for (FoundResource f : found) {
      if (f.nested()) {
        nested.computeIfAbsent(f.stackId(), k -> new ArrayList<>()).add(f);
      }
    }
    for (String id : java.util.stream.Stream.concat(java.util.stream.Stream.of(stackId), nested.keySet().stream()).toList()) {
      if (store.findStack(id).isPresent()) {
        throw new StackOperationException("Stack " + id + " has a record in this store; delete it by id"
            + " without --by-tags");
      }
    }
    List<ResourceRecord> own = foundRecords(stackId, found.stream().filter(f -> !f.nested()).toList(), now);
    List<String> ownIds = own.stream().map(ResourceRecord::logicalId).toList();
    List<ResourceRecord> resources = new ArrayList<>(own);
    for (Map.Entry<String, List<FoundResource>> child : nested.entrySet()) {
      String childName = child.getValue().get(0).stackName();
      StackRecord record = new StackRecord(child.getKey(), childName, StackStatus.CREATE_COMPLETE,
          "Resources found by their tags", "Resources found by their tags", "{}", List.of(), List.of(), null, false,
          stackId, cloudKey, now, now, null);
      store.createStack(record, foundRecords(child.getKey(), child.getValue(), now), EventFactory.stack(record, now));
      // Deleted before the root's own resources, and after the nested stacks nested in it (their
      // names start with its own).
      List<String> waiting = new ArrayList<>(ownIds);
      for (List<FoundResource> other : nested.values()) {
        String otherName = other.get(0).stackName();
        if (childName != null && otherName != null && childName.startsWith(otherName + "-")) {
          waiting.add(nestedLogicalId(otherName));
        }
      }
      resources.add(new ResourceRecord(stackId, nestedLogicalId(childName), StackEvent.STACK_TYPE, child.getKey(),
          org.stacktician.engine.stack.ResourceStatus.CREATE_COMPLETE, "Nested stack found by its tags", waiting, null,
          Map.of(), null, null, null, null, now, null, now));
    }
    StackRecord stack = new StackRecord(stackId, stackName, StackStatus.DELETE_IN_PROGRESS,
        "User Initiated (resources found by tag " + "stacktician:stack-name=" + stackName + ")",
        "Resources found by their tags", "{}", List.of(), List.of(), null, false, null, cloudKey, now, now, now);
    store.createStack(stack, resources, EventFactory.stack(stack, now));
    scheduler.schedule(stackId);
    return stack;
  }

  private static String nestedLogicalId(String nestedStackName) {
    return nestedStackName == null ? "NestedStack" : nestedStackName;
  }

  /** The records of one stack's found resources, each depending on those deleted after it (by kind). */
  private static List<ResourceRecord> foundRecords(String stackId, List<FoundResource> found, Instant now) {
    List<ResourceRecord> resources = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (FoundResource f : found) {
      String logical = f.logicalId() == null ? "Resource" : f.logicalId();
      int n = seen.merge(logical, 1, Integer::sum);
      String id = n == 1 ? logical : logical + "-" + n;
      List<String> after = new ArrayList<>();
      for (FoundResource other : found) {
        if (DeleteOrder.rank(other.kind()) > DeleteOrder.rank(f.kind())) {
          after.add(other.logicalId() == null ? "Resource" : other.logicalId());
        }
      }
      // No physical id: the delete looks the resource up by its tags first (the provider's read),
      // which also gives the provider what it needs to delete it.
      resources.add(new ResourceRecord(stackId, id, f.type(), null,
          org.stacktician.engine.stack.ResourceStatus.CREATE_COMPLETE, "Found by its stack tags (" + f.physicalId()
              + ")", after, null, Map.of(), null, null, f.deletionPolicy(), null, now, null, now));
    }
    return resources;
  }

  /**
   * Computes and stores a change set for a stack (CloudFormation's CreateChangeSet), with no cloud call.
   *
   * @throws StackOperationException when the stack does not exist here, is another cloud's, cannot be updated now,
   *     or already has a change set of that name
   * @throws StackValidationException when the name, template or parameter values are invalid
   */
  public ChangeSetRecord createChangeSet(
      ChangeSets.Request request) {
    Optional<StackRecord> stack = store.findStack(request.stackName());
    stack.ifPresent(this::requireThisCloud);
    return changeSets.create(request, ChangeSetCalculator.using(registries.forAccount(
        stack.map(StackRecord::accountKey).orElse(null))), plans::contextOf, clock.instant());
  }

  /** The stored change sets of stacks (describe, list, delete). */
  public ChangeSets changeSets() {
    return changeSets;
  }

  /**
   * Detects a stack's drift now (CloudFormation's DetectStackDrift, run to its end): every resource
   * read back from the cloud by its handler and compared with its template properties; the result is
   * kept as the stack's last detection.
   *
   * @throws StackOperationException when the stack does not exist here, is another cloud's, or an operation runs on it
   */
  public StackDrift detectStackDrift(String nameOrId) {
    StackRecord s = driftable(nameOrId);
    return detectNow(s, detections.begin(s));
  }

  /**
   * Starts detecting a stack's drift (CloudFormation's DetectStackDrift) and returns at once with the detection
   * recorded DETECTION_IN_PROGRESS (its id is the StackDriftDetectionId); {@link #lastStackDrift} answers its
   * progress and then its result. The detection runs on the scheduler, so any engine of the stack's cloud on the
   * database finishes it, this one stopped or not.
   *
   * @throws StackOperationException as {@link #detectStackDrift}, or when a detection of the stack is in progress
   */
  public StackDrift startStackDriftDetection(String nameOrId) {
    StackRecord s = driftable(nameOrId);
    StackDrift running = detections.begin(s);
    scheduler.scheduleDriftDetection(s.stackId(), running.detectionId());
    return running;
  }

  /** The scheduler's run of a detection {@link #startStackDriftDetection} recorded (nothing once it has ended). */
  private void finishDriftDetection(String stackId, String detectionId) {
    Optional<StackRecord> stack = store.findStack(stackId);
    Optional<StackDrift> running = stack.flatMap(s -> drifts.last(s.stackId(), s.stackName()))
        .filter(d -> d.detectionId().equals(detectionId)
            && d.detectionStatus() == StackDrift.DetectionStatus.DETECTION_IN_PROGRESS);
    if (running.isEmpty()) {
      LOG.debug("drift detection {} of stack {} has ended already", detectionId, stackId);
      return;
    }
    detectNow(stack.get(), running.get());
  }

  private StackRecord driftable(String nameOrId) {
    StackRecord s = store.findStack(nameOrId).filter(r -> r.status() != StackStatus.DELETE_COMPLETE)
        .orElseThrow(() -> new StackOperationException("Stack with id " + nameOrId + " does not exist"));
    requireThisCloud(s);
    if (s.status().inProgress()) {
      throw new StackOperationException("Stack [" + s.stackName() + "] is in " + s.status() + " state; drift"
          + " detection is not supported while an operation runs on it. Try again when it has ended");
    }
    return s;
  }

  private StackDrift detectNow(StackRecord s, StackDrift running) {
    return detections.finish(running, () -> detect(s, running));
  }

  /** Reads every resource back; a nested stack's drift is detected (and kept as its own) with its parent's. */
  private StackDrift detect(StackRecord s, StackDrift running) {
    return new DriftDetector(registries.forAccount(s.accountKey()), baseContext, childId -> store.findStack(childId)
        .filter(c -> c.status() != StackStatus.DELETE_COMPLETE).map(c -> detectNow(c, detections.begin(c))))
        .detect(s, store.resources(s.stackId()), running.detectedAt(), running.detectionId());
  }

  /** The last drift detection of a stack (DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts). */
  public Optional<StackDrift> lastStackDrift(String nameOrId) {
    return store.findStack(nameOrId).flatMap(s -> detections.last(s.stackId(), s.stackName()));
  }

  /** {@link #lastStackDrift(String)} on a store with no engine running. */
  public static Optional<StackDrift> lastStackDrift(StateStore store, DriftStore drifts, String nameOrId) {
    return store.findStack(nameOrId).flatMap(s -> drifts.last(s.stackId(), s.stackName()));
  }

  /**
   * A stack's DriftInformation as DescribeStacks shows it: the drift status its last detection found and when that
   * detection was started; NOT_CHECKED (no time) when it was never checked.
   */
  public org.stacktician.engine.drift.DriftInformation driftInformation(String stackId) {
    return detections.information(stackId, stackId);
  }

  /**
   * The DriftInformation of a stack's resources as DescribeStackResource(s) show it, by logical id: what its last
   * detection found for each; a resource that detection did not see is NOT_CHECKED.
   */
  public Map<String, org.stacktician.engine.drift.DriftInformation> resourceDriftInformation(String stackId) {
    return drifts.resourceInformation(stackId);
  }

  /** A stack by id (of any scope), or by name among the default scope's stacks that are not deleted. */
  public Optional<StackRecord> describeStack(String nameOrId) {
    return store.findStack(nameOrId);
  }

  /** A stack of the scope by id, or by name among the scope's stacks that are not deleted. */
  public Optional<StackRecord> describeStack(String scope, String nameOrId) {
    return store.findStack(scope, nameOrId);
  }

  /** All stacks, deleted ones included, newest first. */
  public List<StackRecord> listStacks() {
    return store.listStacks();
  }

  /**
   * The started resources of a stack, in template order (CloudFormation lists no unstarted ones): one per logical
   * id, the current one (see {@link CurrentRows}).
   */
  public List<ResourceRecord> resources(String stackId) {
    List<ResourceRecord> rows = store.resources(stackId).stream().filter(ResourceRecord::started).toList();
    return store.findStack(stackId).map(s -> CurrentRows.of(s, rows)).orElse(rows);
  }

  /** The events of a stack after a sequence number (0 for all), oldest first. */
  public List<StackEvent> events(String stackId, long afterSequence) {
    return store.events(stackId, afterSequence);
  }

  /**
   * Waits until the stack's current operation ends and returns its final record.
   *
   * @throws TimeoutException when it has not ended within {@code timeout}
   */
  public StackRecord awaitSettled(String stackId, Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      CompletableFuture<StackRecord> f = waiters.computeIfAbsent(stackId, k -> new CompletableFuture<>());
      StackRecord s = store.findStack(stackId)
          .orElseThrow(() -> new StackOperationException("Stack with id " + stackId + " does not exist"));
      if (s.status().settled()) {
        waiters.remove(stackId, f);
        return s;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("stack " + s.stackName() + " is still " + s.status() + " after " + timeout);
      }
      try {
        // Settled in this process completes the future; another node's work is seen by re-reading.
        f.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // look again
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** Asks for a stack's next step now (a signal or a nested stack's end arrived). */
  public void wake(String stackId) {
    scheduler.wake(stackId);
  }

  /** Counters since this engine started. */
  public EngineStats stats() {
    return counters.snapshot();
  }

  public StateStore store() {
    return store;
  }

  /** The engine's registry: the types of its base context's cloud. */
  public ProviderRegistry registry() {
    return registry;
  }

  /** The registry of a cloud account's stacks (the engine's, unless a resolver gives the account its own catalog). */
  public ProviderRegistry registry(String accountKey) {
    return registries.forAccount(accountKey);
  }

  public ProviderContext providerContext() {
    return baseContext;
  }

  /** Stops executing; stacks in flight stay persisted and resume in the next engine on the same store. */
  @Override
  public void close() {
    scheduler.close();
    if (ownsDatabase) {
      database.close();
    }
  }

  // ------------------------------------------------------------------------------------------

  private StackRecord create(CreateStackRequest request, String parentStackId, String forcedName) {
    String name = forcedName != null ? forcedName : request.stackName();
    List<TemplateError> errors = new ArrayList<>();
    if (!STACK_NAME.matcher(name).matches()) {
      errors.add(TemplateError.of("StackName", "'" + name + "' is not a valid stack name: it must start with a letter"
          + " and contain only letters, digits and hyphens (at most 128 characters)"));
      throw new StackValidationException(errors);
    }
    if (request.timeoutMinutes() != null && request.timeoutMinutes() < 1) {
      throw new StackValidationException(List.of(TemplateError.of("TimeoutInMinutes", "must be at least 1")));
    }
    String stackId = "arn:cloudstack:cloudformation:" + environment.region() + ":" + environment.accountId()
        + ":stack/" + name + "/" + UUID.randomUUID();
    String stackCloud = request.accountKey() != null ? request.accountKey() : cloudKey;
    var outcome = plans.plan(request.templateBody(), request.templateSource(), name, stackId, request.parameters(),
        stackCloud, request.scope());
    if (outcome instanceof StackPlans.Outcome.Rejected rejected) {
      throw new StackValidationException(rejected.errors());
    }
    var planned = (StackPlans.Outcome.Planned) outcome;
    Plan plan = planned.plan();
    errors.addAll(registries.forAccount(stackCloud).check(plan));
    if (!errors.isEmpty()) {
      throw new StackValidationException(errors);
    }
    Instant now = clock.instant();
    List<StackParameter> params = new ArrayList<>();
    for (ResolvedParameter p : plan.parameters().values()) {
      params.add(StackParameter.of(p));
    }
    List<ResourceRecord> resources = new ArrayList<>();
    for (PlannedResource r : plan.resources().values()) {
      if (r.included()) {
        resources.add(ResourceRecord.planned(stackId, 1, r.logicalId(), r.type(), r.dependsOn(), null,
            r.definition().deletionPolicy(), null, now));
      }
    }
    StackRecord stack = new StackRecord(stackId, name, StackStatus.CREATE_IN_PROGRESS, "User Initiated",
        plan.template().description(), request.templateBody(), params, List.of(), request.timeoutMinutes(),
        request.disableRollback(), parentStackId, stackCloud, now, now, now).withTemplateUrl(request.templateSource())
        .withTerminationProtection(parentStackId == null && request.enableTerminationProtection())
        .withScope(request.scope());
    store.createStack(stack, resources, EventFactory.stack(stack, now));
    if (!planned.imports().isEmpty()) {
      store.recordImports(stackId, planned.imports());
    }
    plans.remember(stackId, 1, plan);
    scheduler.schedule(stackId);
    return stack;
  }

  private void settled(StackRecord stack) {
    try {
      changeSets.settled(stack);
    } catch (RuntimeException e) {
      // A read of the stack's change sets shows the same status, derived from the stack.
      LOG.warn("cannot record how the change sets of stack {} ended: {}", stack.stackName(), e.getMessage());
    }
    CompletableFuture<StackRecord> f = waiters.remove(stack.stackId());
    if (f != null) {
      f.complete(stack);
    }
    if (stack.parentStackId() != null) {
      scheduler.wake(stack.parentStackId());
    }
  }

  /** What nested stacks need from the engine. */
  private final class Host implements NestedStackHost {
    @Override
    public StackRecord createNested(StackRecord parent, String logicalId, String templateBody, String source,
        Map<String, String> parameters, Integer timeoutMinutes) {
      String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(java.util.Locale.ROOT);
      String base = parent.stackName() + "-" + logicalId;
      String name = (base.length() > 115 ? base.substring(0, 115) : base) + "-" + suffix;
      CreateStackRequest req = new CreateStackRequest(name, templateBody, source, new LinkedHashMap<>(parameters),
          parent.disableRollback(), timeoutMinutes, parent.accountKey(), false, parent.scope());
      return create(req, parent.stackId(), name);
    }

    @Override
    public StackRecord updateNested(String childStackId, String templateBody, String source,
        Map<String, String> parameters) {
      Map<String, UpdateRequest.ParameterValue> given = new LinkedHashMap<>();
      parameters.forEach((k, v) -> given.put(k, new UpdateRequest.ParameterValue.Given(v)));
      // A nested stack fails as its parent's update does: rolled back, or left failed with DisableRollback.
      boolean disableRollback = store.findStack(childStackId).map(StackRecord::parentStackId)
          .flatMap(store::findStack).map(StackRecord::disableRollback).orElse(false);
      return updateStack(childStackId, new UpdateRequest(templateBody, given, disableRollback), source);
    }

    @Override
    public Optional<StackRecord> find(String stackId) {
      return store.findStack(stackId);
    }

    @Override
    public List<StackRecord> children(String parentStackId) {
      return store.childStacks(parentStackId);
    }

    @Override
    public StackRecord delete(String stackId) {
      return deleteStack(stackId);
    }

    @Override
    public String creationFailure(StackRecord stack) {
      String reason = null;
      for (StackEvent e : store.events(stack.stackId(), 0)) {
        if (e.aboutStack() && (e.status().equals("ROLLBACK_IN_PROGRESS") || e.status().equals("CREATE_FAILED"))) {
          reason = e.statusReason();
        }
      }
      if (reason == null) {
        return stack.statusReason() == null ? stack.status().name() : stack.statusReason();
      }
      return reason.replace(" Rollback requested by user.", "");
    }

    @Override
    public Optional<String> storedTemplate(String name) {
      return store.storedTemplate(name);
    }
  }

  /** Builder of {@link StackEngine}. */
  public static final class Builder {
    private EngineDatabase database;
    private boolean ownsDatabase;
    private StateStore store;
    private ProviderContext providerContext;
    private RegistryFactory registryFactory = (base, own) -> ProviderRegistry.load(base, own, null);
    private EngineOptions options = EngineOptions.defaults();
    private CloudEnvironment environment = CloudEnvironment.local();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The database of the store and of db-scheduler; the engine closes it on close when {@code owned}. */
    public Builder database(EngineDatabase database, boolean owned) {
      this.database = database;
      this.ownsDatabase = owned;
      return this;
    }

    /** The database, closed by the engine on close. */
    public Builder database(EngineDatabase database) {
      return database(database, true);
    }

    /** A state store other than the default {@link JdbiStateStore} on the database. */
    public Builder store(StateStore store) {
      this.store = store;
      return this;
    }

    /** The base provider context (cloud client, catalog, URL signer...); the engine adds its signal store. */
    public Builder providerContext(ProviderContext context) {
      this.providerContext = context;
      return this;
    }

    public Builder registry(RegistryFactory factory) {
      this.registryFactory = factory;
      return this;
    }

    public Builder options(EngineOptions options) {
      this.options = options;
      return this;
    }

    public Builder environment(CloudEnvironment environment) {
      this.environment = environment;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public StackEngine build() {
      return new StackEngine(this);
    }
  }
}
