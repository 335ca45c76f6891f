package org.stacktician.cli.template;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.stacktician.cli.types.CatalogOptions;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.template.TemplateError;
import picocli.CommandLine;

/**
 * The resource types that validate-template and plan check a template against when given
 * {@code --catalog} or a cloud: the catalog's {@code CloudStack::} types, the AWS:: mappings and
 * the built-ins.
 */
final class TypeCheck {
  private TypeCheck() {}

  /**
   * What {@code check} finds against the given catalog or cloud: none when neither was given;
   * empty when the catalog could not be read (the reason is printed on {@code err}).
   */
  static Optional<List<TemplateError>> problems(CatalogOptions options, CommandLine commandLine, PrintWriter err,
      Function<ProviderRegistry, List<TemplateError>> check) {
    try {
      return Optional.of(options.given()
          ? check.apply(PropertyChecks.offline(ResourceTypeCatalog.derive(options.load(commandLine))))
          : List.of());
    } catch (CloudStackException | UncheckedIOException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
  }
}
