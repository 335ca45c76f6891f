package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stacktician.cloudstack.client.CloudStackClient;

/**
 * Finds a stack's resources in the cloud by their stack tags, without any database: for resume
 * (a create whose outcome is unknown) and for {@code delete-stack --by-tags NAME}.
 */
public final class TaggedResources {
  private TaggedResources() {}

  /**
   * One tagged resource of a stack; {@code rootStackId} is set on the resources of a nested stack
   * (their {@code stackId} and {@code stackName} are the nested stack's own); {@code deletionPolicy} is null when the
   * template gave none.
   */
  public record TaggedResource(String resourceType, String resourceId, String stackId, String stackName,
      String logicalId, String type, String rootStackId, String deletionPolicy) {}

  /**
   * Every resource tagged with {@code stacktician:stack-name} = {@code stackName}, and every
   * resource of its nested stacks (tagged {@code stacktician:root-stack-name} = {@code stackName}),
   * one entry per resource, with its other stack tags.
   */
  public static List<TaggedResource> findByStackName(CloudStackClient client, String stackName) {
    Map<String, TaggedResource> out = new LinkedHashMap<>();
    for (String key : List.of(StackTags.STACK_NAME, StackTags.ROOT_STACK_NAME)) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("key", key);
      params.put("value", stackName);
      params.put("listall", "true");
      for (JsonNode tag : client.list("listTags", params)) {
        String resourceType = tag.path("resourcetype").asText();
        String resourceId = tag.path("resourceid").asText();
        if (out.containsKey(resourceType + "/" + resourceId)) {
          continue;
        }
        Map<String, String> all = tagsOf(client, resourceType, resourceId);
        out.put(resourceType + "/" + resourceId, new TaggedResource(resourceType, resourceId,
            all.get(StackTags.STACK_ID), all.getOrDefault(StackTags.STACK_NAME, stackName),
            all.get(StackTags.LOGICAL_ID), all.get(StackTags.TYPE), all.get(StackTags.ROOT_STACK_ID),
            all.get(StackTags.DELETION_POLICY)));
      }
    }
    return new ArrayList<>(out.values());
  }

  /** The id of the resource of a tag resource type tagged with this stack id and logical id. */
  public static Optional<String> findOne(CloudStackClient client, String tagResourceType, String stackId,
      String logicalId) {
    return findOne(client, tagResourceType, stackId, logicalId, id -> false);
  }

  /**
   * As {@link #findOne(CloudStackClient, String, String, String)}, passing over the resources {@code excluded} says
   * (the one an update's replacement replaces bears the same tags).
   */
  public static Optional<String> findOne(CloudStackClient client, String tagResourceType, String stackId,
      String logicalId, java.util.function.Predicate<String> excluded) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("resourcetype", tagResourceType);
    params.put("key", StackTags.LOGICAL_ID);
    params.put("value", logicalId);
    params.put("listall", "true");
    for (JsonNode tag : client.list("listTags", params)) {
      String id = tag.path("resourceid").asText();
      if (!excluded.test(id) && stackId.equals(tagsOf(client, tagResourceType, id).get(StackTags.STACK_ID))) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> tagsOf(CloudStackClient client, String resourceType, String resourceId) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("resourcetype", resourceType);
    params.put("resourceid", resourceId);
    params.put("listall", "true");
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode tag : client.list("listTags", params)) {
      tags.put(tag.path("key").asText(), tag.path("value").asText());
    }
    return tags;
  }
}
