package org.stacktician.cli.template;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.stacktician.cli.PluginOptions;
import org.stacktician.cli.types.CatalogOptions;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.engine.cloudstack.CloudStackObjects;
import org.stacktician.engine.provider.registry.PluginLoadException;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.rules.RuleChecker;
import picocli.CommandLine;

/**
 * What validate-template and plan check a template against when given {@code --catalog} or a
 * cloud: the catalog's {@code CloudStack::} types, the AWS:: mappings, the built-ins and the plugins
 * of {@code --plugins}, and the cloud objects the rule functions ask about.
 *
 * @param apis the catalog of {@code --catalog} or the cloud; null when neither was given
 * @param registry the types checked against it; null when neither was given
 */
public record TypeCheck(ApiCatalog apis, ProviderRegistry registry) {

  /**
   * Loads what the options give (a catalog read once, the plugins loaded); null after printing why
   * on {@code err} when it cannot be had.
   *
   * @throws CommandLine.ParameterException for options that do not go together
   */
  public static TypeCheck load(CatalogOptions options, PluginOptions plugins, CommandLine commandLine,
      PrintWriter err) {
    if (!options.given() && plugins.dir() != null) {
      throw new CommandLine.ParameterException(commandLine, "--plugins adds the plugins' types to the check of every "
          + "resource against its type, which --catalog FILE (a listApis dump) or --endpoint URL turns on: give one too");
    }
    if (!options.given()) {
      return new TypeCheck(null, null);
    }
    try {
      ApiCatalog apis = options.load(commandLine);
      return new TypeCheck(apis, PropertyChecks.offline(ResourceTypeCatalog.derive(apis), plugins.dir()));
    } catch (CloudStackException | UncheckedIOException | IllegalArgumentException | PluginLoadException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return null;
    }
  }

  /** What {@code check} finds with the registry; nothing when no catalog or cloud was given. */
  public List<TemplateError> problems(Function<ProviderRegistry, List<TemplateError>> check) {
    return registry == null ? List.of() : check.apply(registry);
  }

  /**
   * The questions the template's rules ask the cloud that this catalog already shows cannot be
   * answered: a type that names no CloudStack object or none this cloud lists, an unknown attribute.
   */
  List<TemplateError> ruleQuestions(Template template) {
    List<TemplateError> errors = new ArrayList<>();
    if (apis == null) {
      return errors;
    }
    for (RuleChecker.CloudQuestion q : RuleChecker.cloudQuestions(template)) {
      var problem = RuleChecker.noCloudStackObject(q.describe(), q.type())
          .or(() -> CloudStackObjects.problem(apis, q.type().cloudStack().orElseThrow(), q.attribute())
              .map(p -> q.describe() + ": " + p));
      problem.ifPresent(p -> errors.add(template.sourceMap().error(q.path(), p)));
    }
    return errors;
  }
}
