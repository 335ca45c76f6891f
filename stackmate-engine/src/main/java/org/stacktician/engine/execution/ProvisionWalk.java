package org.stacktician.engine.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.UpdateBehavior;
import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.state.StateStore;
import org.stacktician.template.Plan;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.Resolution;

/**
 * The forward walk: makes every resource of the target template version exist as that version says, each once all
 * it depends on does, with its properties resolved from what exists. A resource the stack does not have yet is
 * created (a create whose first call's answer was lost looks the resource up before creating it again); one that an
 * earlier version left is carried over when nothing changed, updated in place when its handler declares every
 * changed property updatable, and otherwise replaced: a new row (and resource) is created, the old one stays for the
 * cleanup. When every resource is there the version's outputs and exports are computed.
 */
final class ProvisionWalk implements ResourceWalk {
  /**
   * Types whose in-progress operation is cancelled at once when the phase fails (they create
   * nothing in the cloud and may otherwise wait for hours), as CloudFormation cancels them.
   */
  private static final Set<String> CANCEL_ON_FAILURE = Set.of(
      "AWS::CloudFormation::WaitCondition", "StackMate::WaitCondition");
  /** Always updated (its own template may have changed), as CloudFormation updates nested stacks with their parent. */
  private static final String NESTED_STACK = "AWS::CloudFormation::Stack";
  static final String REPLACING = "Requested update requires the creation of a new physical resource; hence creating one.";
  /**
   * Marks a row whose handler answered an in-place update with NOT_UPDATABLE (it declares the change updatable but
   * has no update of its own): the row goes back as it was, of no version, and is replaced instead.
   */
  private static final String REPLACE_INSTEAD = "replaceInstead";
  /** The version of such a row: none, so that every walk takes it over (the update replaces it, a rollback keeps it). */
  private static final int NO_VERSION = -1;
  private static final Set<ResourceStatus> IN_PROGRESS = java.util.EnumSet.of(ResourceStatus.CREATE_IN_PROGRESS,
      ResourceStatus.UPDATE_IN_PROGRESS);

  private final StackExecution exec;
  private final int version;
  private final Plan plan;
  private final Deadline deadline;
  /** When this phase began: failures recorded before it (an earlier attempt's) are tried again. */
  private final Instant phaseStart;
  /** The logical ids of the target version, in template order. */
  private final Set<String> planned = new LinkedHashSet<>();
  private boolean timedOut;

  ProvisionWalk(StackExecution exec, int version) {
    this.exec = exec;
    this.version = version;
    this.plan = exec.stepper.plans.planOf(exec.stack, version);
    var stack = exec.stack;
    this.phaseStart = stack.operationStarted();
    this.deadline = deadlineOf(stack);
    plan.resources().values().stream().filter(PlannedResource::included).forEach(r -> planned.add(r.logicalId()));
  }

  /** The rows of the target version. */
  private List<ResourceRecord> rows() {
    return List.copyOf(byLogicalId().values());
  }

  /**
   * The row of each logical id of the target version (what Ref and Fn::GetAtt see): the version's own row, else the
   * row an earlier (or, rolling back, a later) version left, which this walk brings to the target version.
   */
  private Map<String, ResourceRecord> byLogicalId() {
    Map<String, ResourceRecord> own = new HashMap<>();
    Map<String, ResourceRecord> left = new HashMap<>();
    for (ResourceRecord r : exec.resources.values()) {
      if (!planned.contains(r.logicalId()) || (r.status() != null && r.status().gone())) {
        continue;
      }
      if (r.templateVersion() == version) {
        own.put(r.logicalId(), r);
      } else if (r.carriesOver()) {
        left.merge(r.logicalId(), r, (a, b) -> a.templateVersion() >= b.templateVersion() ? a : b);
      }
    }
    Map<String, ResourceRecord> m = new LinkedHashMap<>();
    for (String id : planned) {
      ResourceRecord r = own.getOrDefault(id, left.get(id));
      if (r != null) {
        m.put(id, r);
      }
    }
    return m;
  }

  /** True when the row is the target version's and exists as it says. */
  private boolean done(ResourceRecord r) {
    return r.templateVersion() == version && r.complete();
  }

  private static boolean failedStatus(ResourceStatus s) {
    return s == ResourceStatus.CREATE_FAILED || s == ResourceStatus.UPDATE_FAILED;
  }

