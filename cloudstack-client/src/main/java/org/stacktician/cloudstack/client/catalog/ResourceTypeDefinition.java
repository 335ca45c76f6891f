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
 */
public record ResourceTypeDefinition(String typeName, String noun, ApiDefinition createApi, ApiDefinition deleteApi,
        String deleteIdParameter, String idSource, String responseObjectKey, List<PropertyDefinition> properties,
        List<AttributeDefinition> attributes, boolean taggable, String tagResourceType) {

    public ResourceTypeDefinition {
        properties = List.copyOf(properties);
        attributes = List.copyOf(attributes);
    }

    public Optional<PropertyDefinition> property(String name) {
        return properties.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
    }

    public Optional<AttributeDefinition> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name)).findFirst();
    }
}
