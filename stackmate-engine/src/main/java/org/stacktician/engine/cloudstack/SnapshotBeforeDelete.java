package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stacktician.cloudstack.client.AsyncJobHandle;
import org.stacktician.cloudstack.client.AsyncJobStatus;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;

/**
 * The delete of a volume whose {@code DeletionPolicy} is {@code Snapshot}: {@code createSnapshot}
 * first, waiting for its job (its id kept in the callback context like every async step, so a
 * killed delete resumes the poll), then the volume's own delete. The snapshot is kept: it is
 * tagged as a snapshot of the stack's resource, never with the stack's own tags, so no delete of
 * the stack (by record or {@code --by-tags}) finds it.
 */
public final class SnapshotBeforeDelete implements ResourceHandler {
  /** The types whose physical id is a CloudStack volume id: the only ones that can be snapshotted. */
  public static final Set<String> TYPES = Set.of("AWS::EC2::Volume", "CloudStack::Volume");
  /** Tag of a kept snapshot: the name of the stack whose resource it is a snapshot of. */
  public static final String SNAPSHOT_OF_STACK = "stacktician:snapshot-of-stack";
  /** Tag of a kept snapshot: the logical id of the resource it is a snapshot of. */
  public static final String SNAPSHOT_OF_RESOURCE = "stacktician:snapshot-of-resource";
  private static final String REASON = "stacktician:deleteReason";

  private final ResourceHandler delete;

  private SnapshotBeforeDelete(ResourceHandler delete) {
    this.delete = delete;
  }

  /** {@code handler} with its delete preceded by a snapshot when the policy asks for one. */
  public static ResourceHandler forPolicy(String deletionPolicy, String type, ResourceHandler handler) {
    return "Snapshot".equals(deletionPolicy) && TYPES.contains(type) ? new SnapshotBeforeDelete(handler) : handler;
  }

  /** The message of CloudFormation's refusal of the policy on a type that cannot be snapshotted; empty when allowed. */
  public static Optional<String> refusal(String deletionPolicy, String type) {
    if (!"Snapshot".equals(deletionPolicy) || TYPES.contains(type)) {
      return Optional.empty();
    }
    return Optional.of("DeletionPolicy:Snapshot is not supported for resource type " + type
        + "; only " + String.join(" and ", TYPES.stream().sorted().toList()) + " can be snapshotted"
        + " (use Retain or Delete)");
  }

  /** What a finished delete says about its snapshot (for the delete event's reason); null when it made none. */
  public static String reason(ProgressEvent.Success done) {
    JsonNode r = done.attributes().get(REASON);
    return r == null ? null : r.asText();
  }

  @Override
  public ProgressEvent create(ResourceRequest request) {
    return delete.create(request);
  }

  @Override
  public ProgressEvent read(ResourceRequest request) {
    return delete.read(request);
  }

  @Override
  public ProgressEvent delete(ResourceRequest request) {
    Optional<CloudStackClient> cloud = request.context().cloudStack();
    if (request.physicalId() == null || cloud.isEmpty()) {
      return delete.delete(request);
    }
    ObjectNode ctx = request.callbackContext() == null ? JsonNodeFactory.instance.objectNode()
        : request.callbackContext().deepCopy();
    String volumeId = request.physicalId();
    try {
      if (!ctx.has("snapshotReason")) {
        ProgressEvent snapshot = snapshot(request, cloud.get(), ctx, volumeId);
        if (snapshot != null) {
          return snapshot;
        }
      }
    } catch (CloudStackException e) {
      ProgressEvent.Failed f = CloudStackErrors.failed(request.logicalId(), "createSnapshot", e);
      return ProgressEvent.failed(f.code(), f.message() + " (DeletionPolicy: Snapshot; the volume was not deleted)");
    }
    JsonNode inner = ctx.get("delete");
    ProgressEvent deleted = delete.delete(request.withCallbackContext(inner == null || inner.isNull() ? null : (ObjectNode) inner));
    String reason = ctx.get("snapshotReason").asText();
    return switch (deleted) {
      case ProgressEvent.InProgress ip -> {
        ctx.set("delete", ip.callbackContext());
        yield ProgressEvent.inProgress(ctx, ip.delay(), ip.message());
      }
      case ProgressEvent.Success ok -> {
        Map<String, JsonNode> attributes = new LinkedHashMap<>(ok.attributes());
        attributes.put(REASON, TextNode.valueOf(reason));
        yield ProgressEvent.success(ok.physicalId(), attributes);
      }
      case ProgressEvent.Failed f -> ProgressEvent.failed(f.code(), f.message() + " (" + reason + ")");
    };
  }

