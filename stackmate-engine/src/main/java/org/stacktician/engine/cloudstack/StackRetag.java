package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceRequest;

/**
 * Brings the engine's own tags ({@code stacktician:}) on one existing resource in step with what the stack says of it,
 * with listTags, deleteTags and createTags only (no other call on the resource), as a {@link CallSequence}: the tags
 * a create gives ({@link StackTags#forResource}), e.g. after an update changed the DeletionPolicy; or, for a resource
 * the stack retains (DeletionPolicy or UpdateReplacePolicy Retain), those without the tags that make it the stack's:
 * its stack and root stack names go (what {@code delete-stack --by-tags} finds by), its stack id becomes {@value
 * #RETAINED_PREFIX}{@code <stack id>}, which no stack has, so that no look-up by tags or by name (a create whose answer
 * was lost) takes it for one of this stack's or any other's.
 */
public final class StackRetag {
  /** The tags {@code delete-stack --by-tags} finds a stack's resources by, with the root stack's id. */
  static final List<String> IDENTIFYING = List.of(StackTags.STACK_NAME, StackTags.ROOT_STACK_ID,
      StackTags.ROOT_STACK_NAME);
  /** The start of a retained resource's stack-id tag: it was that stack's, and is no stack's now. */
  public static final String RETAINED_PREFIX = "retained:";
  /**
   * How long a resource with none of the engine's tags yet is waited for while a createTags job of the account is
   * pending: its create tags it without waiting for the job (changing its tags first would make that job fail, or
   * come after the change).
   */
  static final Duration CREATE_TAGS_WAIT = Duration.ofSeconds(30);
  private static final String WAITING_SINCE = "waitingForCreateTagsSince";

  private StackRetag() {}

  /** The tag calls that bring a resource's tags in step, and whether it had the engine's tags to begin with. */
  public record Planned(CallSequence calls, boolean tagged) {
    /**
     * The calls, when the resource had its tags; none otherwise (for a step of an update: its create's tags may still
     * be on their way, and would then fail on a key made before them).
     */
    public CallSequence ifTagged() {
      return tagged ? calls : new CallSequence();
    }
  }

  /**
   * One call of a {@link ResourceRequest.Action#RETAG} or {@link ResourceRequest.Action#RELEASE} of the resource
   * {@code resourceId} (tagged as {@code resourceType}; several, comma-separated, as a create tagged them): plans the
   * tag changes on the first call (once the create's tags are there, or waited for long enough), then runs them.
   */
  public static ProgressEvent run(ResourceRequest request, CloudStackClient client, String resourceType,
      String resourceId) {
    ObjectNode ctx = request.callbackContext();
    if (!CallSequence.running(ctx)) {
      long now = request.context().clock().millis();
      long since = ctx == null ? now : ctx.path(WAITING_SINCE).asLong(now);
      // Jobs first, tags after: a create's tag job that is no longer pending has put its tags on before they are
      // read. The other order could read no tags, then see the job just ended, and plan from tags already gone stale.
      boolean pending = createTagsPending(client);
      Planned planned = plan(request, client, resourceType, resourceId);
      if (!planned.tagged() && now - since < CREATE_TAGS_WAIT.toMillis() && pending) {
        return ProgressEvent.inProgress(JsonNodeFactory.instance.objectNode().put(WAITING_SINCE, since),
            Duration.ofSeconds(1), "waiting for the tags of the resource's create");
      }
      ctx = planned.calls().context();
    } else {
      ctx = ctx.deepCopy();
    }
    return CallSequence.run(request, client, ctx, () -> ProgressEvent.success(request.physicalId(),
        request.attributes() == null ? Map.of() : request.attributes()));
  }

  /** True while a createTags job of the account is pending (it may be the one of this resource's create). */
  private static boolean createTagsPending(CloudStackClient client) {
    return client.list("listAsyncJobs", Map.of()).stream().anyMatch(j -> j.path("jobstatus").asInt(-1) == 0
        && j.path("cmd").asText().endsWith("CreateTagsCmd"));
  }

  /**
   * The tag calls that bring the engine's tags on the resource from what it has now to what the request says it should
   * have (none when they are in step); a RELEASE takes the identifying ones away, anything else makes them as a create
   * does. {@code tagged} is false when the resource does not have them yet: its create's may still be pending.
   */
  public static Planned plan(ResourceRequest request, CloudStackClient client, String resourceType,
      String resourceIds) {
    CallSequence calls = new CallSequence();
    boolean tagged = true;
    // A physical id of several resources (a rule's ids) was tagged as a list: each has its own tags.
    for (String id : resourceIds.split(",")) {
      Map<String, String> has = new LinkedHashMap<>();
      for (JsonNode t : client.list("listTags", Map.of("resourceid", id, "resourcetype", resourceType,
          "listall", "true"))) {
        String key = t.path("key").asText();
        if (key.startsWith("stacktician:")) {
          has.put(key, t.path("value").asText());
        }
      }
      tagged &= has.containsKey(StackTags.STACK_ID);
      Map<String, String> wanted;
      if (request.action() == ResourceRequest.Action.RELEASE) {
        // Only what makes it the stack's goes; the rest (logical id, type, policy) stays as a note of its origin.
        wanted = new LinkedHashMap<>(has);
        IDENTIFYING.forEach(wanted::remove);
        // Marked as no stack's even when its create's tags never came: a look-up by name must not take it either.
        wanted.merge(StackTags.STACK_ID, RETAINED_PREFIX + request.stack().stackId(),
            (old, mark) -> old.startsWith(RETAINED_PREFIX) ? old : RETAINED_PREFIX + old);
      } else {
        wanted = StackTags.forResource(request);
      }
      calls.tagChanges(resourceType, id, has, wanted);
    }
    return new Planned(calls, tagged);
  }
}
