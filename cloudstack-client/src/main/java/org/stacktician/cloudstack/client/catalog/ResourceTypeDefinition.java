package org.stacktician.cloudstack.client.catalog;

import java.util.List;
import java.util.Optional;

/**
 * A {@code CloudStack::<Noun>} resource type derived from a lifecycle pair of APIs.
 *
 * @param deleteIdParameter the delete call's real id parameter ({@code name} for deleteSSHKeyPair, ...)
 * @param idSource which create-response field (or, prefixed {@code param:}, which create parameter) gives
 *        the value passed as {@code deleteIdParameter}
 * @param responseObjectKey key of the object in the create (job) result, e.g. {@code virtualmachine};
 *        null when the create answers only {@code success}
 * @param tagResourceType CloudStack's resource type for createTags (e.g. {@code UserVm}), null if not taggable
 * @param deleteArguments every parameter of the delete call with its source (the first is
 *        {@code deleteIdParameter} / {@code idSource}); see {@link DeleteArgument}
 * @param updateApis the cloud's APIs that change an existing instance in place ({@code update<Noun>},
 *        {@code resize<Noun>}, {@code changeServiceFor<Noun>}, ...), in order of preference; see
 *        {@link LifecycleRules#isUpdateOf}
 */
public record ResourceTypeDefinition(String typeName, String noun, ApiDefinition createApi, ApiDefinition deleteApi,
    String deleteIdParameter, String idSource, String responseObjectKey, List<PropertyDefinition> properties,
    List<AttributeDefinition> attributes, boolean taggable, String tagResourceType,
    List<DeleteArgument> deleteArguments, List<ApiDefinition> updateApis) {

  public ResourceTypeDefinition {
    properties = List.copyOf(properties);
    attributes = List.copyOf(attributes);
    deleteArguments = List.copyOf(deleteArguments);
    updateApis = List.copyOf(updateApis);
  }

  /** The delete calls that remove a created instance (see {@link DeleteArgument#deleteCalls}). */
  public List<java.util.Map<String, String>> deleteCalls(com.fasterxml.jackson.databind.JsonNode resultObject,
      java.util.Map<String, String> createParams) {
    return DeleteArgument.deleteCalls(deleteArguments, resultObject, createParams);
  }

  /** The required properties. */
  public List<PropertyDefinition> requiredProperties() {
    return properties.stream().filter(PropertyDefinition::required).toList();
  }

  public Optional<PropertyDefinition> property(String name) {
    return properties.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
  }

  public Optional<AttributeDefinition> attribute(String name) {
    return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name)).findFirst();
  }
}
