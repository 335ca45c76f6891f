package org.stacktician.server.stacks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.change.ChangeSet;
import org.stacktician.engine.change.ChangeSetRecord;
import org.stacktician.engine.change.ChangeSets;
import org.stacktician.engine.change.ExecutionStatus;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.drift.DriftInformation;
import org.stacktician.engine.drift.StackDrift;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StackAlreadyExistsException;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.state.StoreSignalStore;
import org.stacktician.engine.waitcondition.Signal;
import org.stacktician.engine.waitcondition.SignalRefusedException;
import org.stacktician.server.ServerException;
import org.stacktician.server.clouds.CloudAccount;
import org.stacktician.server.clouds.CloudAccountStore;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.templates.Page;
import org.stacktician.server.templates.TemplateLibrary;
import org.stacktician.server.templates.TemplateValidation;
import org.stacktician.server.users.Caller;

/**
 * Users' stacks, run by the server's one engine: each stack runs in a cloud account of its owner
 * ({@link AccountClients}), its template comes from the library or the request, and every read is
 * scoped to the caller (another user's stack is 404). Everything is read from the database.
 */
public final class StackService {
  private final Jdbi jdbi;
  private final StackEngine engine;
  private final CloudAccountStore clouds;
  private final TemplateLibrary templates;
  private final StoreSignalStore signals;
  private final StackReads reads;

  public StackService(ServerDatabase db, StackEngine engine, CloudAccountStore clouds, TemplateLibrary templates) {
    this.jdbi = db.jdbi();
    this.reads = new StackReads(db);
    this.engine = engine;
    this.clouds = clouds;
    this.templates = templates;
    this.signals = new StoreSignalStore(engine.store());
  }

  /**
   * What create-stack takes: a library template (and version) or a body, parameters and options.
   *
   * @param cloudAccount the cloud account the stack runs in, as the request names it ({@link #account})
   */
  public record CreateInput(String name, String templateId, Integer templateVersion, String templateBody,
      Map<String, String> parameters, AccountChoice cloudAccount, Integer timeoutMinutes, boolean disableRollback,
      boolean terminationProtection) {}

  /**
   * How a request names the cloud account of a new stack: by id (REST's {@code cloudAccountId}), by name (the
   * CloudFormation API's stack tag {@value #ACCOUNT_TAG}), or not at all (null fields).
   */
  public record AccountChoice(String id, String name) {
    /** No account named: the caller's default, else their only one. */
    public static final AccountChoice NONE = new AccountChoice(null, null);
  }

  /** The stack tag that names a stack's cloud account through the CloudFormation API. */
  public static final String ACCOUNT_TAG = "stacktician:account";

  /** Validates, records and starts creating a stack for the caller. */
  public ServerStack create(Caller caller, CreateInput in) {
    if (in.name() == null || in.name().isBlank()) {
      throw ServerException.Invalid.field("name", "give the stack's name");
    }
    CloudAccount account = account(caller, in.cloudAccount());
    ChosenTemplate chosen = template(caller, in.templateId(), in.templateVersion(), in.templateBody());
    String body = chosen.body();
    StackRecord created;
    try {
      created = engine.createStack(new CreateStackRequest(in.name(), body, in.templateId() != null
          ? "library template " + in.templateId() : "template", in.parameters(), in.disableRollback(),
          in.timeoutMinutes(), AccountClients.accountKey(account.id()), in.terminationProtection(),
          scopeOf(caller.id())));
    } catch (StackValidationException e) {
      throw new ServerException.Invalid("the stack is not valid: " + e.getMessage(), e.errors());
    } catch (StackAlreadyExistsException e) {
      throw new ServerException.Conflict(e.getMessage());
    }
    String key = keyOf(created.stackId());
    jdbi.useTransaction(h -> {
      h.createUpdate("INSERT INTO st_stacks (stack_key, stack_id, user_id, cloud_account_id, created_at)"
              + " VALUES (:key, :id, :user, :account, :at)")
          .bind("key", key).bind("id", created.stackId()).bind("user", caller.id()).bind("account", account.id())
          .bind("at", ServerDatabase.timestamp(Instant.now())).execute();
      recordSource(h, created, chosen.library());
    });
    return new ServerStack(key, caller.id(), account.id(), account.name(), chosen.library(), null, created);
  }

