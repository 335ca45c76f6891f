package org.stacktician.cloudstack.client.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code CloudStack::<Noun>} resource types derived from an API catalog's lifecycle pairs. */
public final class ResourceTypeCatalog {

    private final Map<String, ResourceTypeDefinition> types;
    private final List<ExcludedApi> excluded;

    private ResourceTypeCatalog(Map<String, ResourceTypeDefinition> types, List<ExcludedApi> excluded) {
        this.types = types;
        this.excluded = excluded;
    }

    public static ResourceTypeCatalog derive(ApiCatalog apis) {
        return new ResourceTypeCatalog(Map.of(), List.of()); // filled in by the derivation (in progress)
    }

    public Map<String, ResourceTypeDefinition> types() {
        return types;
    }

    public Optional<ResourceTypeDefinition> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public List<ExcludedApi> excluded() {
        return excluded;
    }
}
