package org.stacktician.engine;

import java.util.List;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceProvider;
import org.stacktician.engine.provider.registry.ProviderRegistry;

/**
 * Builds the engine's provider registry from its base context and the providers the engine itself
 * contributes (nested stacks), e.g. {@code (base, own) -> ProviderRegistry.load(base, own, pluginsDir)}.
 */
@FunctionalInterface
public interface RegistryFactory {
  ProviderRegistry build(ProviderContext baseContext, List<ResourceProvider> engineProviders);
}
