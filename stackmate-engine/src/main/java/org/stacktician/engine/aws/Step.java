package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import org.stacktician.cloudstack.client.AsyncJobHandle;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.engine.cloudstack.JobTimings;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceRequest;

/**
 * One call of a multi-step AWS:: handler: the request, the callback context it carries between
 * calls ({@code state} is the handler's own data), and the CloudStack client.
 */
final class Step {
  final ResourceRequest request;
  final ObjectNode ctx;
  final CloudStackClient client;
  final CloudLookup lookup;

  Step(ResourceRequest request, ObjectNode ctx, CloudStackClient client, CloudLookup lookup) {
    this.request = request;
    this.ctx = ctx;
    this.client = client;
    this.lookup = lookup;
  }

  /** The handler's own state, kept in the callback context. */
  ObjectNode state() {
    return ctx.with("state");
  }

  /** The resource's physical id: the engine's, or the one this create recorded (for undo). */
  String physicalId() {
    if (request.physicalId() != null) {
      return request.physicalId();
    }
    JsonNode id = ctx.path("state").get("physicalId");
    return id == null ? null : id.asText();
  }

  /** An attribute recorded at create: the engine's copy, or this create's own state (for undo). */
  String attribute(String name) {
    JsonNode v = request.attributes() == null ? null : request.attributes().get(name);
    if (v == null || v.isNull()) {
      v = ctx.path("state").path("attributes").get(name);
    }
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Submits an async call; the step's result comes to the handler's {@code after} on a later call. */
  ProgressEvent async(String step, String api, Map<String, String> params) {
    AsyncJobHandle job = client.submit(api, params);
    ctx.put("step", step);
    ctx.put("api", api);
    ctx.put("jobid", job.jobId());
    if (job.resourceId() != null) {
      state().put(step + "Id", job.resourceId());
    }
    ctx.put("submittedAt", request.context().clock().millis());
    return ProgressEvent.inProgress(ctx, request.context().jobTimings().firstPoll(api), api + " job " + job.jobId() + " submitted");
  }

  /** Submits several async calls at once; their results come together, in order, to {@code after}. */
  ProgressEvent asyncAll(String step, java.util.List<Map.Entry<String, Map<String, String>>> calls) {
    com.fasterxml.jackson.databind.node.ArrayNode jobs = ctx.putArray("jobs");
    for (Map.Entry<String, Map<String, String>> call : calls) {
      AsyncJobHandle job = client.submit(call.getKey(), call.getValue());
      jobs.addObject().put("jobid", job.jobId()).put("api", call.getKey());
    }
    ctx.put("step", step);
    ctx.put("api", calls.isEmpty() ? "CloudStack" : calls.get(0).getKey());
    ctx.put("submittedAt", request.context().clock().millis());
    return ProgressEvent.inProgress(ctx, request.context().jobTimings().firstPoll(ctx.get("api").asText()),
        calls.size() + " " + ctx.get("api").asText() + " job(s) submitted");
  }

  /** Tags a resource with the stack tags and the template's Tags without waiting for the job. */
  void tagWithoutWaiting(String resourceType, String resourceId) {
    org.stacktician.engine.cloudstack.CloudStackResourceHandler.tagWithoutWaiting(client, request.logicalId(),
        resourceType, resourceId, AwsProperties.tagParams(request, resourceType, resourceId));
  }

  /** The wait before the next poll of the pending job(s) (see {@link JobTimings}). */
  Duration delay() {
    return request.context().jobTimings().nextPoll(ctx.path("api").asText(), elapsed());
  }

  /** Records that the pending job(s) finished now. */
  void finished() {
    request.context().jobTimings().finished(ctx.path("api").asText(), elapsed());
  }

  private long elapsed() {
    long now = request.context().clock().millis();
    return now - ctx.path("submittedAt").asLong(now);
  }

  static ObjectNode newContext() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** The object inside a job or call result ({@code {"virtualmachine":{...}}} gives the VM). */
  static JsonNode unwrap(JsonNode result, String key) {
    if (result == null) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (key != null && result.has(key)) {
      return result.get(key);
    }
    if (result.size() == 1 && result.fields().next().getValue().isObject()) {
      return result.fields().next().getValue();
    }
    return result;
  }
}
