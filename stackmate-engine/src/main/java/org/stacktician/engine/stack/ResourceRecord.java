package org.stacktician.engine.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A resource of a stack as stored: everything needed to continue its operation on any node after a
 * crash. A row has an id of its own: during an update an old and a new physical resource of one
 * logical id exist at once, as two rows of two template versions.
 *
 * @param resourceId the row's own id
 * @param templateVersion the stack template version this row belongs to
 * @param replaces the id of the row this one replaces (an update's replacement); null otherwise
 * @param status null while the resource has not been started (CloudFormation lists no such resource)
 * @param dependsOn logical ids of the resources this one needs (deletes run in the reverse order)
 * @param properties the resolved properties the handler was given (null until resolved)
 * @param callbackContext what the handler's last IN_PROGRESS returned; null while an operation is
 *     running means its first handler call may have been sent without an answer being recorded
 * @param operationStarted when the current or last operation began (per-resource time-outs)
 * @param nextCallAt when the handler is due again while the operation is in progress
 */
public record ResourceRecord(
    String resourceId,
    String stackId,
    String logicalId,
    String type,
    String physicalId,
    ResourceStatus status,
    String statusReason,
    List<String> dependsOn,
    ObjectNode properties,
    Map<String, JsonNode> attributes,
    JsonNode metadata,
    ObjectNode callbackContext,
    String deletionPolicy,
    String description,
    Instant operationStarted,
    Instant nextCallAt,
    Instant updatedAt,
    int templateVersion,
    String replaces) {

  public ResourceRecord {
    java.util.Objects.requireNonNull(resourceId, "resourceId");
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** A row of template version 1 with a fresh id, replacing nothing. */
  public ResourceRecord(String stackId, String logicalId, String type, String physicalId, ResourceStatus status,
      String statusReason, List<String> dependsOn, ObjectNode properties, Map<String, JsonNode> attributes,
      JsonNode metadata, ObjectNode callbackContext, String deletionPolicy, String description,
      Instant operationStarted, Instant nextCallAt, Instant updatedAt) {
    this(newId(), stackId, logicalId, type, physicalId, status, statusReason, dependsOn, properties, attributes,
        metadata, callbackContext, deletionPolicy, description, operationStarted, nextCallAt, updatedAt, 1, null);
  }

  /** A resource that the plan of {@code templateVersion} includes but that has not been started. */
  public static ResourceRecord planned(String stackId, int templateVersion, String logicalId, String type,
      List<String> dependsOn, JsonNode metadata, String deletionPolicy, String description, Instant at) {
    return new ResourceRecord(newId(), stackId, logicalId, type, null, null, null, dependsOn, null, Map.of(), metadata,
        null, deletionPolicy, description, null, null, at, templateVersion, null);
  }

  /** A fresh row id. */
  public static String newId() {
    return java.util.UUID.randomUUID().toString();
  }

  public boolean started() {
    return status != null;
  }

  /**
   * True when the DeletionPolicy keeps the resource: {@code Retain} always, {@code
   * RetainExceptOnCreate} only when the stack is deleted (not when its creation rolls back).
   */
  public boolean retainedOn(boolean rollback) {
    return "Retain".equals(deletionPolicy) || ("RetainExceptOnCreate".equals(deletionPolicy) && !rollback);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Copy-with-changes for the executor, which changes several fields per transition. */
  public static final class Builder {
    private final ResourceRecord base;
    private String physicalId;
    private ResourceStatus status;
    private String statusReason;
    private ObjectNode properties;
    private Map<String, JsonNode> attributes;
    private JsonNode metadata;
    private ObjectNode callbackContext;
    private Instant operationStarted;
    private Instant nextCallAt;
    private Instant updatedAt;

    private Builder(ResourceRecord r) {
      base = r;
      physicalId = r.physicalId;
      status = r.status;
      statusReason = r.statusReason;
      properties = r.properties;
      attributes = r.attributes;
      metadata = r.metadata;
      callbackContext = r.callbackContext;
      operationStarted = r.operationStarted;
      nextCallAt = r.nextCallAt;
      updatedAt = r.updatedAt;
    }

    public Builder physicalId(String v) { physicalId = v; return this; }
    public Builder status(ResourceStatus v) { status = v; return this; }
    public Builder statusReason(String v) { statusReason = v; return this; }
    public Builder properties(ObjectNode v) { properties = v; return this; }
    public Builder attributes(Map<String, JsonNode> v) { attributes = v; return this; }
    public Builder metadata(JsonNode v) { metadata = v; return this; }
    public Builder callbackContext(ObjectNode v) { callbackContext = v; return this; }
    public Builder operationStarted(Instant v) { operationStarted = v; return this; }
    public Builder nextCallAt(Instant v) { nextCallAt = v; return this; }
    public Builder updatedAt(Instant v) { updatedAt = v; return this; }

    public ResourceRecord build() {
      return new ResourceRecord(base.resourceId, base.stackId, base.logicalId, base.type, physicalId, status, statusReason,
          base.dependsOn, properties, attributes, metadata, callbackContext, base.deletionPolicy, base.description,
          operationStarted, nextCallAt, updatedAt, base.templateVersion, base.replaces);
    }
  }
}