  /** True when the row failed in this phase (not in an earlier attempt, which this one tries again). */
  private boolean failedNow(ResourceRecord r) {
    return r.templateVersion() == version && failedStatus(r.status())
        && (phaseStart == null || r.updatedAt() == null || !r.updatedAt().isBefore(phaseStart));
  }

  private boolean failing() {
    return timedOut || rows().stream().anyMatch(this::failedNow);
  }

  private static ResourceStatus failure(ResourceRecord r) {
    return r.status() == ResourceStatus.CREATE_IN_PROGRESS || r.status() == ResourceStatus.CREATE_FAILED
        ? ResourceStatus.CREATE_FAILED : ResourceStatus.UPDATE_FAILED;
  }

  @Override
  public Set<ResourceStatus> inProgress() {
    return IN_PROGRESS;
  }

  @Override
  public void sweep(Instant now) {
    timedOut = deadline != null && now.isAfter(deadline.at());
    if (!failing()) {
      return;
    }
    for (ResourceRecord r : rows()) {
      // The stack's time is up: nothing it waits for may hold it any longer (CloudFormation
      // cancels every operation in progress). The rollback looks up what a cancelled create left.
      if (IN_PROGRESS.contains(r.status()) && (timedOut || CANCEL_ON_FAILURE.contains(r.type()))) {
        exec.finish(r.toBuilder().status(failure(r)).statusReason(r.creating() ? "Resource creation cancelled"
            : "Resource update cancelled"), now);
      }
    }
  }

  @Override
  public ResourceRecord.Builder timedOut(ResourceRecord r, String timeout) {
    if (!r.creating()) {
      return r.toBuilder().status(ResourceStatus.UPDATE_FAILED).statusReason("Resource update timed out after "
          + timeout + " (the cloud operation did not finish)");
    }
    return r.toBuilder().status(failure(r)).statusReason("Resource creation timed out after "
        + timeout + " (the cloud operation did not finish; rollback looks the resource up before deleting)");
  }

  @Override
  public boolean mayStart() {
    return !failing();
  }

  @Override
  public List<ResourceRecord> ready() {
    Map<String, ResourceRecord> byLogicalId = byLogicalId();
    return byLogicalId.values().stream()
        .filter(r -> startable(r) && plan.resources().get(r.logicalId()).dependsOn().stream()
            .allMatch(d -> byLogicalId.get(d) == null || done(byLogicalId.get(d))))
        .toList();
  }

  /** Not yet made, left by another version (and not busy), or failed in an earlier attempt of this phase. */
  private boolean startable(ResourceRecord r) {
    if (!r.started()) {
      return true;
    }
    if (r.status().inProgress()) {
      return false;
    }
    return r.templateVersion() != version || (failedStatus(r.status()) && !r.creating() && !failedNow(r));
  }

  /** The properties of a row as the target version says, or why they cannot be resolved. */
  private sealed interface Resolved {
    record Values(ObjectNode properties, JsonNode metadata) implements Resolved {}

    record Problem(String reason) implements Resolved {}
  }

  private Resolved resolve(ResourceRecord r) {
    StackValues values = new StackValues(byLogicalId());
    var planned = plan.resources().get(r.logicalId());
    String path = "Resources/" + r.logicalId() + "/Properties";
    ObjectNode props;
    switch (plan.evaluator().resolve(planned.properties(), path, values)) {
      case Resolution.Resolved res -> {
        props = res.value() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        // The check before creation left values from other resources to now: check them fully.
        var problems = PropertyChecks.resolved(exec.registry, plan, r.logicalId(), r.type(), props);
        if (!problems.isEmpty()) {
          return new Resolved.Problem(String.join("; ", problems.stream().map(e -> e.path() + ": " + e.message())
              .toList()));
        }
      }
      case Resolution.Deferred d -> {
        return new Resolved.Problem("Properties could not be resolved: they still need " + d.waitingOn()
            + (d.waitingOn().isEmpty() ? " (an export or zone list that is not available)" : ""));
      }
      case Resolution.Failed f -> {
        return new Resolved.Problem("Properties could not be resolved: " + f.errors().stream()
            .map(e -> e.path() + ": " + e.message()).toList());
      }
    }
    JsonNode metadata = planned.definition().metadata();
    JsonNode resolvedMetadata = null;
    if (metadata != null && !metadata.isNull() && !metadata.isMissingNode()) {
      var m = plan.evaluator().resolve(metadata, "Resources/" + r.logicalId() + "/Metadata", values);
      resolvedMetadata = switch (m) {
        case Resolution.Resolved res -> res.value();
        case Resolution.Deferred d -> d.partial();
        case Resolution.Failed f -> metadata;
      };
    }
    return new Resolved.Values(props, resolvedMetadata);
  }

