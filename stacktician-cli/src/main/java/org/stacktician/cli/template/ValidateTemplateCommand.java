package org.stacktician.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.PluginOptions;
import org.stacktician.cli.types.CatalogOptions;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.template.LoadResult;
import org.stacktician.template.OutputDefinition;
import org.stacktician.template.ParameterDefinition;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.rules.RuleChecker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stackmate validate-template}: parse and validate a template, print a summary or every error. */
@Command(name = "validate-template", mixinStandardHelpOptions = true,
    description = {"Validate a JSON or YAML template and summarise it (parameters, resources by type, outputs).",
        "With --catalog FILE (a listApis dump) or a cloud (--endpoint ...), also check every resource against its"
            + " type: unknown types and properties (with the closest names), missing required properties, values of"
            + " the wrong kind. --plugins DIR adds the types of the plugin jars in DIR, as create-stack loads them.",
        "Exit 0 when valid; exit 1 with every error (path, line:column, message) when not."})
public final class ValidateTemplateCommand implements Callable<Integer> {
  public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin LoggingOptions logging;

  @Spec CommandSpec spec;

  @Option(names = "--template-file", required = true, paramLabel = "FILE", description = "The template (JSON or YAML).")
  Path templateFile;

  @Mixin OutputOptions output;

  @Mixin CatalogOptions catalog;

  @Mixin PluginOptions plugins;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoadResult result;
    try {
      result = TemplateInput.load(templateFile, TemplateLimits.defaults());
    } catch (TemplateInput.Unreadable e) {
      err.println("error: " + org.stacktician.engine.stack.TerminalText.lines(e.getMessage()));
      return ExitCodes.FAILED;
    }
    String name = templateFile.toString();
    switch (result) {
      case LoadResult.Invalid invalid -> {
        ErrorReport.print(out, err, output.json(), name, invalid.errors());
        return ExitCodes.FAILED;
      }
      case LoadResult.Loaded loaded -> {
        TypeCheck types = TypeCheck.load(catalog, plugins, spec.commandLine(), err);
        if (types == null) {
          return ExitCodes.FAILED;
        }
        List<TemplateError> problems = new ArrayList<>(types.problems(
            registry -> PropertyChecks.template(registry, loaded.template())));
        problems.addAll(types.ruleQuestions(loaded.template()));
        if (!problems.isEmpty()) {
          ErrorReport.print(out, err, output.json(), name, problems);
          return ExitCodes.FAILED;
        }
        // With no parameter values nothing is decided; offline, say which rules will need the cloud.
        List<TemplateError> warnings = catalog.live() ? List.of() : RuleChecker.needingTheCloud(loaded.template());
        if (output.json()) {
          ObjectNode summary = summary(loaded.template());
          summary.set("warnings", ErrorReport.json(warnings));
          out.println(JSON.writeValueAsString(summary));
        } else {
          out.print(text(name, loaded.template()));
          ErrorReport.warnings(err, name, warnings);
        }
        out.flush();
        return ExitCodes.OK;
      }
    }
  }

  /** The JSON summary: valid, errors (empty), description, parameters, resourcesByType, conditions, outputs. */
  static ObjectNode summary(Template t) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("valid", true);
    root.set("errors", JsonNodeFactory.instance.arrayNode());
    if (t.description() != null) {
      root.put("description", t.description());
    }
    ArrayNode parameters = root.putArray("parameters");
    for (ParameterDefinition p : t.parameters().values()) {
      ObjectNode o = parameters.addObject();
      o.put("name", p.name());
      o.put("type", p.type());
      if (p.description() != null) {
        o.put("description", p.description());
      }
      if (p.defaultValue() != null) {
        o.put("default", p.noEcho() ? ResolvedParameter.MASK : p.defaultValue().asText());
      }
      o.put("noEcho", p.noEcho());
      if (!p.allowedValues().isEmpty()) {
        ArrayNode allowed = o.putArray("allowedValues");
        p.allowedValues().forEach(allowed::add);
      }
      if (p.parsedType().cloudStack().isPresent()) {
        var ref = p.parsedType().cloudStack().get();
        o.put("cloudStackReference", ref.noun() + " by " + ref.by().name().toLowerCase());
      }
    }
    ObjectNode byType = root.putObject("resourcesByType");
    for (Map.Entry<String, List<String>> e : resourcesByType(t).entrySet()) {
      ArrayNode ids = byType.putArray(e.getKey());
      e.getValue().forEach(ids::add);
    }
    ArrayNode conditions = root.putArray("conditions");
    t.conditions().keySet().forEach(conditions::add);
    ArrayNode outputs = root.putArray("outputs");
    for (OutputDefinition o : t.outputs().values()) {
      ObjectNode n = outputs.addObject();
      n.put("name", o.name());
      if (o.description() != null) {
        n.put("description", o.description());
      }
      if (o.condition() != null) {
        n.put("condition", o.condition());
      }
      n.put("exported", o.exportName() != null);
    }
    return root;
  }

  static Map<String, List<String>> resourcesByType(Template t) {
    Map<String, List<String>> byType = new LinkedHashMap<>();
    for (ResourceDefinition r : t.resources().values()) {
      byType.computeIfAbsent(r.type(), k -> new ArrayList<>()).add(r.logicalId());
    }
    return byType;
  }

  static String text(String file, Template t) {
    StringBuilder sb = new StringBuilder();
    String nl = System.lineSeparator();
    sb.append(file).append(": valid").append(nl);
    if (t.description() != null) {
      sb.append("Description: ").append(t.description()).append(nl);
    }
    sb.append(nl).append("Parameters (").append(t.parameters().size()).append("):").append(nl);
    for (ParameterDefinition p : t.parameters().values()) {
      sb.append("  ").append(p.name()).append(" (").append(p.type()).append(')');
      if (p.defaultValue() != null) {
        sb.append(" default: ").append(p.noEcho() ? ResolvedParameter.MASK : quoted(p.defaultValue()));
      } else {
        sb.append(" required");
      }
      if (p.noEcho()) {
        sb.append(", NoEcho");
      }
      if (p.description() != null) {
        sb.append(" - ").append(p.description());
      }
      sb.append(nl);
    }
    sb.append(nl).append("Resources (").append(t.resources().size()).append("):").append(nl);
    for (Map.Entry<String, List<String>> e : resourcesByType(t).entrySet()) {
      sb.append("  ").append(e.getKey()).append(": ").append(String.join(", ", e.getValue())).append(nl);
    }
    if (!t.conditions().isEmpty()) {
      sb.append(nl).append("Conditions (").append(t.conditions().size()).append("): ")
          .append(String.join(", ", t.conditions().keySet())).append(nl);
    }
    sb.append(nl).append("Outputs (").append(t.outputs().size()).append("):").append(nl);
    for (OutputDefinition o : t.outputs().values()) {
      sb.append("  ").append(o.name());
      if (o.description() != null) {
        sb.append(" - ").append(o.description());
      }
      if (o.exportName() != null) {
        sb.append(" (exported)");
      }
      sb.append(nl);
    }
    return sb.toString();
  }

  private static String quoted(JsonNode v) {
    return "\"" + v.asText() + "\"";
  }
}