  /** Takes (or polls) the snapshot; null once it is done and recorded in {@code ctx} as the reason. */
  private static ProgressEvent snapshot(ResourceRequest request, CloudStackClient cloud, ObjectNode ctx, String volumeId) {
    if (!ctx.has("snapshotJob")) {
      List<JsonNode> volumes = cloud.list("listVolumes", Map.of("id", volumeId));
      if (volumes.isEmpty()) {
        ctx.put("snapshotReason", "No snapshot taken: volume " + volumeId + " no longer exists");
        return null;
      }
      String state = volumes.get(0).path("state").asText();
      if (state.equals("Allocated")) {
        // CloudStack gives a volume storage only when it is first attached: this one holds no data.
        ctx.put("snapshotReason", "No snapshot taken (DeletionPolicy: Snapshot): volume " + volumeId
            + " was never attached to a machine, so it holds no data");
        return null;
      }
      Optional<JsonNode> earlier = earlierSnapshot(request, cloud, volumeId);
      if (earlier.isPresent()) {
        // An earlier attempt at this delete took it (and then failed, or was killed before it recorded the job).
        String id = earlier.get().path("id").asText();
        ctx.put("snapshotId", id);
        ctx.put("snapshotReason", "Snapshot " + id + " of volume " + volumeId + " was taken before the delete"
            + " (DeletionPolicy: Snapshot) and is kept");
        return null;
      }
      Map<String, String> params = keptSnapshotOf(request, volumeId);
      AsyncJobHandle job = cloud.submit("createSnapshot", params);
      ctx.put("snapshotJob", job.jobId());
      if (job.resourceId() != null) {
        ctx.put("snapshotId", job.resourceId());
      }
      return ProgressEvent.inProgress(ctx, request.context().jobTimings().firstPoll("createSnapshot"),
          "createSnapshot job " + job.jobId() + " submitted (DeletionPolicy: Snapshot)");
    }
    AsyncJobStatus status = cloud.queryJob(ctx.get("snapshotJob").asText());
    return switch (status) {
      case AsyncJobStatus.Pending p -> ProgressEvent.inProgress(ctx, Duration.ofSeconds(1),
          "waiting for the snapshot of volume " + volumeId);
      case AsyncJobStatus.Failed f -> ProgressEvent.failed(CloudStackErrors.codeOf(f.errorCode(), f.errorText()),
          request.logicalId() + ": the snapshot of volume " + volumeId + " failed (CloudStack error " + f.errorCode()
              + ": " + f.errorText() + "), so the volume was not deleted (DeletionPolicy: Snapshot)");
      case AsyncJobStatus.Succeeded ok -> {
        JsonNode snap = ok.result() == null ? null : ok.result().path("snapshot");
        String id = snap != null && snap.hasNonNull("id") ? snap.get("id").asText() : ctx.path("snapshotId").asText();
        ctx.put("snapshotId", id);
        ctx.put("snapshotReason", "Snapshot " + id + " of volume " + volumeId + " was taken before the delete"
            + " (DeletionPolicy: Snapshot) and is kept");
        yield null;
      }
    };
  }

  /**
   * A snapshot of the volume that an earlier attempt at this delete took: tagged for this stack and
   * resource, and not failed (one still being taken is kept too: the cloud finishes it).
   */
  private static Optional<JsonNode> earlierSnapshot(ResourceRequest request, CloudStackClient cloud, String volumeId) {
    return cloud.list("listSnapshots", keptSnapshotOf(request, volumeId)).stream()
        .filter(s -> !Set.of("Error", "Destroyed").contains(s.path("state").asText()))
        .findFirst();
  }

  /** The volume and the tags of a kept snapshot: what createSnapshot is given and listSnapshots finds it by. */
  private static Map<String, String> keptSnapshotOf(ResourceRequest request, String volumeId) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("volumeid", volumeId);
    params.put("tags[0].key", SNAPSHOT_OF_STACK);
    params.put("tags[0].value", request.stack().stackName());
    params.put("tags[1].key", SNAPSHOT_OF_RESOURCE);
    params.put("tags[1].value", request.logicalId());
    return params;
  }
}
