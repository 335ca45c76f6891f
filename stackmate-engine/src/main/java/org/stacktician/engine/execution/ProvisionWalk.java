package org.stacktician.engine.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.state.StateStore;
import org.stacktician.template.Plan;
import org.stacktician.template.Resolution;

/**
 * The forward walk: makes every resource of the target template version exist, each once all it
 * depends on exists, with its properties resolved from what exists; a create whose first call's
 * answer was lost looks the resource up before creating it again. When every resource exists the
 * version's outputs and exports are computed.
 */
final class ProvisionWalk implements ResourceWalk {
  /**
   * Types whose in-progress operation is cancelled at once when the phase fails (they create
   * nothing in the cloud and may otherwise wait for hours), as CloudFormation cancels them.
   */
  private static final Set<String> CANCEL_ON_FAILURE = Set.of(
      "AWS::CloudFormation::WaitCondition", "StackMate::WaitCondition");

  private final StackExecution exec;
  private final int version;
  private final Plan plan;
  private final Instant deadline;
  private boolean timedOut;

  ProvisionWalk(StackExecution exec, int version) {
    this.exec = exec;
    this.version = version;
    this.plan = exec.stepper.plans.planOf(exec.stack, version);
    var stack = exec.stack;
    this.deadline = stack.timeoutMinutes() == null || stack.operationStarted() == null ? null
        : stack.operationStarted().plus(exec.stepper.options.stackTimeoutUnit().multipliedBy(stack.timeoutMinutes()));
  }

  /** The rows of the target version. */
  private List<ResourceRecord> rows() {
    return exec.resources.values().stream().filter(r -> r.templateVersion() == version).toList();
  }

  /** The rows of the target version by logical id (what Ref and Fn::GetAtt see). */
  private Map<String, ResourceRecord> byLogicalId() {
    Map<String, ResourceRecord> m = new LinkedHashMap<>();
    for (ResourceRecord r : rows()) {
      m.put(r.logicalId(), r);
    }
    return m;
  }

  private boolean failing() {
    return timedOut || rows().stream().anyMatch(r -> r.status() == ResourceStatus.CREATE_FAILED);
  }

  @Override
  public ResourceStatus inProgress() {
    return ResourceStatus.CREATE_IN_PROGRESS;
  }

  @Override
  public void sweep(Instant now) {
    timedOut = deadline != null && now.isAfter(deadline);
    if (!failing()) {
      return;
    }
    for (ResourceRecord r : rows()) {
      // The stack's time is up: nothing it waits for may hold it any longer (CloudFormation
      // cancels every create in progress). The rollback looks up what a cancelled create left.
      if (r.status() == ResourceStatus.CREATE_IN_PROGRESS && (timedOut || CANCEL_ON_FAILURE.contains(r.type()))) {
        exec.finish(r.toBuilder().status(ResourceStatus.CREATE_FAILED).statusReason("Resource creation cancelled"),
            now);
      }
    }
  }

