package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.stacktician.cloudstack.client.AsyncJobStatus;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.engine.cloudstack.CallSequence;
import org.stacktician.engine.cloudstack.CloudStackErrors;
import org.stacktician.engine.cloudstack.StackRetag;
import org.stacktician.engine.provider.CreateUndo;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.UpdateBehavior;

/**
 * Base of the {@code AWS::} handlers: each create or delete is a chain of CloudStack calls; an
 * async call returns InProgress with its job id, the next call polls it once, and a finished job
 * hands its result to {@link #afterCreate} / {@link #afterDelete}, which start the next call or
 * finish. No call blocks on the cloud.
 */
abstract class StepHandler implements ResourceHandler {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepHandler.class);

  /** First create call: check properties, start the first CloudStack call. */
  protected abstract ProgressEvent beginCreate(Step s);

  /** A create step's job (or sync call) finished with {@code result}. */
  protected abstract ProgressEvent afterCreate(Step s, String step, JsonNode result);

  /** First delete call. */
  protected abstract ProgressEvent beginDelete(Step s);

  /** A delete step finished; by default the delete is done. */
  protected ProgressEvent afterDelete(Step s, String step, JsonNode result) {
    return ProgressEvent.success(null);
  }

  /** True when a failed delete step means the thing is already gone (so the step counts as done). */
  protected boolean goneAlready(String step, String errorText) {
    return CloudStackErrors.isNotFound(errorText);
  }

  /** CloudStack's tag resource type of what this handler creates; null when it is not tagged. */
  protected String tagResourceType() {
    return null;
  }

  /** The CloudStack id its tags are on: by default the physical id. */
  protected String taggedId(Step s) {
    return s.physicalId();
  }

  /** The success event for a resource found by its tags (id = the tagged CloudStack id). */
  protected ProgressEvent found(Step s, String id) {
    return ProgressEvent.success(id);
  }

  /** Throws the property errors {@link #validate} finds, all in one message. */
  protected final void requireValid(ObjectNode props) {
    List<org.stacktician.engine.provider.PropertyError> errors = validate(props);
    if (!errors.isEmpty()) {
      throw new AwsPropertyException(String.join("; ", errors.stream().map(Object::toString).toList()));
    }
  }

  /**
   * For {@link #found}: the tagged resource {@code id} as {@code listApi} shows it, handed to
   * {@code then}; NOT_FOUND when it no longer exists.
   */
  protected static ProgressEvent foundById(Step s, String listApi, String what, String id,
      java.util.function.Function<JsonNode, ProgressEvent> then) {
    java.util.List<JsonNode> listed = s.client.list(listApi, java.util.Map.of("id", id));
    if (listed.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.NOT_FOUND, s.request.logicalId() + ": tagged " + what + " " + id
          + " no longer exists");
    }
    return then.apply(listed.get(0));
  }

  /** Looks the resource up by its stack tags (for resume after a create whose outcome is unknown). */
  @Override
  public ProgressEvent read(ResourceRequest request) {
    if (tagResourceType() == null) {
      return ProgressEvent.failed(ErrorCode.NOT_FOUND, request.type() + " is not tagged, so it cannot be looked up by tags");
    }
    Optional<CloudStackClient> client = request.context().cloudStack();
    if (client.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + ": no CloudStack endpoint is configured");
    }
    try {
      Optional<String> id = org.stacktician.engine.cloudstack.TaggedResources.findOne(client.get(), tagResourceType(),
          request.stack().stackId(), request.logicalId(),
          found -> request.replacing() != null && request.replacing().replaced(found));
      if (id.isEmpty()) {
        return ProgressEvent.failed(ErrorCode.NOT_FOUND, request.logicalId() + ": no " + request.type()
            + " tagged for this stack");
      }
      return found(new Step(request, Step.newContext(), client.get(), CloudLookup.of(request.context())), id.get());
    } catch (CloudStackException e) {
      return CloudStackErrors.failed(request.logicalId(), "listTags", e);
    }
  }

  @Override
  public ProgressEvent create(ResourceRequest request) {
    return run(request, true);
  }

  @Override
  public ProgressEvent delete(ResourceRequest request) {
    if (request.firstCall() && request.physicalId() == null) {
      return ProgressEvent.success(null);
    }
    return run(request, false);
  }

  /**
   * The calls that change the resource in place from {@code before} to {@code after}, planned against the cloud as it
   * is now (so that trying again after a partial update, or changing back on rollback, makes only the calls still
   * needed). Called only when every changed property is one {@link #updateRules()} declares updatable, each of which
   * the handler must plan ({@link #undeclared} otherwise): the declared rules, the change sets computed from them and
   * the update itself are one table.
   *
   * @param changed the names of the properties whose values differ
   */
  protected CallSequence planUpdate(Step s, ObjectNode before, ObjectNode after, Set<String> changed) {
    throw undeclared(changed);
  }

  /** The defect of a handler that declares a property updatable but does not plan its update. */
  protected final IllegalStateException undeclared(java.util.Collection<String> names) {
    return new IllegalStateException(getClass().getSimpleName() + " declares " + names
        + " updatable in place but plans no update of it");
  }

  /** The outcome once an update's calls are done: by default the resource as {@link #found} reads it. */
  protected ProgressEvent afterUpdate(Step s) {
    return found(s, s.physicalId());
  }

  /**
   * In-place update: the changed properties, each declared updatable by {@link #updateRules()}, are changed with the
   * calls {@link #planUpdate} plans, run one at a time ({@link CallSequence}).
   */
  @Override
  public ProgressEvent update(ResourceRequest request) {
    Optional<CloudStackClient> client = request.context().cloudStack();
    if (client.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + ": no CloudStack endpoint is configured");
    }
    ObjectNode ctx = request.callbackContext() == null ? null : request.callbackContext().deepCopy();
    Step s = new Step(request, ctx == null ? Step.newContext() : ctx, client.get(), CloudLookup.of(request.context()));
    try {
      if (!CallSequence.running(ctx)) {
        ObjectNode before = request.previousProperties() == null ? Step.newContext() : request.previousProperties();
        Set<String> changed = org.stacktician.engine.provider.UpdateRules.changedProperties(before, request.properties());
        List<String> replacing = changed.stream()
            .filter(n -> updateRules().property(n).behavior() == UpdateBehavior.REPLACEMENT).toList();
        if (!replacing.isEmpty()) {
          return ProgressEvent.failed(ErrorCode.NOT_UPDATABLE, request.logicalId() + ": " + request.type()
              + " cannot change " + replacing + " in place; the resource must be replaced");
        }
        requireValid(request.properties());
        CallSequence calls = planUpdate(s, before, request.properties(), changed);
        if (tagResourceType() != null) {
          // The update may change the DeletionPolicy too (or roll such a change back): its tag follows.
          calls.then(StackRetag.plan(request, client.get(), tagResourceType(), taggedId(s)).ifTagged());
        }
        ctx = calls.context();
        ctx.set("state", s.state());
        s = new Step(request, ctx, client.get(), s.lookup);
      }
      Step running = s;
      return CallSequence.run(request, client.get(), ctx, () -> afterUpdate(running));
    } catch (CloudStackException e) {
      return CloudStackErrors.failed(request.logicalId(), ctx == null ? "CloudStack" : ctx.path("api").asText(), e);
    } catch (AwsPropertyException e) {
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId() + " (" + request.type() + "): "
          + e.getMessage());
    }
  }

  /** Changes only the engine's own tags (see {@link StackRetag}), on the id {@link #taggedId} gives. */
  @Override
  public ProgressEvent retag(ResourceRequest request) {
    Optional<CloudStackClient> client = request.context().cloudStack();
    if (tagResourceType() == null || client.isEmpty()) {
      return tagResourceType() == null ? ResourceHandler.super.retag(request) : ProgressEvent.failed(
          ErrorCode.GENERAL_SERVICE_EXCEPTION, request.logicalId() + ": no CloudStack endpoint is configured");
    }
    try {
      Step s = new Step(request, Step.newContext(), client.get(), CloudLookup.of(request.context()));
      return StackRetag.run(request, client.get(), tagResourceType(), taggedId(s));
    } catch (CloudStackException e) {
      return CloudStackErrors.failed(request.logicalId(), request.callbackContext() == null ? "listTags"
          : request.callbackContext().path("api").asText("listTags"), e);
    }
  }

  /** Steps whose failure is logged and skipped (tagging: tags are a safety net, not the record). */
  protected boolean optional(String step) {
    return step.equals("tag");
  }

  private ProgressEvent run(ResourceRequest request, boolean create) {
    Optional<CloudStackClient> client = request.context().cloudStack();
    if (client.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + ": no CloudStack endpoint is configured");
    }
    ObjectNode ctx = request.callbackContext() == null ? Step.newContext() : request.callbackContext().deepCopy();
    Step s = new Step(request, ctx, client.get(), CloudLookup.of(request.context()));
    if (create && CreateUndo.running(ctx)) {
      return CreateUndo.resume(ctx, () -> step(s, false));
    }
    ProgressEvent e = step(s, create);
    if (create && e instanceof ProgressEvent.Failed f && s.physicalId() != null) {
      // Something was created before the failure: delete it first, then report the failure.
      ctx.remove("jobid");
      ctx.remove("step");
      return CreateUndo.start(ctx, f, s.physicalId(), () -> step(s, false));
    }
    return e;
  }

  private ProgressEvent step(Step s, boolean create) {
    ResourceRequest request = s.request;
    ObjectNode ctx = s.ctx;
    String api = ctx.path("api").asText("CloudStack");
    try {
      if (ctx.has("jobs")) {
        return pollAll(s, create);
      }
      if (!ctx.has("jobid")) {
        return create ? beginCreate(s) : beginDelete(s);
      }
      String step = ctx.get("step").asText();
      AsyncJobStatus status = s.client.queryJob(ctx.get("jobid").asText());
      return switch (status) {
        case AsyncJobStatus.Pending p -> ProgressEvent.inProgress(ctx, s.delay(), api + " job running");
        case AsyncJobStatus.Failed f -> {
          ctx.remove("jobid");
          if (!create && goneAlready(step, f.errorText())) {
            yield afterDelete(s, step, null);
          }
          if (optional(step)) {
            LOG.warn("{}: {} failed ({}); continuing", request.logicalId(), api, f.errorText());
            yield create ? afterCreate(s, step, null) : afterDelete(s, step, null);
          }
          yield CloudStackErrors.jobFailed(request.logicalId(), api, f.errorCode(), f.errorText());
        }
        case AsyncJobStatus.Succeeded ok -> {
          s.finished();
          ctx.remove("jobid");
          yield create ? afterCreate(s, step, ok.result()) : afterDelete(s, step, ok.result());
        }
      };
    } catch (CloudStackApiException e) {
      if (!create && CloudStackErrors.isNotFound(e.errorText())) {
        return ProgressEvent.success(null);
      }
      return CloudStackErrors.failed(request.logicalId(), e.command() == null ? api : e.command(), e);
    } catch (CloudStackException e) {
      return CloudStackErrors.failed(request.logicalId(), e.command() == null ? api : e.command(), e);
    } catch (AwsPropertyException e) {
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId() + " (" + request.type() + "): "
          + e.getMessage());
    }
  }

  private ProgressEvent pollAll(Step s, boolean create) {
    ObjectNode ctx = s.ctx;
    com.fasterxml.jackson.databind.node.ArrayNode jobs = (com.fasterxml.jackson.databind.node.ArrayNode) ctx.get("jobs");
    boolean pending = false;
    for (JsonNode job : jobs) {
      if (job.has("result")) {
        continue;
      }
      AsyncJobStatus status = s.client.queryJob(job.get("jobid").asText());
      switch (status) {
        case AsyncJobStatus.Pending p -> pending = true;
        case AsyncJobStatus.Failed f -> {
          if (!create && goneAlready(ctx.path("step").asText(), f.errorText())) {
            ((ObjectNode) job).putNull("result");
          } else {
            ctx.remove("jobs");
            return CloudStackErrors.jobFailed(s.request.logicalId(), job.path("api").asText(), f.errorCode(), f.errorText());
          }
        }
        case AsyncJobStatus.Succeeded ok -> ((ObjectNode) job).set("result", ok.result());
      }
    }
    if (pending) {
      return ProgressEvent.inProgress(ctx, s.delay(), ctx.path("api").asText() + " jobs running");
    }
    s.finished();
    com.fasterxml.jackson.databind.node.ArrayNode results = ctx.arrayNode();
    jobs.forEach(j -> results.add(j.get("result")));
    ctx.remove("jobs");
    String step = ctx.path("step").asText();
    return create ? afterCreate(s, step, results) : afterDelete(s, step, results);
  }

  /** A property problem found while running (e.g. an AMI id with no mapping). */
  static final class AwsPropertyException extends RuntimeException {
    AwsPropertyException(String message) {
      super(message);
    }
  }
}
