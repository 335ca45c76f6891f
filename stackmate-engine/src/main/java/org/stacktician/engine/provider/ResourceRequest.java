package org.stacktician.engine.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One handler call's input.
 *
 * @param stack the stack the resource belongs to
 * @param logicalId the resource's name in the template
 * @param type the template {@code Type}
 * @param properties the resolved properties (no intrinsic functions left; AWS::NoValue removed)
 * @param previousProperties the properties before an update (null otherwise)
 * @param physicalId the physical id once known (delete, update, read; null on a first create)
 * @param attributes attributes recorded at create (for delete and update)
 * @param metadata the resource's resolved {@code Metadata} (null if none)
 * @param callbackContext null on the first call of an operation, then what the last InProgress returned
 * @param context the services a handler may use
 * @param action which handler operation this call is part of
 * @param rollback true when the operation rolls back a failed create or update
 * @param replacing set on the create of an update's replacement (and its lookups): the resource it replaces, which
 *     must not be taken for it, and a suffix for generated names, which must not collide with the replaced one's
 * @param deletionPolicy the resource's DeletionPolicy (null: Delete); tagged on what it creates, so that a delete by
 *     tags, which has no template, honours it
 */
public record ResourceRequest(
    StackRef stack,
    String logicalId,
    String type,
    ObjectNode properties,
    ObjectNode previousProperties,
    String physicalId,
    Map<String, JsonNode> attributes,
    JsonNode metadata,
    ObjectNode callbackContext,
    ProviderContext context,
    Action action,
    boolean rollback,
    Replacing replacing,
    String deletionPolicy) {

  public ResourceRequest {
    java.util.Objects.requireNonNull(action, "action");
  }

  /** A request with no DeletionPolicy of its own (a handler's test, drift detection). */
  public ResourceRequest(StackRef stack, String logicalId, String type, ObjectNode properties,
      ObjectNode previousProperties, String physicalId, Map<String, JsonNode> attributes, JsonNode metadata,
      ObjectNode callbackContext, ProviderContext context, Action action, boolean rollback, Replacing replacing) {
    this(stack, logicalId, type, properties, previousProperties, physicalId, attributes, metadata, callbackContext,
        context, action, rollback, replacing, null);
  }

  /** A request that replaces nothing. */
  public ResourceRequest(StackRef stack, String logicalId, String type, ObjectNode properties,
      ObjectNode previousProperties, String physicalId, Map<String, JsonNode> attributes, JsonNode metadata,
      ObjectNode callbackContext, ProviderContext context, Action action, boolean rollback) {
    this(stack, logicalId, type, properties, previousProperties, physicalId, attributes, metadata, callbackContext,
        context, action, rollback, null);
  }

  /**
   * What an update's replacement replaces.
   *
   * @param physicalId the replaced resource's physical id (comma-separated ids when it has several)
   * @param nameSuffix appended to the names a handler generates from the logical id
   * @param cloudIds the replaced resource's ids in the cloud where its physical id is something else (a security
   *     group's {@code GroupId}, whose physical id is its name), so that a look-up by tags, which finds ids, can
   *     tell it from the replacement
   */
  public record Replacing(String physicalId, String nameSuffix, java.util.Set<String> cloudIds) {
    public Replacing {
      cloudIds = cloudIds == null ? java.util.Set.of() : java.util.Set.copyOf(cloudIds);
    }

    /** What replaces a resource known by its physical id alone. */
    public Replacing(String physicalId, String nameSuffix) {
      this(physicalId, nameSuffix, java.util.Set.of());
    }

    /** True when {@code id} is (one of) the replaced resource's. */
    public boolean replaced(String id) {
      return id != null && (cloudIds.contains(id)
          || physicalId != null && java.util.Arrays.asList(physicalId.split(",")).contains(id));
    }
  }

  /** The logical id as generated names use it: with the replacement's suffix when this creates a replacement. */
  public String nameStem() {
    return replacing == null ? logicalId : logicalId + "-" + replacing.nameSuffix();
  }

  /**
   * The handler operation a request is for: {@code RETAG} brings the engine's own tags on an existing resource in step
   * with the request (its DeletionPolicy changed, nothing else), {@code RELEASE} takes away those that make a retained
   * resource the stack's (both {@link ResourceHandler#retag}).
   */
  public enum Action { CREATE, UPDATE, DELETE, READ, RETAG, RELEASE }

  /** True on the first call of an operation (no callback context yet). */
  public boolean firstCall() {
    return callbackContext == null;
  }

  /**
   * The first call of deleting what this request's create made with the given physical id (its
   * recorded attributes unknown), for undoing a failed create.
   */
  public ResourceRequest forUndo(String madePhysicalId) {
    return new ResourceRequest(stack, logicalId, type, properties, previousProperties, madePhysicalId, Map.of(),
        metadata, null, context, Action.DELETE, rollback, replacing, deletionPolicy);
  }

  /** This request with another callback context (a handler that wraps another one keeps its own context). */
  public ResourceRequest withCallbackContext(ObjectNode newContext) {
    return new ResourceRequest(stack, logicalId, type, properties, previousProperties, physicalId, attributes,
        metadata, newContext, context, action, rollback, replacing, deletionPolicy);
  }

  /** Identity of a stack as providers see it. */
  public record StackRef(String stackId, String stackName) {}
}
