package org.stacktician.engine.cloudstack;

import java.util.LinkedHashMap;
import java.util.Map;
import org.stacktician.engine.provider.ResourceRequest;

/**
 * The tags that make every taggable resource findable without the database (ARCHITECTURE.md,
 * "Identity, idempotency, no orphans").
 */
public final class StackTags {
  public static final String STACK_ID = "stacktician:stack-id";
  public static final String STACK_NAME = "stacktician:stack-name";
  public static final String LOGICAL_ID = "stacktician:logical-id";
  /** The template type, so {@code delete-stack --by-tags} knows which handler deletes the resource. */
  public static final String TYPE = "stacktician:type";
  /**
   * The resource's DeletionPolicy when the template gives one, so that {@code delete-stack --by-tags}, which has no
   * template, keeps (Retain) or snapshots (Snapshot) it as a delete by record does.
   */
  public static final String DELETION_POLICY = "stacktician:deletion-policy";
  /** On a nested stack's resources: the root stack's id, so that the root's delete by tags finds them. */
  public static final String ROOT_STACK_ID = "stacktician:root-stack-id";
  /** On a nested stack's resources: the root stack's name ({@code delete-stack --by-tags ROOT}). */
  public static final String ROOT_STACK_NAME = "stacktician:root-stack-name";

  private StackTags() {}

  /** The stack-level tags ({@code stack-id}, {@code stack-name}) for a provider context. */
  public static Map<String, String> forStack(ResourceRequest.StackRef stack) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(STACK_ID, stack.stackId());
    tags.put(STACK_NAME, stack.stackName());
    return tags;
  }

  /** As {@link #forStack(ResourceRequest.StackRef)} for a nested stack, with its root stack's tags. */
  public static Map<String, String> forStack(ResourceRequest.StackRef stack, ResourceRequest.StackRef root) {
    Map<String, String> tags = forStack(stack);
    if (!root.stackId().equals(stack.stackId())) {
      tags.put(ROOT_STACK_ID, root.stackId());
      tags.put(ROOT_STACK_NAME, root.stackName());
    }
    return tags;
  }

  /**
   * All tags of one resource: the context's stack tags (or ones derived from the stack) plus its logical id, type and
   * DeletionPolicy.
   */
  public static Map<String, String> forResource(ResourceRequest request) {
    Map<String, String> tags = new LinkedHashMap<>(
        request.context().stackTags().isEmpty() ? forStack(request.stack()) : request.context().stackTags());
    tags.putIfAbsent(STACK_ID, request.stack().stackId());
    tags.putIfAbsent(STACK_NAME, request.stack().stackName());
    tags.put(LOGICAL_ID, request.logicalId());
    tags.put(TYPE, request.type());
    if (request.deletionPolicy() != null) {
      tags.put(DELETION_POLICY, request.deletionPolicy());
    }
    return tags;
  }

  /** The createTags / deleteTags parameters that give (or take) these tags of one resource. */
  public static java.util.Map<String, String> tagParams(String resourceType, String resourceId,
      java.util.Map<String, String> tags) {
    java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("resourceids", resourceId);
    params.put("resourcetype", resourceType);
    int i = 0;
    for (java.util.Map.Entry<String, String> t : tags.entrySet()) {
      params.put("tags[" + i + "].key", t.getKey());
      params.put("tags[" + i + "].value", t.getValue());
      i++;
    }
    return params;
  }

  /** A listed item's {@code tags} but the stack's own ({@code stacktician:}): the template's tags as the cloud has them. */
  public static Map<String, String> userTags(com.fasterxml.jackson.databind.JsonNode item) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (com.fasterxml.jackson.databind.JsonNode t : item.path("tags")) {
      String key = t.path("key").asText();
      if (!key.startsWith("stacktician:")) {
        out.put(key, t.path("value").asText());
      }
    }
    return out;
  }
}