  @Override
  public ResourceRecord.Builder timedOut(ResourceRecord r, String timeout) {
    return r.toBuilder().status(ResourceStatus.CREATE_FAILED).statusReason("Resource creation timed out after "
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
        .filter(r -> !r.started() && r.dependsOn().stream().allMatch(d -> created(byLogicalId.get(d))))
        .toList();
  }

  private static boolean created(ResourceRecord r) {
    return r == null || r.status() == ResourceStatus.CREATE_COMPLETE;
  }

  @Override
  public Optional<ResourceRecord.Builder> begin(ResourceRecord r, Instant now) {
    StackValues values = new StackValues(byLogicalId());
    var planned = plan.resources().get(r.logicalId());
    String path = "Resources/" + r.logicalId() + "/Properties";
    ResourceRecord.Builder b = r.toBuilder().statusReason(null).callbackContext(null);
    switch (plan.evaluator().resolve(planned.properties(), path, values)) {
      case Resolution.Resolved res -> {
        ObjectNode props = res.value() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        b.properties(props);
        // The check before creation left values from other resources to now: check them fully.
        var problems = PropertyChecks.resolved(exec.stepper.registry, plan, r.logicalId(), r.type(), props);
        if (!problems.isEmpty()) {
          exec.finish(b.operationStarted(now).status(ResourceStatus.CREATE_FAILED).statusReason(String.join("; ",
              problems.stream().map(e -> e.path() + ": " + e.message()).toList())), now);
          return Optional.empty();
        }
      }
      case Resolution.Deferred d -> {
        exec.finish(b.operationStarted(now).status(ResourceStatus.CREATE_FAILED).statusReason(
            "Properties could not be resolved: they still need " + d.waitingOn()
                + (d.waitingOn().isEmpty() ? " (an export or zone list that is not available)" : "")), now);
        return Optional.empty();
      }
      case Resolution.Failed f -> {
        exec.finish(b.operationStarted(now).status(ResourceStatus.CREATE_FAILED).statusReason(
            "Properties could not be resolved: " + f.errors().stream()
                .map(e -> e.path() + ": " + e.message()).toList()), now);
        return Optional.empty();
      }
    }
    JsonNode metadata = planned.definition().metadata();
    if (metadata != null && !metadata.isNull() && !metadata.isMissingNode()) {
      var m = plan.evaluator().resolve(metadata, "Resources/" + r.logicalId() + "/Metadata", values);
      b.metadata(switch (m) {
        case Resolution.Resolved res -> res.value();
        case Resolution.Deferred d -> d.partial();
        case Resolution.Failed f -> metadata;
      });
    }
    return Optional.of(b);
  }

  /** A first call, a poll, or a lookup when a first call's outcome is unknown. */
  @Override
  public ProgressEvent call(ResourceRecord r) {
    Optional<ResourceHandler> handler = exec.calls.handler(r);
    if (handler.isEmpty()) {
      return HandlerCalls.noHandler(r);
    }
    if (r.callbackContext() == null && !exec.justStarted.contains(r.resourceId())) {
      // The first call was sent by an execution that died (or did not answer in time): find the
      // resource by its tags before creating anything twice.
      ProgressEvent found = exec.calls.call(handler.get(), exec.request(r, null, ResourceRequest.Action.READ));
      if (found instanceof ProgressEvent.Success) {
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
    switch (result) {
      case ProgressEvent.Success s -> {
        exec.stepper.counters.resourcesCreated.increment();
        exec.finish(r.toBuilder().status(ResourceStatus.CREATE_COMPLETE).statusReason(null)
            .physicalId(s.physicalId()).attributes(s.attributes()).callbackContext(null).nextCallAt(null), now);
        if (s.attributes().containsKey(org.stacktician.engine.custom.CustomResourceHandler.NO_ECHO_ATTRIBUTE)) {
          exec.noEchoDataArrived();
        }
      }
      case ProgressEvent.InProgress p when p == HandlerCalls.UNANSWERED ->
          exec.quiet(r.toBuilder().nextCallAt(now.plus(p.delay())).updatedAt(now).build());
      case ProgressEvent.InProgress p -> {
        boolean first = r.callbackContext() == null;
        ResourceRecord.Builder b = r.toBuilder().callbackContext(p.callbackContext())
            .nextCallAt(now.plus(p.delay())).updatedAt(now);
        if (first) {
          exec.transition(b.statusReason("Resource creation Initiated"), now);
        } else {
          exec.quiet(b.build());
        }
      }
      case ProgressEvent.Failed f -> {
        ResourceRecord.Builder b = r.toBuilder().status(ResourceStatus.CREATE_FAILED).statusReason(f.message())
            .nextCallAt(null);
        if (r.callbackContext() == null && f.code() != ErrorCode.INVALID_REQUEST) {
          // The first call failed after it may have reached the cloud (a dropped answer, a
          // time-out): the cleanup looks the resource up instead of assuming nothing exists.
          b.callbackContext(JsonNodeFactory.instance.objectNode().put("firstCallFailed", f.code().name()));
        }
        exec.finish(b, now);
      }
    }
  }

  @Override
  public Result result(Instant now, Optional<Instant> next) {
    List<String> failed = rows().stream().filter(r -> r.status() == ResourceStatus.CREATE_FAILED)
        .map(ResourceRecord::logicalId).toList();
    if (!failed.isEmpty() || timedOut) {
      if (next.isPresent()) {
        return new Result.Running(); // let in-flight operations settle before the phase fails
      }
      return new Result.Failed(timedOut
          ? "Stack creation time exceeded the specified timeout of " + exec.stack.timeoutMinutes() + " minute(s)."
          : "The following resource(s) failed to create: " + failed + ".");
    }
    if (rows().stream().allMatch(r -> r.status() == ResourceStatus.CREATE_COMPLETE)) {
      return new Result.Succeeded();
    }
    return new Result.Running();
  }

  /** Due again at the stack's deadline at the latest, however long its operations wait. */
  @Override
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** Computes the version's outputs and exports, committed with the operation's end. */
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
    exec.completeWith(outputs.outputs(), exports);
    return Optional.empty();
  }
}
