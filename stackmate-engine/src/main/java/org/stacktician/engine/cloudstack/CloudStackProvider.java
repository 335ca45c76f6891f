package org.stacktician.engine.cloudstack;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;

/**
 * Built-in provider of the generated {@code CloudStack::<Noun>} types: one {@link
 * CloudStackResourceHandler} per type of the target cloud's {@link ResourceTypeCatalog} (derived
 * from its listApis). Claims nothing when the context has no catalog.
 */
public final class CloudStackProvider implements ResourceProvider {
  /** One handler per type definition; keyed by identity (definitions are large records, hashing them is slow). */
  private final Map<ResourceTypeDefinition, CloudStackResourceHandler> handlers =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  @Override
  public String name() {
    return "cloudstack";
  }

  @Override
  public Set<String> types(ProviderContext context) {
    return context.resourceTypes().map(c -> c.types().keySet()).orElse(Set.of());
  }

  @Override
  public Optional<ResourceHandler> handler(String type, ProviderContext context) {
    return context.resourceTypes()
        .flatMap(c -> Optional.ofNullable(c.types().get(type)))
        .map(def -> handlers.computeIfAbsent(def, CloudStackResourceHandler::new));
  }
}
