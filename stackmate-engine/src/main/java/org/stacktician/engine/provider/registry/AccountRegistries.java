package org.stacktician.engine.provider.registry;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.provider.CloudResolver;
import org.stacktician.engine.provider.ProviderContext;

/**
 * The provider registry of each stack's cloud: the engine's registry when every stack shares its cloud (the CLI),
 * else the engine's providers over the {@code CloudStack::} catalog of the stack's account ({@link
 * CloudResolver#resourceTypes}), built once per catalog and kept while the resolver answers that catalog.
 */
public final class AccountRegistries {
  /** Catalogs kept at most; past it the oldest are built again when next asked for (a catalog is rarely replaced). */
  private static final int MAX_KEPT = 64;

  private final ProviderRegistry engineRegistry;
  private final ProviderContext baseContext;
  private final Map<ResourceTypeCatalog, ProviderRegistry> byCatalog = new IdentityHashMap<>();

  public AccountRegistries(ProviderRegistry engineRegistry, ProviderContext baseContext) {
    this.engineRegistry = engineRegistry;
    this.baseContext = baseContext;
  }

  /** The engine's own registry (its base context's catalog). */
  public ProviderRegistry engineRegistry() {
    return engineRegistry;
  }

  /** The registry of a stack's account (the engine's when the account has no catalog of its own). */
  public ProviderRegistry forAccount(String accountKey) {
    Optional<CloudResolver> resolver = baseContext.service(CloudResolver.class);
    if (resolver.isEmpty() || accountKey == null) {
      return engineRegistry;
    }
    Optional<ResourceTypeCatalog> catalog = resolver.get().resourceTypes(accountKey);
    if (catalog.isEmpty()) {
      return engineRegistry;
    }
    synchronized (byCatalog) {
      ProviderRegistry known = byCatalog.get(catalog.get());
      if (known != null) {
        return known;
      }
      if (byCatalog.size() >= MAX_KEPT) {
        byCatalog.clear();
      }
      ProviderRegistry built = engineRegistry.over(baseContext.toBuilder().resourceTypes(catalog.get()).build());
      byCatalog.put(catalog.get(), built);
      return built;
    }
  }
}
