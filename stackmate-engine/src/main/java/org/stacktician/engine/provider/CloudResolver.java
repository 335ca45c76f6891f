package org.stacktician.engine.provider;

import java.util.Optional;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;

/**
 * Gives each stack the cloud client of the account it runs in, for an engine that runs the
 * stacks of many accounts (the server's). Registered as a {@link ProviderContext#service}; an
 * engine without one runs every stack in its base context's single cloud (the CLI's).
 */
public interface CloudResolver {
  /** The engine's own key (its executions' task name), shared by every node of the server. */
  String engineKey();

  /**
   * The client of a stack's account ({@code StackRecord.accountKey()}), cached by the resolver.
   *
   * @throws RuntimeException with a message for the stack's events when the account is gone or unusable
   */
  CloudStackClient client(String accountKey);

  /**
   * The {@code CloudStack::} types of a stack's account's cloud (from that cloud's listApis), cached by the resolver
   * and the same object while the catalog stays the same; empty to use the engine's base catalog.
   *
   * @throws RuntimeException with a message for the caller when the account is gone or its catalog cannot be read
   */
  default Optional<ResourceTypeCatalog> resourceTypes(String accountKey) {
    return Optional.empty();
  }
}
