package org.stacktician.cli.template;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.stacktician.cli.PluginOptions;
import org.stacktician.cli.types.CatalogOptions;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.engine.provider.registry.PluginLoadException;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.template.TemplateError;
import picocli.CommandLine;

/**
 * The resource types that validate-template and plan check a template against when given
 * {@code --catalog} or a cloud: the catalog's {@code CloudStack::} types, the AWS:: mappings, the
 * built-ins and the plugins of {@code --plugins}.
 */
final class TypeCheck {
  private TypeCheck() {}

  /**
   * What {@code check} finds against the given catalog or cloud: none when neither was given;
   * empty when the catalog could not be read (the reason is printed on {@code err}).
   */
  static Optional<List<TemplateError>> problems(CatalogOptions options, PluginOptions plugins, CommandLine commandLine,
      PrintWriter err, Function<ProviderRegistry, List<TemplateError>> check) {
    if (!options.given() && plugins.dir() != null) {
      throw new CommandLine.ParameterException(commandLine, "--plugins adds the plugins' types to the check of every "
          + "resource against its type, which --catalog FILE (a listApis dump) or --endpoint URL turns on: give one too");
    }
    try {
      return Optional.of(options.given()
          ? check.apply(PropertyChecks.offline(ResourceTypeCatalog.derive(options.load(commandLine)), plugins.dir()))
          : List.of());
    } catch (CloudStackException | UncheckedIOException | IllegalArgumentException | PluginLoadException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
  }
}
