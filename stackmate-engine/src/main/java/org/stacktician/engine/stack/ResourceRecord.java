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
 * @param previousProperties while an in-place update runs (and after it failed): the properties before it; null
 *     otherwise (a replacement's create has none)
 * @param updateReplacePolicy the template's UpdateReplacePolicy: what happens to this resource once an update
 *     replaced it
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
    String replaces,
    ObjectNode previousProperties,
    String updateReplacePolicy) {

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
        metadata, callbackContext, deletionPolicy, description, operationStarted, nextCallAt, updatedAt, 1, null, null,
        null);
  }

  /** A resource that the plan of {@code templateVersion} includes but that has not been started. */
  public static ResourceRecord planned(String stackId, int templateVersion, String logicalId, String type,
      List<String> dependsOn, JsonNode metadata, String deletionPolicy, String description, Instant at) {
    return planned(stackId, templateVersion, logicalId, type, dependsOn, metadata, deletionPolicy, null, description,
        at);
  }

  /** As {@link #planned(String, int, String, String, List, JsonNode, String, String, Instant)} with an UpdateReplacePolicy. */
  public static ResourceRecord planned(String stackId, int templateVersion, String logicalId, String type,
      List<String> dependsOn, JsonNode metadata, String deletionPolicy, String updateReplacePolicy, String description,
      Instant at) {
    return new ResourceRecord(newId(), stackId, logicalId, type, null, null, null, dependsOn, null, Map.of(), metadata,
        null, deletionPolicy, description, null, null, at, templateVersion, null, null, updateReplacePolicy);
  }

  /**
   * A new row of {@code templateVersion} that replaces this one (an update's replacement): same logical id and type,
   * nothing made yet; the builder sets what the target version says.
   */
  public Builder replacement(int templateVersion) {
    return new ResourceRecord(newId(), stackId, logicalId, type, null, null, null, dependsOn, null, Map.of(), null, null,
        deletionPolicy, description, null, null, updatedAt, templateVersion, resourceId, null, updateReplacePolicy)
        .toBuilder();
  }

  /** A fresh row id. */
  public static String newId() {
    return java.util.UUID.randomUUID().toString();
  }

  public boolean started() {
    return status != null;
  }

  /** True when the resource exists as its last operation left it (created or updated). */
  public boolean complete() {
    return status == ResourceStatus.CREATE_COMPLETE || status == ResourceStatus.UPDATE_COMPLETE;
  }

  /**
   * True when the row's operation in progress (or the failed one) is a create: a first create, or the create of an
   * update's replacement (UPDATE_* statuses, as CloudFormation shows it, but no properties before it).
   */
  public boolean creating() {
    return status == ResourceStatus.CREATE_IN_PROGRESS || status == ResourceStatus.CREATE_FAILED
        || ((status == ResourceStatus.UPDATE_IN_PROGRESS || status == ResourceStatus.UPDATE_FAILED)
            && previousProperties == null && physicalId == null);
  }

  /**
   * True when the row's resource exists for a later template version to take over (updated in place, or kept as it
   * is): created or updated, or an in-place update of it is running or failed.
   */
  public boolean carriesOver() {
    return complete() || ((status == ResourceStatus.UPDATE_IN_PROGRESS || status == ResourceStatus.UPDATE_FAILED)
        && !creating());
  }

  /** True when a create failed before anything could exist in the cloud (no id, no call that may have reached it). */
  public boolean neverMade() {
    return physicalId == null && callbackContext == null
        && (status == ResourceStatus.CREATE_FAILED || (status == ResourceStatus.UPDATE_FAILED && creating()));
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
    private int templateVersion;
    private List<String> dependsOn;
    private String deletionPolicy;
    private String updateReplacePolicy;
    private String description;
    private ObjectNode previousProperties;

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
      templateVersion = r.templateVersion;
      dependsOn = r.dependsOn;
      deletionPolicy = r.deletionPolicy;
      updateReplacePolicy = r.updateReplacePolicy;
      description = r.description;
      previousProperties = r.previousProperties;
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
    public Builder templateVersion(int v) { templateVersion = v; return this; }
    public Builder dependsOn(List<String> v) { dependsOn = v; return this; }
    public Builder deletionPolicy(String v) { deletionPolicy = v; return this; }
    public Builder updateReplacePolicy(String v) { updateReplacePolicy = v; return this; }
    public Builder description(String v) { description = v; return this; }
    public Builder previousProperties(ObjectNode v) { previousProperties = v; return this; }

    public String resourceId() { return base.resourceId; }
    public ResourceStatus status() { return status; }

    public ResourceRecord build() {
      return new ResourceRecord(base.resourceId, base.stackId, base.logicalId, base.type, physicalId, status, statusReason,
          dependsOn, properties, attributes, metadata, callbackContext, deletionPolicy, description,
          operationStarted, nextCallAt, updatedAt, templateVersion, base.replaces, previousProperties,
          updateReplacePolicy);
    }
  }
}
