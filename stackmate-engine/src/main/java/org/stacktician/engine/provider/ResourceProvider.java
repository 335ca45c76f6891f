package org.stacktician.engine.provider;

import java.util.Optional;
import java.util.Set;

/**
 * A family of resource types (CloudStack generated types, AWS:: mappings, built-ins, a plugin).
 * Plugins implement this interface and are found with {@link java.util.ServiceLoader}.
 */
public interface ResourceProvider {
  /** A short name for messages, e.g. "cloudstack" or the plugin's name. */
  String name();

  /**
   * The exact types this provider claims, known before any call. A provider whose types depend
   * on the cloud (the generated {@code CloudStack::} family) computes them from the context's catalog.
   */
  Set<String> types(ProviderContext context);

  /** The handler for a claimed type, or empty when the type is not this provider's. */
  Optional<ResourceHandler> handler(String type, ProviderContext context);
}