  /** The row as the target version defines it: version, dependencies and policies. */
  private ResourceRecord.Builder asTarget(ResourceRecord.Builder b, String logicalId) {
    var definition = plan.resources().get(logicalId);
    return b.templateVersion(version).dependsOn(definition.dependsOn())
        .deletionPolicy(definition.definition().deletionPolicy())
        .updateReplacePolicy(definition.definition().updateReplacePolicy());
  }

  /**
   * A row another version left whose properties are the same is carried over with no call, unless its DeletionPolicy
   * changed: the tag that tells {@code delete-stack --by-tags} the policy is then rewritten (a {@code RETAG}).
   */
  @Override
  public Optional<Settled> settleWithoutCall(ResourceRecord r) {
    if (!r.started() || r.templateVersion() == version || !r.complete() || NESTED_STACK.equals(r.type())
        || !Objects.equals(r.deletionPolicy(), plan.resources().get(r.logicalId()).definition().deletionPolicy())) {
      return Optional.empty();
    }
    if (!(resolve(r) instanceof Resolved.Values v) || !same(r.properties(), v.properties())) {
      return Optional.empty();
    }
    boolean metadataChanged = !Objects.equals(r.metadata(), v.metadata());
    ResourceRecord.Builder b = asTarget(r.toBuilder(), r.logicalId()).metadata(v.metadata()).callbackContext(null);
    // Only a change of its Metadata shows (CloudFormation updates it without calling the resource).
    return Optional.of(metadataChanged ? Settled.withEvent(b.status(ResourceStatus.UPDATE_COMPLETE)
        .statusReason(null)) : new Settled(b, false));
  }

  @Override
  public Optional<ResourceRecord.Builder> begin(ResourceRecord r, Instant now) {
    Resolved resolved = resolve(r);
    if (resolved instanceof Resolved.Problem p) {
      ResourceRecord.Builder b = asTarget(r.toBuilder(), r.logicalId()).operationStarted(now).statusReason(p.reason())
          .callbackContext(null);
      if (!r.started()) {
        exec.finish(b.status(ResourceStatus.CREATE_FAILED), now);
      } else {
        // Nothing was changed: the row keeps its properties (as before the update) for the rollback to compare.
        exec.finish(b.status(ResourceStatus.UPDATE_FAILED).previousProperties(r.properties()), now);
      }
      return Optional.empty();
    }
    Resolved.Values v = (Resolved.Values) resolved;
    if (!r.started()) {
      return Optional.of(asTarget(r.toBuilder(), r.logicalId()).status(ResourceStatus.CREATE_IN_PROGRESS)
          .statusReason(null).callbackContext(null).properties(v.properties()).metadata(v.metadata()));
    }
    // What the resource has now: after a failed update, either what it had before or what the update asked for.
    ObjectNode before = r.properties() == null ? JsonNodeFactory.instance.objectNode() : r.properties();
    Set<String> changed = UpdateRules.changedProperties(before, v.properties());
    if (r.status() == ResourceStatus.UPDATE_FAILED && r.previousProperties() != null) {
      changed.addAll(UpdateRules.changedProperties(r.previousProperties(), v.properties()));
    }
    UpdateRules rules = exec.calls.handler(r).map(ResourceHandler::updateRules).orElse(UpdateRules.REPLACE_ALL);
    boolean replace = changed.stream().anyMatch(n -> rules.property(n).behavior() == UpdateBehavior.REPLACEMENT)
        || (r.callbackContext() != null && r.callbackContext().path(REPLACE_INSTEAD).asBoolean());
    if (replace) {
      return Optional.of(asTarget(r.replacement(version), r.logicalId()).status(ResourceStatus.UPDATE_IN_PROGRESS)
          .statusReason(REPLACING).properties(v.properties()).metadata(v.metadata()));
    }
    // The handler changes what the resource has into the new properties: after a failed update, what it may have.
    ObjectNode previous = r.status() == ResourceStatus.UPDATE_FAILED && r.previousProperties() != null
        ? mayHave(before, r.previousProperties(), v.properties()) : before;
    return Optional.of(asTarget(r.toBuilder(), r.logicalId()).status(ResourceStatus.UPDATE_IN_PROGRESS)
        .statusReason(null).callbackContext(null).previousProperties(previous).properties(v.properties())
        .metadata(v.metadata()));
  }

