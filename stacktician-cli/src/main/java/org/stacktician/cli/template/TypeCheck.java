package org.stacktician.cli.template;

import java.util.Optional;
import org.stacktician.cli.types.CatalogOptions;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import picocli.CommandLine;

/**
 * The resource types that validate-template and plan check a template against when given
 * {@code --catalog} or a cloud: the catalog's {@code CloudStack::} types, the AWS:: mappings and
 * the built-ins.
 */
final class TypeCheck {
  private TypeCheck() {}

  /** The registry to check against; empty when neither a catalog nor a cloud was given. */
  static Optional<ProviderRegistry> registry(CatalogOptions options, CommandLine commandLine) {
    return options.given()
        ? Optional.of(PropertyChecks.offline(ResourceTypeCatalog.derive(options.load(commandLine))))
        : Optional.empty();
  }
}