  /**
   * Records the library template version a stack's current template version came from (none for a body), keyed by
   * the engine's version number, so an update's rollback to an earlier number brings that version's source back.
   */
  private static void recordSource(org.jdbi.v3.core.Handle h, StackRecord stack, LibraryVersion library) {
    h.createUpdate("DELETE FROM st_stack_templates WHERE stack_id = :id AND stack_template_version = :n")
        .bind("id", stack.stackId()).bind("n", stack.templateVersion()).execute();
    if (library != null) {
      h.createUpdate("INSERT INTO st_stack_templates (stack_id, stack_template_version, template_id, template_version)"
              + " VALUES (:id, :n, :template, :version)")
          .bind("id", stack.stackId()).bind("n", stack.templateVersion()).bind("template", library.templateId())
          .bind("version", library.version()).execute();
    }
  }

  /** An update that started: its new template version's source recorded; the stack as the answer shows it. */
  private ServerStack started(ServerStack updating, LibraryVersion library) {
    jdbi.useTransaction(h -> recordSource(h, updating.record(), library));
    return updating.with(library);
  }

  /**
   * The template a request names: a library template's version (its latest when none is given) or a body.
   *
   * @param body the template body, the library's when the request named a library template
   * @param library the library template's version, null for a body
   */
  public record ChosenTemplate(String body, LibraryVersion library) {}

  /**
   * The template a request names by library template id (and version) or by body, for create and update.
   *
   * @throws ServerException.Invalid when it names both or neither, or the library version is not valid
   * @throws ServerException.NotFound when the library template is not one the caller sees
   */
  public ChosenTemplate template(Caller caller, String templateId, Integer templateVersion, String templateBody) {
    if (templateId == null) {
      if (templateBody == null || templateBody.isBlank()) {
        throw ServerException.Invalid.field("templateBody", "give templateId (a library template) or templateBody");
      }
      TemplateValidation.requireSize(templateBody);
      return new ChosenTemplate(templateBody, null);
    }
    if (templateBody != null) {
      throw ServerException.Invalid.field("templateBody", "give templateId or templateBody, not both");
    }
    TemplateLibrary.Entry entry = templateVersion == null ? templates.get(caller, templateId)
        : templates.get(caller, templateId, templateVersion);
    if (!entry.version().valid()) {
      throw new ServerException.Invalid("template " + entry.template().name() + " version "
          + entry.version().version() + " is not valid", entry.version().errors());
    }
    return new ChosenTemplate(entry.version().body(), new LibraryVersion(templateId, entry.version().version()));
  }