  /**
   * What a resource whose update (from {@code before} to {@code asked}) failed part-way may have, as the properties to
   * change into {@code target}: where the failed request differs from the target, its value (it may have been
   * applied); elsewhere the value before it (it may not have been), so that the handler applies it again. Trying the
   * same update again (target = asked) thus redoes all of it, rolling it back (target = before) undoes all of it.
   */
  private static ObjectNode mayHave(ObjectNode asked, ObjectNode before, ObjectNode target) {
    ObjectNode out = before.deepCopy();
    Set<String> names = new LinkedHashSet<>();
    asked.fieldNames().forEachRemaining(names::add);
    target.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      if (!Objects.equals(asked.get(n), target.get(n))) {
        if (asked.get(n) == null) {
          out.remove(n);
        } else {
          out.set(n, asked.get(n));
        }
      }
    }
    return out;
  }

  private static boolean same(ObjectNode a, ObjectNode b) {
    return UpdateRules.changedProperties(a, b).isEmpty();
  }

  /** A first call, a poll, or a lookup when a first create call's outcome is unknown. */
  @Override
  public ProgressEvent call(ResourceRecord r) {
    Optional<ResourceHandler> handler = exec.calls.handler(r);
    if (handler.isEmpty()) {
      return HandlerCalls.noHandler(r);
    }
    if (!r.creating()) {
      // An update call whose answer was lost is sent again: it asks for the same properties. With none to change (only
      // the DeletionPolicy did), only the engine's tags are rewritten; a nested stack is always updated.
      boolean tagsOnly = !NESTED_STACK.equals(r.type()) && r.previousProperties() != null
          && same(r.previousProperties(), r.properties());
      return exec.calls.call(handler.get(), exec.request(r, r.callbackContext(),
          tagsOnly ? ResourceRequest.Action.RETAG : ResourceRequest.Action.UPDATE));
    }
    if (r.callbackContext() == null && !exec.justStarted.contains(r.resourceId())) {
      // The first call was sent by an execution that died (or did not answer in time): find the
      // resource by its tags before creating anything twice.
      ProgressEvent found = exec.calls.lookup(handler.get(), exec.request(r, null, ResourceRequest.Action.READ));
      if (found instanceof ProgressEvent.Success || found == HandlerCalls.NOT_YET_KNOWN) {
        return found;
      }
      if (found instanceof ProgressEvent.Failed f && f.code() != ErrorCode.NOT_FOUND) {
        return found;
      }
    }
    return exec.calls.call(handler.get(), exec.request(r, r.callbackContext(), ResourceRequest.Action.CREATE));
  }

  @Override
  public void apply(ResourceRecord r, ProgressEvent result, Instant now) {
    boolean creating = r.creating();
    switch (result) {
      case ProgressEvent.Success s -> {
        ResourceRecord.Builder b = r.toBuilder().statusReason(null).callbackContext(null).nextCallAt(null);
        if (creating) {
          exec.stepper.counters.resourcesCreated.increment();
          b.status(r.status() == ResourceStatus.CREATE_IN_PROGRESS ? ResourceStatus.CREATE_COMPLETE
              : ResourceStatus.UPDATE_COMPLETE).physicalId(s.physicalId()).attributes(s.attributes());
        } else if (s.physicalId() != null && r.physicalId() != null && !s.physicalId().equals(r.physicalId())) {
          replacedByHandler(r, s, now);
          return;
        } else {
          b.status(ResourceStatus.UPDATE_COMPLETE).previousProperties(null)
              .physicalId(s.physicalId() != null ? s.physicalId() : r.physicalId())
              .attributes(s.attributes().isEmpty() ? r.attributes() : s.attributes());
        }
        exec.finish(b, now);
        if (s.attributes().containsKey(org.stacktician.engine.custom.CustomResourceHandler.NO_ECHO_ATTRIBUTE)) {
          exec.noEchoDataArrived();
        }
      }
      case ProgressEvent.InProgress p when HandlerCalls.keepsState(p) ->
          exec.quiet(r.toBuilder().nextCallAt(now.plus(p.delay())).updatedAt(now).build());
      case ProgressEvent.InProgress p -> {
        boolean first = r.callbackContext() == null;
        ResourceRecord.Builder b = r.toBuilder().callbackContext(p.callbackContext())
            .nextCallAt(now.plus(p.delay())).updatedAt(now);
        if (first && creating) {
          exec.transition(b.statusReason("Resource creation Initiated"), now);
        } else {
          exec.quiet(b.build());
        }
      }
      case ProgressEvent.Failed f when !creating && f.code() == ErrorCode.NOT_UPDATABLE && r.callbackContext() == null
          && r.previousProperties() != null && r.templateVersion() == version -> {
        // The handler cannot change the resource in place after all: it is left as it was and replaced instead.
        exec.quiet(r.toBuilder().status(ResourceStatus.UPDATE_COMPLETE).templateVersion(NO_VERSION)
            .properties(r.previousProperties()).previousProperties(null).nextCallAt(null)
            .callbackContext(JsonNodeFactory.instance.objectNode().put(REPLACE_INSTEAD, true)).updatedAt(now).build());
        exec.stepper.limiter.release(exec.stack.accountKey(), exec.stack.stackId(), r.resourceId());
      }
      case ProgressEvent.Failed f -> {
        ResourceRecord.Builder b = r.toBuilder().status(failure(r)).statusReason(f.message()).nextCallAt(null);
        if (creating && r.callbackContext() == null && f.code() != ErrorCode.INVALID_REQUEST) {
          // The first call failed after it may have reached the cloud (a dropped answer, a
          // time-out): the cleanup looks the resource up instead of assuming nothing exists.
          b.callbackContext(JsonNodeFactory.instance.objectNode().put("firstCallFailed", f.code().name()));
        } else if (!creating) {
          b.callbackContext(null);
        }
        exec.finish(b, now);
      }
    }
  }

  /**
   * An in-place update answered with a new physical id (a custom resource's service replaced it): as CloudFormation,
   * that is a replacement. The old resource stays as it was, in a row of the version the walk moves from, for the
   * cleanup to delete (an update's cleanup sends its Delete; a rollback uses it again and deletes the new one); the
   * new resource is a new row of the target version that replaces it.
   */
  private void replacedByHandler(ResourceRecord r, ProgressEvent.Success s, Instant now) {
    int from = exec.stack.previous() == null ? NO_VERSION : exec.stack.previous().number();
    exec.quiet(r.toBuilder().templateVersion(from).status(ResourceStatus.UPDATE_COMPLETE).statusReason(null)
        .properties(r.previousProperties()).previousProperties(null).callbackContext(null).nextCallAt(null)
        .updatedAt(now).build());
    exec.transition(asTarget(r.replacement(version), r.logicalId()).status(ResourceStatus.UPDATE_COMPLETE)
        .physicalId(s.physicalId()).attributes(s.attributes()).properties(r.properties()).metadata(r.metadata())
        .operationStarted(r.operationStarted()), now);
    exec.stepper.limiter.release(exec.stack.accountKey(), exec.stack.stackId(), r.resourceId());
    if (s.attributes().containsKey(org.stacktician.engine.custom.CustomResourceHandler.NO_ECHO_ATTRIBUTE)) {
      exec.noEchoDataArrived();
    }
  }

  @Override
  public Result result(Instant now, Optional<Instant> next) {
    List<ResourceRecord> failed = rows().stream().filter(this::failedNow).toList();
    if (!failed.isEmpty() || timedOut) {
      if (next.isPresent()) {
        return new Result.Running(); // let in-flight operations settle before the phase fails
      }
      if (timedOut) {
        return new Result.Failed(deadline.reason());
      }
      List<String> reasons = new ArrayList<>();
      List<String> notCreated = failed.stream().filter(r -> r.status() == ResourceStatus.CREATE_FAILED)
          .map(ResourceRecord::logicalId).toList();
      List<String> notUpdated = failed.stream().filter(r -> r.status() == ResourceStatus.UPDATE_FAILED)
          .map(ResourceRecord::logicalId).toList();
      if (!notCreated.isEmpty()) {
        reasons.add("The following resource(s) failed to create: " + notCreated + ".");
      }
      if (!notUpdated.isEmpty()) {
        reasons.add("The following resource(s) failed to update: " + notUpdated + ".");
      }
      return new Result.Failed(String.join(" ", reasons));
    }
    if (rows().stream().allMatch(this::done)) {
      return new Result.Succeeded();
    }
    return new Result.Running();
  }

  /** Due again at the stack's deadline at the latest, however long its operations wait. */
  @Override
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline).map(Deadline::at);
  }

  /** When this phase's time is up, and the stack's failure reason then. */
  private record Deadline(Instant at, String reason) {}

  /**
   * The earliest of the stack's own time-out and those of the stacks it is nested in while they provision (a nested
   * stack is part of its parent's create or update: as CloudFormation, it fails and rolls back with the parent when
   * the parent's time is up, rather than hold the parent's rollback until its own operations end); none when no
   * time-out applies, as for a rollback.
   */
  private Deadline deadlineOf(StackRecord stack) {
    if (rollingBack(stack)) {
      // A rollback has no time-out, as in CloudFormation: it must not fail for the time the failed operation took, nor
      // for a parent's time-out, which a nested stack's rollback follows (the parent's rollback waits for it; cancelled
      // too, it would leave the nested stack and then the parent UPDATE_ROLLBACK_FAILED).
      return null;
    }
    Deadline earliest = null;
    StackRecord s = stack;
    for (int depth = 0; s != null && depth < 64; depth++) {
      if (s != stack && rollingBack(s)) {
        // The parent already rolls back (its time ran out first): this nested create or update is cancelled now, so
        // the parent's rollback need not wait for it (nor wait forever, when it waits on a signal).
        return new Deadline(Instant.EPOCH, "Stack " + what(stack) + " cancelled: its parent stack " + s.stackName()
            + " is rolling back: " + s.statusReason());
      }
      boolean provisioning = StackOperation.running(s.status())
          .map(p -> p.current().walk() == Phase.Walk.PROVISION).orElse(false);
      if (provisioning && s.timeoutMinutes() != null && s.operationStarted() != null) {
        Instant at = s.operationStarted().plus(exec.stepper.options.stackTimeoutUnit().multipliedBy(s.timeoutMinutes()));
        if (earliest == null || at.isBefore(earliest.at())) {
          earliest = new Deadline(at, s == stack
              ? "Stack " + what(stack) + " time exceeded the specified timeout of " + s.timeoutMinutes() + " minute(s)."
              : "Stack " + what(stack) + " cancelled: the " + what(s) + " of its parent stack " + s.stackName()
                  + " exceeded the specified timeout of " + s.timeoutMinutes() + " minute(s).");
        }
      }
      s = s.parentStackId() == null ? null : exec.stepper.store.findStack(s.parentStackId()).orElse(null);
    }
    return earliest;
  }

  private static boolean rollingBack(StackRecord s) {
    return StackOperation.running(s.status()).map(p -> p.operation().rollback()).orElse(false);
  }

  private static String what(StackRecord s) {
    return s.previous() == null ? "creation" : "update";
  }

  /**
   * Computes the version's outputs and exports, committed when the phase ends; as CloudFormation, an export that
   * another stack imports may neither change nor go.
   */
  @Override
  public Optional<String> completed(Instant now) {
    Outputs.Evaluated outputs = Outputs.evaluate(plan, new StackValues(byLogicalId()), exec.secrets);
    if (outputs.error() != null) {
      return Optional.of(outputs.error());
    }
    var stack = exec.stack;
    List<StateStore.ExportRecord> exports = outputs.outputs().stream().filter(o -> o.exportName() != null)
        .map(o -> new StateStore.ExportRecord(o.exportName(), o.value(), stack.stackId(), stack.stackName()))
        .toList();
    Optional<String> inUse = exportInUse(exports);
    if (inUse.isPresent()) {
      return inUse;
    }
    exec.completeWith(outputs.outputs(), exports);
    return Optional.empty();
  }

  private Optional<String> exportInUse(List<StateStore.ExportRecord> exports) {
    var store = exec.stepper.store;
    String self = exec.stack.stackName();
    for (StateStore.ExportRecord old : store.listExports(exec.stack.scope())) {
      if (!old.stackId().equals(exec.stack.stackId())) {
        continue;
      }
      List<String> importers = store.importingStackNames(exec.stack.scope(), old.exportName()).stream().filter(n -> !n.equals(self))
          .toList();
      if (importers.isEmpty()) {
        continue;
      }
      Optional<StateStore.ExportRecord> now = exports.stream().filter(e -> e.exportName().equals(old.exportName()))
          .findFirst();
      if (now.isEmpty()) {
        return Optional.of("Cannot delete export " + old.exportName() + " as it is in use by "
            + String.join(", ", importers) + ".");
      }
      if (!Objects.equals(now.get().value(), old.value())) {
        return Optional.of("Cannot update export " + old.exportName() + " as it is in use by "
            + String.join(", ", importers) + ".");
      }
    }
    return Optional.empty();
  }
}
