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
    boolean rollback) {

  public ResourceRequest {
    java.util.Objects.requireNonNull(action, "action");
  }

  /** The handler operation a request is for. */
  public enum Action { CREATE, UPDATE, DELETE, READ }

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
        metadata, null, context, Action.DELETE, rollback);
  }

  /** Identity of a stack as providers see it. */
  public record StackRef(String stackId, String stackName) {}
}