  /**
   * The caller's stacks (an admin's: all), newest first, optionally of some statuses, one page:
   * one query (ownership from st_stacks, status from the engine's sm_stacks), however many stacks
   * the server holds.
   */
  public Page<ServerStack> list(Caller caller, List<StackStatus> statuses, int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > TemplateLibrary.MAX_PAGE) {
      throw ServerException.Invalid.field("limit", "offset must be 0 or more and limit 1 to " + TemplateLibrary.MAX_PAGE);
    }
    return reads.page(caller, statuses, offset, limit);
  }

  /** One page of stack summaries, and whether another page follows. */
  public record SummaryPage(List<ListedStack> items, boolean more) {}

  /**
   * One page of the caller's stacks' summaries (an admin's: all) from {@code offset}, newest first,
   * optionally of some statuses: one query, nothing counted (it reads one more than a page to know
   * whether another follows).
   */
  public SummaryPage summaries(Caller caller, List<StackStatus> statuses, int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > TemplateLibrary.MAX_PAGE) {
      throw ServerException.Invalid.field("limit", "offset must be 0 or more and limit 1 to " + TemplateLibrary.MAX_PAGE);
    }
    List<ListedStack> read = reads.summaries(caller, statuses, offset, limit + 1);
    return read.size() > limit ? new SummaryPage(read.subList(0, limit), true) : new SummaryPage(read, false);
  }

  /**
   * One stack of the caller's as CloudFormation names it: by stack id (its ARN; a deleted stack
   * too) or by name (a stack that is not deleted; the caller's own before another's an admin sees).
   * Another user's stack is not found, exactly as a missing one.
   */
  public ServerStack find(Caller caller, String nameOrId) {
    java.util.function.Supplier<ServerException.NotFound> missing =
        () -> new ServerException.NotFound("Stack with id " + nameOrId + " does not exist");
    if (nameOrId == null || nameOrId.isBlank()) {
      throw missing.get();
    }
    if (nameOrId.startsWith("arn:")) {
      // Another user's stack is the same answer as a missing one.
      return reads.byKey(caller, keyOf(nameOrId)).filter(s -> s.record().stackId().equals(nameOrId))
          .orElseThrow(missing);
    }
    // The caller's own scope first (names are unique per owner), then, for an admin, anyone's.
    Optional<ServerStack> own = reads.byName(caller, scopeOf(caller.id()), nameOrId);
    if (own.isPresent() || !caller.admin()) {
      return own.orElseThrow(missing);
    }
    return reads.byNameInAnyScope(caller, nameOrId).orElseThrow(missing);
  }

  /** The caller's stack (not deleted) that holds a resource of that physical id. */
  public ServerStack findByPhysicalId(Caller caller, String physicalId) {
    // The query finds the stacks with a row of that id; the engine's view says whether it is a current one.
    return reads.holdingPhysicalId(caller, physicalId).stream()
        .filter(s -> engine.resources(s.record().stackId()).stream().anyMatch(r -> physicalId.equals(r.physicalId())))
        .findFirst()
        .orElseThrow(() -> new ServerException.NotFound("Stack for " + physicalId + " does not exist"));
  }

  /** An export of one of the caller's stacks; the value masked when its output is NoEcho. */
  public record Export(String stackId, String name, String value) {}

  /** The exports of the stacks the caller sees, by name. */
  public List<Export> exports(Caller caller) {
    Map<String, StackRecord> mine = new java.util.HashMap<>();
    reads.exporting(caller).forEach(s -> mine.put(s.record().stackId(), s.record()));
    List<Export> out = new ArrayList<>();
    List<StateStore.ExportRecord> all = mine.values().stream().map(StackRecord::scope).distinct()
        .flatMap(scope -> engine.store().listExports(scope).stream()).toList();
    for (StateStore.ExportRecord e : all) {
      StackRecord owner = mine.get(e.stackId());
      if (owner != null) {
        boolean noEcho = owner.outputs().stream().anyMatch(o -> e.exportName().equals(o.exportName()) && o.noEcho());
        out.add(new Export(e.stackId(), e.exportName(), noEcho ? "****" : e.value()));
      }
    }
    out.sort(java.util.Comparator.comparing(Export::name));
    return out;
  }

  /** The names of the caller's stacks that import an export of theirs (empty when the export is not theirs). */
  public List<String> importers(Caller caller, String exportName) {
    Optional<Export> export = exports(caller).stream().filter(e -> e.name().equals(exportName)).findFirst();
    if (export.isEmpty()) {
      return List.of();
    }
    // Imports are within the exporting stack's scope (its owner's stacks).
    String scope = engine.describeStack(export.get().stackId()).map(StackRecord::scope).orElse(scopeOf(caller.id()));
    return reads.importerNames(caller, scope, exportName);
  }

  /**
   * Sends a signal, as cfn-signal does, to a wait condition (by its handle) or to a handle of a
   * stack of the caller's.
   */
  public void signal(Caller caller, String nameOrId, String logicalId, String uniqueId, Signal.Status status) {
    StackRecord stack = find(caller, nameOrId).record();
    List<ResourceRecord> resources = engine.resources(stack.stackId());
    ResourceRecord target = resources.stream().filter(r -> r.logicalId().equals(logicalId)).findFirst()
        .orElseThrow(() -> ServerException.Invalid.field("LogicalResourceId", "Resource " + logicalId
            + " does not exist for stack " + stack.stackName()));
    String handle = switch (target.type()) {
      case "AWS::CloudFormation::WaitConditionHandle" -> target.logicalId();
      case "AWS::CloudFormation::WaitCondition" -> {
        String url = target.properties() == null ? "" : target.properties().path("Handle").asText("");
        yield resources.stream().filter(r -> url.equals(r.physicalId()) && r.physicalId() != null)
            .map(ResourceRecord::logicalId).findFirst()
            .orElseThrow(() -> ServerException.Invalid.field("LogicalResourceId", "wait condition " + logicalId
                + " has no handle of this stack yet"));
      }
      default -> throw ServerException.Invalid.field("LogicalResourceId", "Resource " + logicalId + " is a "
          + target.type() + ", which takes no signals: signal a wait condition or its handle");
    };
    try {
      signals.checkAccepts(stack.stackId(), handle);
      signals.record(stack.stackId(), handle, new Signal(status, "", uniqueId, "", Instant.now()));
    } catch (SignalRefusedException e) {
      throw ServerException.Invalid.field("LogicalResourceId", e.getMessage());
    }
    engine.wake(stack.stackId());
  }

  /** The template a stack of the caller's runs now (views of stacks leave it out: it can be large). */
  public String templateBody(ServerStack stack) {
    return engine.describeStack(stack.record().stackId()).map(StackRecord::templateBody)
        .orElseThrow(() -> new ServerException.NotFound("no stack " + stack.key()));
  }

  /** One stack of the caller's. */
  public ServerStack get(Caller caller, String key) {
    return reads.byKey(caller, key).orElseThrow(() -> new ServerException.NotFound("no stack " + key));
  }

  /** A stack of the caller's own by id, or by name among their stacks that are not deleted. */
  public Optional<StackRecord> findOwn(Caller caller, String nameOrId) {
    return engine.describeStack(scopeOf(caller.id()), nameOrId);
  }

  /** Starts deleting a stack of the caller's. */
  public ServerStack delete(Caller caller, String key) {
    return delete(caller, key, java.util.Set.of());
  }

  /** Starts deleting a stack of the caller's, keeping the resources of the logical ids {@code retain}. */
  public ServerStack delete(Caller caller, String key, java.util.Set<String> retain) {
    ServerStack s = get(caller, key);
    try {
      return s.with(engine.deleteStack(s.record().stackId(), retain));
    } catch (StackOperationException e) {
      throw new ServerException.Conflict(ServerException.Conflict.INVALID_STATE, e.getMessage());
    }
  }

  /** A stack's events after a sequence number (0: all), oldest first. */
  public List<StackEvent> events(Caller caller, String key, long since) {
    return engine.events(get(caller, key).record().stackId(), since);
  }

  /** A started resource of a stack, with what the stack's last drift detection found for it. */
  public record Resource(ResourceRecord record, DriftInformation drift) {
    public Resource {
      drift = drift == null ? DriftInformation.NOT_CHECKED : drift;
    }
  }

  /** A stack's started resources in template order, each with its drift information. */
  public List<Resource> resources(Caller caller, String key) {
    String stackId = get(caller, key).record().stackId();
    Map<String, DriftInformation> drift = engine.resourceDriftInformation(stackId);
    return engine.resources(stackId).stream().map(r -> new Resource(r, drift.get(r.logicalId()))).toList();
  }

  /**
   * Starts updating a stack of the caller's (UpdateStack): a new template and/or parameter values.
   *
   * @param library the library template version the update's new template is, null for a body; with the previous
   *     template ({@code update.templateBody()} null) the stack keeps its current one's
   * @throws ServerException.Invalid when the update is not valid, changes nothing, or the stack cannot be updated now
   */
  public ServerStack update(Caller caller, String nameOrId, UpdateRequest update, LibraryVersion library) {
    ServerStack s = find(caller, nameOrId);
    return started(operate(s, stackId -> engine.updateStack(stackId, update)), sourceOf(s, update, library));
  }

  /** Where an update's new template comes from: the library version given, or the stack's own for the previous one. */
  private static LibraryVersion sourceOf(ServerStack s, UpdateRequest update, LibraryVersion library) {
    return update.templateBody() == null ? s.library() : library;
  }

  /**
   * Executes a change set of the caller's (ExecuteChangeSet): its stack is updated to the change set's template and
   * values; {@code disableRollback} leaves a failed update UPDATE_FAILED instead of rolling it back.
   *
   * @throws ServerException.Conflict ({@value ServerException.Conflict#INVALID_CHANGE_SET_STATUS}) once the change set
   *     is not AVAILABLE (executed, obsolete, or its stack busy)
   */
  public ServerStack executeChangeSet(Caller caller, ChangeSetRecord cs, boolean disableRollback) {
    if (cs.executionStatus() != ExecutionStatus.AVAILABLE) {
      throw new ServerException.Conflict(ServerException.Conflict.INVALID_CHANGE_SET_STATUS, "ChangeSet ["
          + cs.changeSetId() + "] cannot be executed in its current execution status of [" + cs.executionStatus()
          + "]");
    }
    LibraryVersion source = jdbi.withHandle(h -> h.createQuery("SELECT template_id, template_version"
            + " FROM st_change_set_templates WHERE change_set_id = :cs").bind("cs", cs.changeSetId())
        .map((rs, ctx) -> new LibraryVersion(rs.getString("template_id"), rs.getInt("template_version"))).findOne())
        .orElse(null);
    return started(operate(find(caller, cs.stackId()), stackId -> engine.executeChangeSet(stackId, cs.changeSetName(),
        disableRollback)), source);
  }

  /** Cancels the update in progress of a stack of the caller's: it rolls back. */
  public ServerStack cancelUpdate(Caller caller, String nameOrId) {
    return operate(find(caller, nameOrId), engine::cancelUpdateStack);
  }

  /**
   * Rolls back a stack of the caller's whose create or update failed with DisableRollback (RollbackStack): from
   * UPDATE_FAILED to its last stable template and values, from CREATE_FAILED to nothing.
   *
   * @throws ServerException.Conflict ({@value ServerException.Conflict#INVALID_STATE}) in any other status
   */
  public ServerStack rollback(Caller caller, String nameOrId) {
    return operate(find(caller, nameOrId), engine::rollbackStack);
  }

  /** Retries the rollback of a stack of the caller's in UPDATE_ROLLBACK_FAILED, skipping the resources named. */
  public ServerStack continueUpdateRollback(Caller caller, String nameOrId, java.util.Set<String> skip) {
    return operate(find(caller, nameOrId), stackId -> engine.continueUpdateRollback(stackId, skip));
  }

  /**
   * Runs an engine operation on a stack of the caller's ({@link #find}). The engine's refusals keep its message: an invalid
   * template or values, or an update that changes nothing, is 400; a stack whose state does not allow the
   * operation now is 409 ({@value ServerException.Conflict#INVALID_STATE}).
   */
  private ServerStack operate(ServerStack s, java.util.function.Function<String, StackRecord> operation) {
    try {
      return s.with(operation.apply(s.record().stackId()));
    } catch (StackValidationException e) {
      throw new ServerException.Invalid("the update is not valid: " + e.getMessage(), e.errors());
    } catch (StackOperationException e) {
      if (ChangeSet.NO_UPDATES.equals(e.getMessage())) {
        throw ServerException.Invalid.field("StackName", e.getMessage());
      }
      throw new ServerException.Conflict(ServerException.Conflict.INVALID_STATE, e.getMessage());
    }
  }

  /**
   * Starts detecting the drift of a stack of the caller's (DetectStackDrift) and answers at once with the detection
   * DETECTION_IN_PROGRESS; the engine's scheduler runs it (on any node) and keeps its result as the stack's last
   * detection ({@link #lastDrift}, {@link #driftDetection}).
   *
   * @throws ServerException.Conflict ({@value ServerException.Conflict#INVALID_STATE}) while an operation or another
   *     detection runs on the stack
   */
  public StackDrift detectDrift(Caller caller, String nameOrId) {
    StackRecord stack = find(caller, nameOrId).record();
    try {
      return engine.startStackDriftDetection(stack.stackId());
    } catch (StackOperationException e) {
      throw new ServerException.Conflict(ServerException.Conflict.INVALID_STATE, e.getMessage());
    }
  }

  /** The last drift detection of a stack of the caller's, if it had one. */
  public Optional<StackDrift> lastDrift(ServerStack stack) {
    return engine.lastStackDrift(stack.record().stackId());
  }

  /**
   * A drift detection of the caller's stacks by its id (each stack keeps its last one).
   *
   * @throws ServerException.NotFound when none of the caller's stacks has it as its last detection
   */
  public StackDrift driftDetection(Caller caller, String detectionId) {
    return reads.withDriftDetection(caller, detectionId).stream()
        .map(this::lastDrift).flatMap(Optional::stream)
        .filter(d -> detectionId.equals(d.detectionId())).findFirst()
        .orElseThrow(() -> new ServerException.NotFound("No drift detection with id " + detectionId
            + " (a stack keeps its last detection only)"));
  }

  /** Turns a stack's termination protection on or off (delete is refused while it is on). */
  public ServerStack updateTerminationProtection(Caller caller, String nameOrId, boolean enabled) {
    ServerStack s = find(caller, nameOrId);
    try {
      return s.with(engine.updateTerminationProtection(s.record().stackId(), enabled));
    } catch (StackOperationException e) {
      throw ServerException.Invalid.field("StackName", e.getMessage());
    }
  }

  /**
   * Computes and stores a change set for a stack of the caller's.
   *
   * @param library the library template version the change set's template is (null: a body, or the previous
   *     template's source); its stack's template comes from it once the change set is executed
   * @throws ServerException.Conflict when the stack already has a change set of that name
   */
  public ChangeSetRecord createChangeSet(Caller caller, String nameOrId, String changeSetName, UpdateRequest update,
      LibraryVersion library, String description) {
    ServerStack s = find(caller, nameOrId);
    StackRecord stack = s.record();
    if (engine.changeSets().list(stack.stackId()).stream().anyMatch(c -> c.changeSetName().equals(changeSetName))) {
      throw new ServerException.Conflict("ChangeSet [" + changeSetName + "] already exists");
    }
    try {
      ChangeSetRecord cs = engine.createChangeSet(new ChangeSets.Request(stack.stackId(), changeSetName, update, null,
          description));
      LibraryVersion source = sourceOf(s, update, library);
      if (source != null) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO st_change_set_templates (change_set_id, template_id,"
                + " template_version) VALUES (:cs, :template, :version)").bind("cs", cs.changeSetId())
            .bind("template", source.templateId()).bind("version", source.version()).execute());
      }
      return cs;
    } catch (StackValidationException e) {
      throw new ServerException.Invalid("the change set is not valid: " + e.getMessage(), e.errors());
    } catch (StackOperationException e) {
      throw ServerException.Invalid.field("StackName", e.getMessage());
    }
  }

  /**
   * A change set of the caller's: by its id (an ARN; then the stack may be null) or by name within
   * the stack.
   *
   * @throws ServerException.NotFound when the stack has no such change set
   */
  public ChangeSetRecord changeSet(Caller caller, ServerStack stack, String nameOrId) {
    List<ServerStack> where = stack != null ? List.of(stack) : reads.withChangeSet(caller, nameOrId);
    for (ServerStack s : where) {
      for (ChangeSetRecord cs : changeSets(s)) {
        if (cs.changeSetId().equals(nameOrId) || cs.changeSetName().equals(nameOrId)) {
          return cs;
        }
      }
    }
    throw new ServerException.NotFound("ChangeSet [" + nameOrId + "] does not exist");
  }

  /** A stack's change sets, oldest first, each one's execution status as it is now. */
  public List<ChangeSetRecord> changeSets(ServerStack stack) {
    return engine.changeSets().list(stack.record().stackId());
  }

  /**
   * Deletes a change set of the caller's.
   *
   * @throws ServerException.Conflict while it is being executed
   */
  public ChangeSetRecord deleteChangeSet(Caller caller, ServerStack stack, String nameOrId) {
    ChangeSetRecord cs = changeSet(caller, stack, nameOrId);
    try {
      ChangeSetRecord deleted = engine.changeSets().delete(cs.stackId(), cs.changeSetName());
      jdbi.useHandle(h -> h.createUpdate("DELETE FROM st_change_set_templates WHERE change_set_id = :cs")
          .bind("cs", cs.changeSetId()).execute());
      return deleted;
    } catch (StackOperationException e) {
      throw new ServerException.Conflict(ServerException.Conflict.INVALID_CHANGE_SET_STATUS, e.getMessage());
    }
  }

  /** True when a cloud account still has stacks that are not deleted (it cannot be removed then). */
  public boolean accountInUse(String cloudAccountId) {
    return reads.accountInUse(cloudAccountId);
  }

  /**
   * The cloud account a new stack runs in: the one the request names (by id, or by name among the caller's), else
   * the caller's default account, else their only one. With several accounts and no default, the refusal names
   * them and says how to choose.
   */
  private CloudAccount account(Caller caller, AccountChoice choice) {
    if (choice.id() != null) {
      return clouds.get(caller, choice.id());
    }
    List<CloudAccount> mine = clouds.ofUser(caller.id());
    String names = String.join(", ", mine.stream().map(CloudAccount::name).toList());
    if (choice.name() != null) {
      return mine.stream().filter(a -> a.name().equals(choice.name())).findFirst()
          .orElseThrow(() -> ServerException.Invalid.field(ACCOUNT_TAG, "you have no cloud account named '"
              + choice.name() + "'" + (mine.isEmpty() ? "" : "; yours: " + names)));
    }
    Optional<CloudAccount> preferred = mine.size() == 1 ? Optional.of(mine.get(0))
        : mine.stream().filter(CloudAccount::defaultAccount).findFirst();
    return preferred.orElseThrow(() -> ServerException.Invalid.field("cloudAccountId", mine.isEmpty()
        ? "you have no cloud account: add one (POST /api/v1/cloud-accounts) first"
        : "you have " + mine.size() + " cloud accounts (" + names + ") and none is your default: name one for this"
            + " stack (REST: cloudAccountId; CloudFormation API: the stack tag " + ACCOUNT_TAG + "=NAME), or make"
            + " one your default (PUT /api/v1/cloud-accounts/{id} with {\"default\": true})"));
  }

  /**
   * The engine scope of a user's stacks: the user's id, so stack names and export names are unique
   * per owner (another user's names neither clash with nor reach yours).
   */
  public static String scopeOf(String userId) {
    return userId;
  }

  /** The stack's key in REST paths: the last part of its ARN (a UUID). */
  static String keyOf(String stackId) {
    return stackId.substring(stackId.lastIndexOf('/') + 1);
  }
}
