package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.stacktician.cloudstack.client.AsyncJobStatus;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceRequest;

/**
 * An in-place update as a planned list of CloudStack calls ({@code [{api, params}]}), kept in the callback context and
 * run one at a time: an async call's job is polled by the handler's later calls, so nothing blocks (a handler call
 * whose answer was lost is made again from the last recorded context). Used by the {@code CloudStack::} handler and
 * the {@code AWS::} handlers.
 */
public final class CallSequence {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ArrayNode calls = NODES.arrayNode();

  /** Adds a call with these parameters. */
  public CallSequence add(String api, Map<String, String> params) {
    ObjectNode call = calls.addObject().put("api", api);
    ObjectNode p = call.putObject("params");
    params.forEach(p::put);
    return this;
  }

  /** Adds a call on the resource {@code id}: {@code api(id=..., params...)}. */
  public CallSequence addOn(String api, String id, Map<String, String> params) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("id", id);
    all.putAll(params);
    return add(api, all);
  }

  /**
   * Adds the tag changes from {@code before} to {@code after} of the resource {@code id}: deleteTags of the keys whose
   * value changed or went, then createTags of the new values (CloudStack keeps one value per key).
   */
  public CallSequence tagChanges(String resourceType, String id, Map<String, String> before, Map<String, String> after) {
    Map<String, String> gone = new LinkedHashMap<>();
    before.forEach((k, v) -> {
      if (!v.equals(after.get(k))) {
        gone.put(k, v);
      }
    });
    Map<String, String> added = new LinkedHashMap<>();
    after.forEach((k, v) -> {
      if (!v.equals(before.get(k))) {
        added.put(k, v);
      }
    });
    tagCall("deleteTags", resourceType, id, gone);
    tagCall("createTags", resourceType, id, added);
    return this;
  }

  private void tagCall(String api, String resourceType, String resourceId, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    add(api, StackTags.tagParams(resourceType, resourceId, tags));
  }

  /** Wraps the calls in {@code first} (e.g. a stop) and {@code last} (the start) on the resource {@code id}. */
  public CallSequence around(String first, String last, String id) {
    ArrayNode inner = calls.deepCopy();
    calls.removeAll();
    addOn(first, id, Map.of());
    calls.addAll(inner);
    addOn(last, id, Map.of());
    return this;
  }

  /** Appends the calls of {@code other}. */
  public CallSequence then(CallSequence other) {
    calls.addAll(other.calls.deepCopy());
    return this;
  }

  /** True when nothing is planned. */
  public boolean isEmpty() {
    return calls.isEmpty();
  }

  /** The planned API names, in order (for tests and messages). */
  public List<String> apis() {
    return java.util.stream.StreamSupport.stream(calls.spliterator(), false).map(c -> c.get("api").asText()).toList();
  }

  /** The callback context that starts running this sequence. */
  public ObjectNode context() {
    ObjectNode ctx = NODES.objectNode();
    ctx.set("calls", calls.deepCopy());
    return ctx;
  }

  /** True when {@code ctx} is a running sequence's context. */
  public static boolean running(ObjectNode ctx) {
    return ctx != null && ctx.has("calls");
  }

  /**
   * Polls the running call's job or makes the next call; once every call is done, {@code done} gives the outcome (the
   * resource as the cloud now describes it). A failed job fails the update with the cloud's message.
   */
  public static ProgressEvent run(ResourceRequest request, CloudStackClient client, ObjectNode ctx,
      Supplier<ProgressEvent> done) {
    while (true) {
      if (ctx.hasNonNull("jobid")) {
        String jobId = ctx.get("jobid").asText();
        String api = ctx.path("api").asText();
        switch (client.queryJob(jobId)) {
          case AsyncJobStatus.Pending p -> {
            ctx.put("polls", ctx.path("polls").asInt() + 1);
            return ProgressEvent.inProgress(ctx, CloudStackResourceHandler.pollDelay(request, ctx, api),
                api + " job " + jobId + " running");
          }
          case AsyncJobStatus.Failed f -> {
            return CloudStackErrors.jobFailed(request.logicalId(), api, f.errorCode(), f.errorText());
          }
          case AsyncJobStatus.Succeeded ok -> {
            CloudStackResourceHandler.finished(request, ctx, api);
            ctx.remove(List.of("jobid", "polls", "submittedAt"));
          }
        }
      }
      ArrayNode calls = (ArrayNode) ctx.get("calls");
      if (calls == null || calls.isEmpty()) {
        return done.get();
      }
      ObjectNode call = (ObjectNode) calls.remove(0);
      String api = call.get("api").asText();
      Map<String, String> params = new LinkedHashMap<>();
      call.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      ctx.put("api", api);
      if (api.equals("createTags") && !withoutTagsAlreadyOn(client, params)) {
        continue; // an earlier try made them, its answer lost
      }
      JsonNode answer = client.call(api, params);
      if (answer != null && answer.hasNonNull("jobid")) {
        ctx.put("jobid", answer.get("jobid").asText());
        ctx.put("submittedAt", request.context().clock().millis());
        return ProgressEvent.inProgress(ctx, request.context().jobTimings().firstPoll(api),
            api + " job " + ctx.get("jobid").asText() + " submitted");
      }
      // Each call's end is recorded before the next is made: a resumed update sends again at most the one call whose
      // answer was lost (each is idempotent: stop, start, the same values again, tags made only where missing), never
      // a call that an unrecorded later one has overtaken (changing the offering of a machine already started again).
      return ProgressEvent.inProgress(ctx, java.time.Duration.ZERO, api + " done");
    }
  }

  /**
   * Drops from a createTags call's parameters the tags the resource already has with those values (CloudStack
   * refuses to make a tag twice); false when none is left to make.
   */
  private static boolean withoutTagsAlreadyOn(CloudStackClient client, Map<String, String> params) {
    Map<String, String> existing = new LinkedHashMap<>();
    for (JsonNode t : client.list("listTags", Map.of("resourceid", params.get("resourceids"), "resourcetype",
        params.get("resourcetype"), "listall", "true"))) {
      existing.put(t.path("key").asText(), t.path("value").asText());
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; params.containsKey("tags[" + i + "].key"); i++) {
      String key = params.get("tags[" + i + "].key");
      String value = params.get("tags[" + i + "].value");
      if (!java.util.Objects.equals(existing.get(key), value)) {
        wanted.put(key, value);
      }
    }
    Map<String, String> narrowed = StackTags.tagParams(params.get("resourcetype"), params.get("resourceids"), wanted);
    params.clear();
    params.putAll(narrowed);
    return !wanted.isEmpty();
  }
}
