package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.stacktician.cloudstack.client.AsyncJobHandle;
import org.stacktician.cloudstack.client.AsyncJobStatus;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.catalog.DeleteArgument;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.engine.provider.ActualState;
import org.stacktician.engine.provider.CreateUndo;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one generated {@code CloudStack::<Noun>} type: properties are the create API's
 * parameters, the create runs as one short call (an async create returns InProgress with its
 * {@code jobid}; later calls poll {@code queryAsyncJobResult} once each), taggable resources are
 * then tagged with the stack tags and the template's {@code tags}, and delete calls the paired
 * API with its real id parameters (several calls where the catalog says so, e.g. one revoke per
 * security-group rule). A delete that finds nothing counts as done.
 */
public final class CloudStackResourceHandler implements ResourceHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CloudStackResourceHandler.class);
  /** Attribute that records the delete calls computed at create (internal; not for templates). */
  public static final String DELETE_CALLS_ATTRIBUTE = "stacktician:deleteCalls";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ResourceTypeDefinition type;
  private final org.stacktician.engine.provider.UpdateRules updateRules;

  public CloudStackResourceHandler(ResourceTypeDefinition type) {
    this.type = Objects.requireNonNull(type, "type");
    this.updateRules = CloudStackUpdates.of(type);
  }

  /** The type this handler runs. */
  public ResourceTypeDefinition type() {
    return type;
  }

  @Override
  public org.stacktician.engine.provider.UpdateRules updateRules() {
    return updateRules;
  }

  @Override
  public List<PropertyError> validate(ObjectNode properties) {
    return ParameterEncoder.encode(type, properties, null, null).errors();
  }

  private static CloudStackClient client(ResourceRequest request) {
    return request.context().cloudStack().orElseThrow(() -> new IllegalStateException(
        "no CloudStack endpoint is configured for " + request.type()));
  }

  // ---------------------------------------------------------------- create

  @Override
  public ProgressEvent create(ResourceRequest request) {
    if (request.context().cloudStack().isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + ": no CloudStack endpoint is configured");
    }
    ObjectNode ctx = request.callbackContext() == null ? null : request.callbackContext().deepCopy();
    try {
      if (CreateUndo.running(ctx)) {
        return CreateUndo.resume(ctx, () -> pollDeletes(request, ctx));
      }
      if (ctx == null || !ctx.has("step")) {
        return startCreate(request);
      }
      return switch (ctx.get("step").asText()) {
        case "create" -> pollCreate(request, ctx);
        default -> ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
            request.logicalId() + ": unknown create step " + ctx.get("step"));
      };
    } catch (CloudStackException e) {
      return CloudStackErrors.failed(request.logicalId(), type.createApi().name(), e);
    }
  }

  private ProgressEvent startCreate(ResourceRequest request) {
    ParameterEncoder.Encoded encoded = ParameterEncoder.encode(type, request.properties(),
        request.stack().stackName(), request.nameStem());
    if (!encoded.errors().isEmpty()) {
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId() + " (" + type.typeName() + "): "
          + String.join("; ", encoded.errors().stream().map(Object::toString).toList()));
    }
    ObjectNode ctx = NODES.objectNode();
    ctx.set("params", paramsNeededForDelete(encoded.params()));
    ObjectNode tags = ctx.putObject("userTags");
    encoded.userTags().forEach(tags::put);
    String api = type.createApi().name();
    if (type.createApi().async()) {
      AsyncJobHandle job = client(request).submit(api, encoded.params());
      LOG.debug("{}: {} submitted as job {}", request.logicalId(), api, job.jobId());
      ctx.put("step", "create");
      ctx.put("jobid", job.jobId());
      if (job.resourceId() != null) {
        ctx.put("id", job.resourceId());
      }
      ctx.put("submittedAt", request.context().clock().millis());
      return ProgressEvent.inProgress(ctx, request.context().jobTimings().firstPoll(api), api + " job " + job.jobId() + " submitted");
    }
    JsonNode response = client(request).call(api, encoded.params());
    return created(request, ctx, resultObject(response));
  }

  /** Only the create parameters that a delete argument reads are kept (never userdata or secrets). */
  private ObjectNode paramsNeededForDelete(Map<String, String> params) {
    ObjectNode kept = NODES.objectNode();
    for (DeleteArgument a : type.deleteArguments()) {
      if (a.fromCreateParameter()) {
        String name = a.source().substring("param:".length());
        params.forEach((k, v) -> {
          if (k.equals(name) || k.startsWith(name + "[")) {
            kept.put(k, v);
          }
        });
      }
      int sel = a.source().indexOf("=param:");
      if (sel > 0) {
        String name = a.source().substring(sel + "=param:".length(), a.source().indexOf(']', sel));
        if (params.containsKey(name)) {
          kept.put(name, params.get(name));
        }
      }
    }
    return kept;
  }

  private JsonNode resultObject(JsonNode result) {
    if (result == null) {
      return NODES.objectNode();
    }
    String key = type.responseObjectKey();
    if (key != null && result.has(key) && result.get(key).isObject()) {
      return result.get(key);
    }
    if (result.size() == 1 && result.fields().next().getValue().isObject()) {
      return result.fields().next().getValue();
    }
    return result;
  }

  private ProgressEvent pollCreate(ResourceRequest request, ObjectNode ctx) {
    String jobId = ctx.get("jobid").asText();
    AsyncJobStatus status = client(request).queryJob(jobId);
    return switch (status) {
      case AsyncJobStatus.Pending p -> {
        ctx.put("polls", ctx.path("polls").asInt() + 1);
        yield ProgressEvent.inProgress(ctx, pollDelay(request, ctx, type.createApi().name()),
            type.createApi().name() + " job " + jobId + " running (" + p.progressPercent() + "%)");
      }
      case AsyncJobStatus.Failed f -> {
        ProgressEvent.Failed failed =
            CloudStackErrors.jobFailed(request.logicalId(), type.createApi().name(), f.errorCode(), f.errorText());
        yield ctx.hasNonNull("id") ? undo(request, ctx.get("id").asText(), failed) : failed;
      }
      case AsyncJobStatus.Succeeded s -> {
        finished(request, ctx, type.createApi().name());
        yield created(request, ctx, resultObject(s.result()));
      }
    };
  }

  /**
   * A failed async create whose object id CloudStack gave at once (a VM left in Error state,
   * say) is deleted before the failure is reported, so it holds nothing (security groups,
   * networks) that the rollback must delete next.
   */
  private ProgressEvent undo(ResourceRequest request, String id, ProgressEvent.Failed failed) {
    ResourceRequest asCreated = request.forUndo(id);
    return CreateUndo.start(NODES.objectNode(), failed, id, () -> delete(asCreated));
  }

  private ProgressEvent created(ResourceRequest request, ObjectNode ctx, JsonNode result) {
    ObjectNode r = result.isObject() ? (ObjectNode) result.deepCopy() : NODES.objectNode();
    if (!r.has("id") && ctx.has("id")) {
      r.put("id", ctx.get("id").asText());
    }
    Map<String, String> createParams = new LinkedHashMap<>();
    ctx.path("params").fields().forEachRemaining(e -> createParams.put(e.getKey(), e.getValue().asText()));
    if (SecurityGroupRules.isRule(type)) {
      // The answer is the whole group: its other rules (the replaced resource's, other resources') are not this one's.
      r = SecurityGroupRules.narrowed(r, type, createParams, rule -> !replaced(request, rule.path("ruleid").asText()))
          .orElse(r);
    }
    List<Map<String, String>> deleteCalls = type.deleteCalls(r, createParams);
    if (request.replacing() != null) {
      // The answer may list what the replaced resource made too (a group's rules): that is not this one's to delete.
      deleteCalls = deleteCalls.stream().filter(c -> !request.replacing().replaced(c.get(type.deleteIdParameter())))
          .toList();
    }
    String physicalId = physicalId(request, r, deleteCalls);
    ArrayNode calls = NODES.arrayNode();
    for (Map<String, String> call : deleteCalls) {
      ObjectNode c = calls.addObject();
      call.forEach(c::put);
    }
    ctx.set("result", r);
    ctx.set("deleteCalls", calls);
    ctx.put("physicalId", physicalId);
    Map<String, String> userTags = new LinkedHashMap<>();
    ctx.path("userTags").fields().forEachRemaining(e -> userTags.put(e.getKey(), e.getValue().asText()));
    tag(request, physicalId, userTags);
    return success(ctx);
  }

  /** Tags a taggable resource with the stack tags and the template's {@code tags}, as a create does. */
  private void tag(ResourceRequest request, String resourceId, Map<String, String> userTags) {
    if (!type.taggable() || type.tagResourceType() == null) {
      return;
    }
    Map<String, String> tags = StackTags.forResource(request);
    tags.putAll(userTags);
    tagWithoutWaiting(client(request), request.logicalId(), type.tagResourceType(), resourceId,
        StackTags.tagParams(type.tagResourceType(), resourceId, tags));
  }

  private String physicalId(ResourceRequest request, JsonNode result, List<Map<String, String>> deleteCalls) {
    if (!deleteCalls.isEmpty()) {
      List<String> ids = new ArrayList<>();
      for (Map<String, String> call : deleteCalls) {
        String v = call.get(type.deleteIdParameter());
        if (v != null) {
          ids.add(v);
        }
      }
      if (!ids.isEmpty()) {
        return String.join(",", ids);
      }
    }
    if (result.hasNonNull("id")) {
      return result.get("id").asText();
    }
    return request.stack().stackName() + "-" + request.logicalId();
  }

  /**
   * Submits {@code createTags} and does not wait for its job: tags are the safety net that makes
   * resources findable without the database, the state store is the record, and waiting would
   * add a second job latency to every resource. A cloud that refuses gets a warning.
   */
  public static void tagWithoutWaiting(CloudStackClient client, String logicalId, String tagResourceType,
      String resourceId, Map<String, String> params) {
    try {
      AsyncJobHandle job = client.submit("createTags", params);
      LOG.debug("{}: tagging {} {} as job {}", logicalId, tagResourceType, resourceId, job.jobId());
    } catch (CloudStackException e) {
      LOG.warn("{}: could not tag {} {} ({}); it is tracked by the stack record only",
          logicalId, tagResourceType, resourceId, e.getMessage());
    }
  }

  private ProgressEvent success(ObjectNode ctx) {
    Map<String, JsonNode> attributes = ResponseAttributes.of(ctx.get("result"));
    attributes.put(DELETE_CALLS_ATTRIBUTE, ctx.get("deleteCalls"));
    return ProgressEvent.success(ctx.get("physicalId").asText(), attributes);
  }

  /** When to poll a still pending job of {@code command} recorded in {@code ctx} again (see {@link JobTimings}). */
  static Duration pollDelay(ResourceRequest request, ObjectNode ctx, String command) {
    long now = request.context().clock().millis();
    return request.context().jobTimings().nextPoll(command, now - ctx.path("submittedAt").asLong(now));
  }

  static void finished(ResourceRequest request, ObjectNode ctx, String command) {
    long now = request.context().clock().millis();
    long elapsed = now - ctx.path("submittedAt").asLong(now);
    if (ctx.path("polls").asInt() == 0) {
      request.context().jobTimings().finishedAtFirstPoll(command);
    } else {
      request.context().jobTimings().finished(command, elapsed);
    }
  }

  // ---------------------------------------------------------------- update

  /**
   * Changes in place what differs from the previous properties, with the calls {@link CloudStackUpdates} derived
   * from the cloud's update APIs: one call per update API with every changed parameter it takes, inside a stop and
   * a start of the resource when one of them interrupts it; changed {@code tags} are deleted, then created again.
   * Each async call is one step (its job polled by later calls), so nothing blocks.
   */
  @Override
  public ProgressEvent update(ResourceRequest request) {
    if (request.context().cloudStack().isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + ": no CloudStack endpoint is configured");
    }
    ObjectNode ctx = request.callbackContext() == null ? null : request.callbackContext().deepCopy();
    String api = ctx == null ? type.createApi().name() : ctx.path("api").asText(type.createApi().name());
    try {
      if (ctx == null) {
        Object planned = updateCalls(request);
        if (planned instanceof ProgressEvent.Failed f) {
          return f;
        }
        ctx = (ObjectNode) planned;
      }
      return CallSequence.run(request, client(request), ctx, () -> updated(request));
    } catch (CloudStackException e) {
      return CloudStackErrors.failed(request.logicalId(), ctx == null ? api : ctx.path("api").asText(api), e);
    }
  }

  /** The calls of an update as a callback context ({@code calls}: [{api, params}]), or why it cannot be done in place. */
  private Object updateCalls(ResourceRequest request) {
    ObjectNode before = request.previousProperties() == null ? NODES.objectNode() : request.previousProperties();
    ObjectNode after = request.properties();
    ParameterEncoder.Encoded now = ParameterEncoder.encode(type, after, request.stack().stackName(),
        request.nameStem());
    if (!now.errors().isEmpty()) {
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId() + " (" + type.typeName() + "): "
          + String.join("; ", now.errors().stream().map(Object::toString).toList()));
    }
    Map<String, Map<String, String>> byApi = new LinkedHashMap<>();
    String stop = null;
    String start = null;
    boolean tagsChanged = false;
    for (String name : org.stacktician.engine.provider.UpdateRules.changedProperties(before, after)) {
      if (name.equalsIgnoreCase("tags")) {
        tagsChanged = true;
        continue;
      }
      var update = updateRules.property(name);
      Optional<String> api = update.calls().stream()
          .filter(c -> type.updateApis().stream().anyMatch(a -> a.name().equals(c))).findFirst();
      if (update.behavior() == org.stacktician.engine.provider.UpdateBehavior.REPLACEMENT || api.isEmpty()) {
        return ProgressEvent.failed(ErrorCode.NOT_UPDATABLE, request.logicalId() + ": " + type.typeName()
            + " cannot change " + name + " in place; the resource must be replaced");
      }
      if (update.behavior() == org.stacktician.engine.provider.UpdateBehavior.SOME_INTERRUPTION) {
        stop = update.calls().getFirst();
        start = update.calls().getLast();
      }
      Map<String, String> params = byApi.computeIfAbsent(api.get(), k -> new LinkedHashMap<>());
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      now.params().forEach((k, v) -> {
        String key = k.toLowerCase(java.util.Locale.ROOT);
        if (key.equals(lower) || key.startsWith(lower + "[")) {
          params.put(k, v);
        }
      });
    }
    String id = request.attributes() != null && request.attributes().get("id") != null
        ? request.attributes().get("id").asText() : request.physicalId();
    CallSequence calls = new CallSequence();
    byApi.forEach((api, params) -> {
      if (!params.isEmpty()) { // a property removed from the template: CloudStack has no way to unset it, so it stays
        calls.addOn(api, id, params);
      }
    });
    if (stop != null) {
      calls.around(stop, start, id);
    }
    if (tagsChanged && type.taggable() && type.tagResourceType() != null) {
      calls.tagChanges(type.tagResourceType(), id, ParameterEncoder.encode(type, before, request.stack().stackName(),
          request.nameStem()).userTags(), now.userTags());
    }
    if (type.taggable() && type.tagResourceType() != null) {
      // The update may change the DeletionPolicy too (or roll such a change back): its tag follows.
      calls.then(StackRetag.plan(request, client(request), type.tagResourceType(), request.physicalId()).ifTagged());
    }
    return calls.context();
  }

  /** Changes only the engine's own tags (see {@link StackRetag}), on the id a create tagged. */
  @Override
  public ProgressEvent retag(ResourceRequest request) {
    if (!type.taggable() || type.tagResourceType() == null) {
      return ResourceHandler.super.retag(request);
    }
    if (request.context().cloudStack().isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + ": no CloudStack endpoint is configured");
    }
    try {
      return StackRetag.run(request, client(request), type.tagResourceType(), request.physicalId());
    } catch (CloudStackException e) {
      return CloudStackErrors.failed(request.logicalId(), request.callbackContext() == null ? "listTags"
          : request.callbackContext().path("api").asText("listTags"), e);
    }
  }


  /** The updated resource as the cloud now describes it. */
  private ProgressEvent updated(ResourceRequest request) {
    Map<String, JsonNode> attributes = new LinkedHashMap<>(request.attributes() == null ? Map.of()
        : request.attributes());
    String id = attributes.get("id") != null ? attributes.get("id").asText() : request.physicalId();
    describe(client(request), id).ifPresent(found -> attributes.putAll(ResponseAttributes.of(found)));
    return ProgressEvent.success(request.physicalId(), attributes);
  }

  // ---------------------------------------------------------------- read

  private static boolean replaced(ResourceRequest request, String id) {
    return request.replacing() != null && request.replacing().replaced(id);
  }

  /** Looks the resource up by its stack tags (logical id + stack id); a security-group rule by what it is. */
  @Override
  public ProgressEvent read(ResourceRequest request) {
    if (SecurityGroupRules.isRule(type) && request.properties() != null && request.context().cloudStack().isPresent()) {
      try {
        return readRule(request);
      } catch (CloudStackException e) {
        return CloudStackErrors.failed(request.logicalId(), "listSecurityGroups", e);
      }
    }
    // A failed create job may leave a resource behind (e.g. a VM in state Error) that was never
    // tagged; the engine passes the create's context, whose job reported the resource's id.
    String jobResourceId = request.callbackContext() != null && request.callbackContext().hasNonNull("id")
        ? request.callbackContext().get("id").asText() : null;
    if (request.context().cloudStack().isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + ": no CloudStack endpoint is configured");
    }
    try {
      Optional<String> tagged = type.taggable() && type.tagResourceType() != null
          ? TaggedResources.findOne(client(request), type.tagResourceType(), request.stack().stackId(),
              request.logicalId(), id -> request.replacing() != null && request.replacing().replaced(id))
          : Optional.empty();
      // Then the id a failed job reported, then the stack-prefixed name (a sync create that was
      // sent but not answered is not tagged yet, but its name is known), or, for a type without names, what it is.
      Optional<String> id = tagged.or(() -> Optional.ofNullable(jobResourceId)).or(() -> findByName(request))
          .or(() -> findByWhatItIs(request));
      if (id.isEmpty()) {
        return ProgressEvent.failed(ErrorCode.NOT_FOUND, request.logicalId() + ": no " + type.typeName()
            + " of this stack was found by its tags" + (type.createApi().parameter("name").isPresent() ? " or name"
                : " or by what it is"));
      }
      if (tagged.isEmpty() && request.properties() != null) {
        // Found by the id its job reported or by its name: it never got the tags its create would
        // have given it, without which a later delete --by-tags would miss it.
        tag(request, id.get(), ParameterEncoder.encode(type, request.properties(), request.stack().stackName(),
            request.nameStem()).userTags());
      }
      JsonNode found = describe(client(request), id.get()).orElseGet(() -> NODES.objectNode().put("id", id.get()));
      ObjectNode ctx = NODES.objectNode();
      ctx.set("result", found);
      ArrayNode calls = NODES.arrayNode();
      for (Map<String, String> call : type.deleteCalls(found, Map.of())) {
        ObjectNode c = calls.addObject();
        call.forEach(c::put);
      }
      ctx.set("deleteCalls", calls.isEmpty() ? null : calls);
      // The same Ref a create gives: the delete call's id (a key pair's name, say), else the id.
      String physicalId = calls.isEmpty() ? id.get() : physicalId(request, found, type.deleteCalls(found, Map.of()));
      Map<String, JsonNode> attributes = ResponseAttributes.of(found);
      if (!calls.isEmpty()) {
        attributes.put(DELETE_CALLS_ATTRIBUTE, calls);
      }
      return ProgressEvent.success(physicalId, attributes);
    } catch (AmbiguousLookupException e) {
      // Not NOT_FOUND: that would count the resource as never created and could leave it behind.
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, e.getMessage());
    } catch (CloudStackException e) {
      return CloudStackErrors.failed(request.logicalId(), "listTags", e);
    }
  }

  /**
   * A rule among its group's rules: the ones its authorize makes that are not the replaced resource's nor tagged as
   * another resource's. While a job runs on the group (it may be the lost authorize) the answer is not known yet.
   */
  private ProgressEvent readRule(ResourceRequest request) {
    Map<String, String> params = ParameterEncoder.encode(type, request.properties(), request.stack().stackName(),
        request.nameStem()).params();
    Optional<JsonNode> group = SecurityGroupRules.group(client(request), params);
    if (group.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.NOT_FOUND, request.logicalId() + ": its security group does not exist");
    }
    Optional<String> job = SecurityGroupRules.runningJob(group.get());
    if (job.isPresent()) {
      return ProgressEvent.failed(ErrorCode.NOT_STABILIZED, request.logicalId() + ": job " + job.get()
          + " still runs on security group " + group.get().path("id").asText() + "; its rules are known when it ends");
    }
    Optional<ObjectNode> found = SecurityGroupRules.narrowed(group.get(), type, params,
        rule -> !replaced(request, rule.path("ruleid").asText()) && mayBeThisResource(rule, request));
    if (found.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.NOT_FOUND, request.logicalId() + ": security group "
          + group.get().path("id").asText() + " has no such rule");
    }
    List<Map<String, String>> deleteCalls = type.deleteCalls(found.get(), params);
    String physicalId = physicalId(request, found.get(), deleteCalls);
    List<String> untagged = new ArrayList<>();
    for (JsonNode rule : found.get().path(SecurityGroupRules.field(type))) {
      if (rule.path("tags").isEmpty()) {
        untagged.add(rule.path("ruleid").asText());
      }
    }
    if (!untagged.isEmpty()) {
      // Its create's end was never seen: it gets the tags the create would have given it.
      tag(request, String.join(",", untagged), ParameterEncoder.encode(type, request.properties(),
          request.stack().stackName(), request.nameStem()).userTags());
    }
    ArrayNode calls = NODES.arrayNode();
    for (Map<String, String> call : deleteCalls) {
      ObjectNode c = calls.addObject();
      call.forEach(c::put);
    }
    Map<String, JsonNode> attributes = ResponseAttributes.of(found.get());
    attributes.put(DELETE_CALLS_ATTRIBUTE, calls);
    return ProgressEvent.success(physicalId, attributes);
  }

  /** Several untagged resources bear the name this one was made with, or are what it is: which is ours is unknown. */
  private static final class AmbiguousLookupException extends RuntimeException {
    AmbiguousLookupException(String message) {
      super(message, null, false, false);
    }
  }

  /** The id of the resource with the name this create gives, when the type has names and a list API. */
  private Optional<String> findByName(ResourceRequest request) {
    if (type.createApi().parameter("name").isEmpty() || request.properties() == null) {
      return Optional.empty();
    }
    String name = ParameterEncoder.encode(type, request.properties(), request.stack().stackName(), request.nameStem())
        .params().get("name");
    if (name == null) {
      return Optional.empty();
    }
    for (String api : listApis()) {
      try {
        List<String> ours = new ArrayList<>();
        for (JsonNode item : client(request).list(api, Map.of("name", name, "listall", "true"))) {
          if (name.equals(item.path("name").asText()) && mayBeThisResource(item, request)
              && (request.replacing() == null || !request.replacing().replaced(item.path("id").asText()))) {
            ours.add(item.path("id").asText());
          }
        }
        if (ours.size() > 1) {
          // Several untagged namesakes: taking one at random could delete what is not the stack's.
          throw new AmbiguousLookupException(request.logicalId() + ": " + ours.size() + " " + type.typeName()
              + " resources are named " + name + " and none is tagged as this stack's (" + String.join(", ", ours)
              + "), so none was taken: tag each that is not this stack's with " + StackTags.STACK_ID
              + "=none (a resource tagged as another stack's is never taken), then delete the stack again");
        }
        return ours.stream().findFirst();
      } catch (CloudStackApiException e) {
        if (e.errorCode() != 432 && e.errorCode() != 431) {
          throw e;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The id of the untagged resource that is what this create makes, for a taggable type without names (a network ACL
   * item, a firewall rule): a create whose answer was lost leaves it untagged, so neither its tags nor a name find it.
   * It is listed under the ids the create named (its tier, its address; a list API ignores the ones it does not take)
   * and must hold every property the list tells (tags aside: they come after the create). Never a guess between
   * several: taking the wrong one could delete what is not the stack's.
   */
  private Optional<String> findByWhatItIs(ResourceRequest request) {
    if (type.createApi().parameter("name").isPresent() || !type.taggable() || request.properties() == null) {
      return Optional.empty();
    }
    Map<String, String> sent = ParameterEncoder.encode(type, request.properties(), request.stack().stackName(),
        request.nameStem()).params();
    Map<String, String> query = new LinkedHashMap<>();
    sent.forEach((k, v) -> {
      if (k.endsWith("id") && !k.contains("[")) {
        query.put(k, v);
      }
    });
    if (query.isEmpty()) {
      return Optional.empty(); // nothing narrows the search: any untagged resource of the type would do
    }
    query.put("listall", "true");
    for (String api : listApis()) {
      try {
        List<String> matching = new ArrayList<>();
        for (JsonNode item : client(request).list(api, query)) {
          String id = item.path("id").asText();
          if (item.path("tags").isEmpty() && !replaced(request, id) && holds(item, request.properties(), sent)) {
            matching.add(id);
          }
        }
        if (matching.size() > 1) {
          throw new AmbiguousLookupException(request.logicalId() + ": " + matching.size() + " untagged "
              + type.typeName() + " resources are what it creates (" + String.join(", ", matching) + "), so none was"
              + " taken: tag each that is not this stack's with " + StackTags.STACK_ID + "=none (a resource tagged as"
              + " another stack's is never taken), then delete the stack again");
        }
        return matching.stream().findFirst();
      } catch (CloudStackApiException e) {
        if (e.errorCode() != 432 && e.errorCode() != 431) {
          throw e;
        }
      }
    }
    return Optional.empty();
  }

  /** True when every property the listed item tells (tags aside) has the value asked (text in any case: ALL, all). */
  private boolean holds(JsonNode item, ObjectNode properties, Map<String, String> sent) {
    ObjectNode told = ActualProperties.of(type.noun(), properties, sent, item);
    for (var it = told.fields(); it.hasNext(); ) {
      var f = it.next();
      JsonNode asked = properties.get(f.getKey());
      if (!f.getKey().equalsIgnoreCase("tags") && !asked.equals(f.getValue())
          && !asked.asText().equalsIgnoreCase(f.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  /**
   * False for a namesake that is tagged as another stack's (say, one a deleted stack of the same
   * name retained) or as another resource of this stack: a name is a clue, a tag is a claim.
   */
  private static boolean mayBeThisResource(JsonNode item, ResourceRequest request) {
    for (JsonNode tag : item.path("tags")) {
      String key = tag.path("key").asText();
      String value = tag.path("value").asText();
      if ((key.equals(StackTags.STACK_ID) && !value.equals(request.stack().stackId()))
          || (key.equals(StackTags.LOGICAL_ID) && !value.equals(request.logicalId()))) {
        return false;
      }
    }
    return true;
  }

  private List<String> listApis() {
    return List.of("list" + type.noun() + "s", "list" + type.noun() + "es");
  }

  /**
   * The current object of a found resource, read with the type's list API when its name follows
   * the usual pattern ({@code list<Noun>s}, {@code list<Noun>es}); empty when there is none.
   */
  private Optional<JsonNode> describe(CloudStackClient client, String id) {
    for (String api : listApis()) {
      try {
        List<JsonNode> items = client.list(api, Map.of("id", id, "listall", "true"));
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
      } catch (CloudStackApiException e) {
        if (e.errorCode() != 432 && e.errorCode() != 431) {
          throw e;
        }
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- read back (drift)

  /**
   * Reads the resource back with the type's list API by its id (a security-group rule from its
   * group's rules): gone when the list has no such item (or only a destroyed machine), else the
   * properties the item tells ({@link ActualProperties}).
   */
  @Override
  public ActualState readActual(ResourceRequest request) {
    if (request.context().cloudStack().isEmpty()) {
      return new ActualState.NotChecked("no CloudStack endpoint is configured");
    }
    CloudStackClient client = client(request);
    if (type.noun().equals("SecurityGroupIngress") || type.noun().equals("SecurityGroupEgress")) {
      return securityGroupRule(client, request, request.physicalId()); // its Ref is the rule's id
    }
    // The created object's id (a key pair's Ref is its name, say), else the Ref.
    JsonNode recordedId = request.attributes() == null ? null : request.attributes().get("id");
    String id = recordedId != null && recordedId.isTextual() ? recordedId.asText() : request.physicalId();
    for (String api : readApis()) {
      try {
        List<JsonNode> items = client.list(api, Map.of("id", id, "listall", "true"));
        if (items.isEmpty() || List.of("Destroyed", "Expunging", "Expunged").contains(items.get(0).path("state").asText())) {
          return new ActualState.Gone();
        }
        return new ActualState.Found(ActualProperties.of(type.noun(), request.properties(), sent(request),
            items.get(0)));
      } catch (CloudStackApiException e) {
        if (e.errorCode() == 431) {
          return new ActualState.Gone(); // the id names nothing the account can see
        }
        if (e.errorCode() != 432) {
          throw e;
        }
      }
    }
    return new ActualState.NotChecked(type.typeName() + " has no list API (" + String.join(", ", readApis())
        + ") to read it back with");
  }

  /** The create parameters the request's properties encode to (names prefixed as a create prefixes them). */
  private Map<String, String> sent(ResourceRequest request) {
    return ParameterEncoder.encode(type, request.properties(), request.stack().stackName(), request.logicalId())
        .params();
  }

  /** The list APIs that may list this type's resources by id. */
  private List<String> readApis() {
    List<String> apis = new ArrayList<>(listApis());
    apis.add("listPublic" + type.noun() + "es"); // associateIpAddress's addresses
    return apis;
  }

  /** A security-group rule, found among its group's rules by its id; gone when the group no longer has it. */
  private ActualState securityGroupRule(CloudStackClient client, ResourceRequest request, String ruleId) {
    String field = type.noun().endsWith("Ingress") ? "ingressrule" : "egressrule";
    Map<String, String> query = new LinkedHashMap<>();
    query.put("listall", "true");
    String groupId = request.properties().path("securitygroupid").asText("");
    if (!groupId.isEmpty()) {
      query.put("id", groupId);
    } else if (!request.properties().path("securitygroupname").asText("").isEmpty()) {
      query.put("securitygroupname", request.properties().path("securitygroupname").asText());
    } else {
      return new ActualState.NotChecked("the rule names no security group to read it from");
    }
    try {
      for (JsonNode group : client.list("listSecurityGroups", query)) {
        for (JsonNode rule : group.path(field)) {
          if (ruleId.equals(rule.path("ruleid").asText())) {
            return new ActualState.Found(ActualProperties.of(type.noun(), request.properties(), sent(request), rule));
          }
        }
      }
    } catch (CloudStackApiException e) {
      if (e.errorCode() != 431) {
        throw e;
      }
    }
    return new ActualState.Gone();
  }

  // ---------------------------------------------------------------- delete

  @Override
  public ProgressEvent delete(ResourceRequest request) {
    ObjectNode ctx = request.callbackContext() == null ? null : request.callbackContext().deepCopy();
    if (ctx != null && ctx.has("jobs")) {
      try {
        return pollDeletes(request, ctx);
      } catch (CloudStackException e) {
        return CloudStackErrors.failed(request.logicalId(), type.deleteApi().name(), e);
      }
    }
    List<Map<String, String>> calls = recordedDeleteCalls(request);
    if (calls == null) {
      if (request.physicalId() == null) {
        return ProgressEvent.success(null);
      }
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId() + ": cannot delete "
          + type.typeName() + " " + request.physicalId() + ": " + type.deleteApi().name() + " needs "
          + type.deleteArguments().stream().map(DeleteArgument::parameter).toList()
          + " and the create result was not recorded");
    }
    if (request.context().cloudStack().isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + ": no CloudStack endpoint is configured");
    }
    ArrayNode jobs = NODES.arrayNode();
    String api = type.deleteApi().name();
    for (Map<String, String> call : calls) {
      try {
        String job = callDelete(request, api, call);
        if (job != null) {
          jobs.add(job);
        }
      } catch (CloudStackApiException e) {
        if (!CloudStackErrors.isNotFound(e.errorText())) {
          return CloudStackErrors.failed(request.logicalId(), api, e);
        }
        LOG.debug("{}: {} found nothing to delete ({}); counted as deleted", request.logicalId(), api, e.errorText());
      } catch (CloudStackException e) {
        return CloudStackErrors.failed(request.logicalId(), api, e);
      }
    }
    if (jobs.isEmpty()) {
      return ProgressEvent.success(null);
    }
    ObjectNode next = NODES.objectNode();
    next.set("jobs", jobs);
    next.put("submittedAt", request.context().clock().millis());
    return ProgressEvent.inProgress(next, request.context().jobTimings().firstPoll(api), api + " submitted");
  }

  /**
   * Runs one delete call (returns its job id when async). A VM is destroyed with {@code
   * expunge=true} so that its security groups and networks can go right after it; clouds that
   * allow expunge to admins only get the plain destroy.
   */
  private String callDelete(ResourceRequest request, String api, Map<String, String> call) {
    Map<String, String> extra = EXTRA_DELETE_PARAMS.getOrDefault(api, Map.of());
    if (!extra.isEmpty()) {
      Map<String, String> withExtra = new LinkedHashMap<>(call);
      withExtra.putAll(extra);
      try {
        return type.deleteApi().async() ? client(request).submit(api, withExtra).jobId()
            : nullCall(client(request).call(api, withExtra));
      } catch (CloudStackApiException e) {
        if (CloudStackErrors.isNotFound(e.errorText()) || !mentionsAny(e.errorText(), extra.keySet())) {
          throw e;
        }
        LOG.debug("{}: {} refused {} ({}); calling it without", request.logicalId(), api, extra.keySet(), e.errorText());
      }
    }
    return type.deleteApi().async() ? client(request).submit(api, call).jobId() : nullCall(client(request).call(api, call));
  }

  private static final Map<String, Map<String, String>> EXTRA_DELETE_PARAMS =
      Map.of("destroyVirtualMachine", Map.of("expunge", "true"));

  private static String nullCall(JsonNode ignored) {
    return null;
  }

  private static boolean mentionsAny(String text, java.util.Set<String> words) {
    String t = text == null ? "" : text.toLowerCase(java.util.Locale.ROOT);
    return words.stream().anyMatch(w -> t.contains(w.toLowerCase(java.util.Locale.ROOT)));
  }

  /** The delete calls recorded at create, or derived from the physical id; null when impossible. */
  private List<Map<String, String>> recordedDeleteCalls(ResourceRequest request) {
    JsonNode recorded = request.attributes() == null ? null : request.attributes().get(DELETE_CALLS_ATTRIBUTE);
    if (recorded != null && recorded.isArray()) {
      List<Map<String, String>> calls = new ArrayList<>();
      for (JsonNode c : recorded) {
        Map<String, String> call = new LinkedHashMap<>();
        c.fields().forEachRemaining(e -> call.put(e.getKey(), e.getValue().asText()));
        calls.add(call);
      }
      return calls;
    }
    if (request.physicalId() == null) {
      return null;
    }
    List<DeleteArgument> needed = type.deleteArguments().stream().filter(a -> !a.fixedValue()).toList();
    if (needed.size() != 1) {
      return null;
    }
    Map<String, String> fixed = new LinkedHashMap<>();
    type.deleteArguments().stream().filter(DeleteArgument::fixedValue)
        .forEach(a -> fixed.put(a.parameter(), a.source().substring("value:".length())));
    List<Map<String, String>> calls = new ArrayList<>();
    for (String id : request.physicalId().split(",")) {
      Map<String, String> call = new LinkedHashMap<>(fixed);
      call.put(needed.get(0).parameter(), id);
      calls.add(call);
    }
    return calls;
  }

  private ProgressEvent pollDeletes(ResourceRequest request, ObjectNode ctx) {
    ArrayNode remaining = NODES.arrayNode();
    for (JsonNode job : ctx.get("jobs")) {
      AsyncJobStatus status = client(request).queryJob(job.asText());
      switch (status) {
        case AsyncJobStatus.Pending p -> remaining.add(job);
        case AsyncJobStatus.Failed f -> {
          if (!CloudStackErrors.isNotFound(f.errorText())) {
            return CloudStackErrors.jobFailed(request.logicalId(), type.deleteApi().name(), f.errorCode(), f.errorText());
          }
        }
        case AsyncJobStatus.Succeeded s -> { }
      }
    }
    if (remaining.isEmpty()) {
      finished(request, ctx, type.deleteApi().name());
      return ProgressEvent.success(null);
    }
    ctx.set("jobs", remaining);
    ctx.put("polls", ctx.path("polls").asInt() + 1);
    return ProgressEvent.inProgress(ctx, pollDelay(request, ctx, type.deleteApi().name()),
        type.deleteApi().name() + ": " + remaining.size() + " job(s) running");
  }

}
