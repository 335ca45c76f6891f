package org.stacktician.engine.provider;

import java.util.Optional;
import java.util.Set;

/**
 * A family of resource types (CloudStack generated types, AWS:: mappings, built-ins, a plugin).
 * Plugins implement this interface, have a public no-argument constructor, and are found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/org.stacktician.engine.provider.ResourceProvider}
 * file in their jar).
 */
public interface ResourceProvider {
  /** A short name for messages, e.g. "cloudstack" or the plugin's name. */
  String name();

  /**
   * The exact types this provider claims, known before any call. A provider whose types depend
   * on the cloud (the generated {@code CloudStack::} family) computes them from the context's
   * catalog. The context given here is the registry's base context (it has no stack).
   */
  Set<String> types(ProviderContext context);

  /**
   * Prefixes of type families this provider claims in full, e.g. {@code "Custom::"}; a type
   * claimed exactly by some provider wins over a prefix.
   */
  default Set<String> typePrefixes(ProviderContext context) {
    return Set.of();
  }

  /** The handler for a claimed type, or empty when the type is not this provider's. */
  Optional<ResourceHandler> handler(String type, ProviderContext context);
}
