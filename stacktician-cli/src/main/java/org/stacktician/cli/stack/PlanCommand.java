package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.PluginOptions;
import org.stacktician.cli.template.ErrorReport;
import org.stacktician.cli.template.ParameterOptions;
import org.stacktician.cli.template.TemplateInput;
import org.stacktician.cli.template.TypeCheck;
import org.stacktician.cli.template.ValidateTemplateCommand;
import org.stacktician.cli.types.CatalogOptions;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlanResult;
import org.stacktician.template.PlannedOutput;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.Planner;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.rules.RuleChecker;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.engine.cloudstack.CloudStackObjects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackmate plan}: bind parameters, evaluate conditions and show what would be created, in
 * which order, with every property resolved as far as it can be before anything exists; with {@code --stack}, the
 * change set of updating a stack in the state directory (the only time the state is opened).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Plan a stack without creating anything: resolved parameters (NoEcho shown as ****), condition "
        + "values, each resource with its resolved properties and dependencies, the execution waves, and the outputs.",
        "Expressions that need a resource that does not exist yet are shown as the intrinsic function.",
        "With --catalog FILE (a listApis dump) or a cloud (--endpoint ...), also check every resource against its"
            + " type, as validate-template does, with the parameter values (--plugins DIR: plugin types too).",
        "Exit 1 with every error when the template or the parameters are invalid."})
public final class PlanCommand extends StateCommand {
  @Option(names = "--template-file", paramLabel = "FILE",
      description = "The template (JSON or YAML); required unless --stack with --use-previous-template.")
  Path templateFile;

  @Mixin ParameterOptions parameters;

  @Option(names = "--stack-name", paramLabel = "NAME", defaultValue = "stack",
      description = "Stack name for AWS::StackName and CloudStack::StackName (default: ${DEFAULT-VALUE}).")
  String stackName;

  @Mixin OutputOptions output;

  @Option(names = "--stack", paramLabel = "NAME",
      description = {"Instead, show what updating this existing stack (in the state directory) to the template would "
          + "change: each resource added, modified (in place, with interruption, or by replacement) or removed, as a "
          + "change set (the AWS CLI's describe-change-set Changes in JSON). Nothing is run. -p K=UsePreviousValue "
          + "keeps a parameter's current value; CloudStack:: types need --catalog or --endpoint (listApis only)."})
  String stack;

  @Option(names = "--use-previous-template",
      description = "With --stack: keep the stack's current template (a change of parameter values only).")
  boolean usePreviousTemplate;

  @Mixin CatalogOptions catalog;

  @Mixin PluginOptions plugins;

  @Override
  int run(StackStore store, PrintWriter out, PrintWriter err) throws Exception {
    if (usePreviousTemplate && stack == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--use-previous-template needs --stack NAME");
    }
    if ((templateFile == null) == (stack == null || !usePreviousTemplate)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), templateFile == null
          ? "Missing required option: '--template-file=FILE'"
          : "give --template-file FILE or --use-previous-template, not both");
    }
    LoadResult loaded;
    Map<String, String> values;
    try {
      // With --use-previous-template there is no file here: no declared names, so -p values are taken whole.
      loaded = templateFile == null ? null : TemplateInput.load(templateFile, TemplateLimits.defaults());
      values = parameters.values(loaded);
    } catch (TemplateInput.Unreadable | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    if (stack != null) {
      return PlanStackChanges.run(new PlanStackChanges.Input(stack, templateFile, values, catalog, plugins.dir(),
          output.json()), store, spec.commandLine());
    }
    List<TemplateError> errors;
    if (loaded instanceof LoadResult.Loaded ok) {
      TypeCheck types = TypeCheck.load(catalog, plugins, spec.commandLine(), err);
      if (types == null) {
        return ExitCodes.FAILED;
      }
      try (CloudStackClient cloud = catalog.client(spec.commandLine())) {
        StackContext context = StackContext.forPlanning(stackName);
        if (cloud != null) {
          // With a cloud, the rules' Fn::RefAll, Fn::ValueOf and Fn::ValueOfAll are decided, as at create.
          context = context.withCloudObjects(CloudStackObjects.of(cloud, types.apis()));
        }
        PlanResult result = Planner.plan(ok.template(), new ParameterInput(values), context);
        if (result instanceof PlanResult.Planned planned) {
          errors = types.problems(registry -> PropertyChecks.beforeCreation(registry, planned.plan()));
          if (!errors.isEmpty()) {
            ErrorReport.print(out, err, output.json(), templateFile.toString(), errors);
            return ExitCodes.FAILED;
          }
          List<TemplateError> warnings = cloud != null ? List.of()
              : RuleChecker.evaluate(planned.plan().template(), planned.plan().parameters(), context).undecided();
          Plan shown = planned.plan().redacted();
          if (output.json()) {
            ObjectNode root = json(shown);
            root.set("warnings", ErrorReport.json(warnings));
            out.println(ValidateTemplateCommand.JSON.writeValueAsString(root));
          } else {
            out.print(text(shown));
            ErrorReport.warnings(err, templateFile.toString(), warnings);
          }
          out.flush();
          return ExitCodes.OK;
        }
        errors = ((PlanResult.Rejected) result).errors();
      } catch (CloudStackException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return ExitCodes.FAILED;
      }
    } else {
      errors = ((LoadResult.Invalid) loaded).errors();
    }
    ErrorReport.print(out, err, output.json(), templateFile.toString(), errors);
    return ExitCodes.FAILED;
  }

  /** The JSON form: parameters, conditions, resources, waves, outputs. */
  static ObjectNode json(Plan plan) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ObjectNode parameters = root.putObject("parameters");
    for (ResolvedParameter p : plan.parameters().values()) {
      parameters.set(p.name(), p.displayValue());
    }
    ObjectNode conditions = root.putObject("conditions");
    plan.conditions().forEach(conditions::put);
    ObjectNode resources = root.putObject("resources");
    for (PlannedResource r : plan.resources().values()) {
      ObjectNode o = resources.putObject(r.logicalId());
      o.put("type", r.type());
      o.put("included", r.included());
      if (r.definition().condition() != null) {
        o.put("condition", r.definition().condition());
      }
      ArrayNode deps = o.putArray("dependsOn");
      r.dependsOn().forEach(deps::add);
      o.set("properties", r.properties());
    }
    ArrayNode waves = root.putArray("waves");
    for (List<String> wave : plan.waves()) {
      ArrayNode w = waves.addArray();
      wave.forEach(w::add);
    }
    ObjectNode outputs = root.putObject("outputs");
    for (PlannedOutput o : plan.outputs().values()) {
      ObjectNode n = outputs.putObject(o.name());
      n.set("value", o.value());
      n.set("export", o.export() == null ? f.nullNode() : o.export());
      if (o.description() != null) {
        n.put("description", o.description());
      }
    }
    return root;
  }

  static String text(Plan plan) throws IOException {
    StringBuilder sb = new StringBuilder();
    String nl = System.lineSeparator();
    sb.append("Parameters:").append(nl);
    if (plan.parameters().isEmpty()) {
      sb.append("  (none)").append(nl);
    }
    for (ResolvedParameter p : plan.parameters().values()) {
      sb.append("  ").append(p.name()).append(" = ").append(display(p.displayValue())).append(nl);
    }
    if (!plan.conditions().isEmpty()) {
      sb.append(nl).append("Conditions:").append(nl);
      plan.conditions().forEach((k, v) -> sb.append("  ").append(k).append(" = ").append(v).append(nl));
    }
    sb.append(nl).append("Waves:").append(nl);
    for (int i = 0; i < plan.waves().size(); i++) {
      sb.append("  ").append(i + 1).append(": ").append(String.join(", ", plan.waves().get(i))).append(nl);
    }
    sb.append(nl).append("Resources:").append(nl);
    for (PlannedResource r : plan.resources().values()) {
      sb.append("  ").append(r.logicalId()).append(" (").append(r.type()).append(')');
      if (!r.included()) {
        sb.append(" not created: condition ").append(r.definition().condition()).append(" is false").append(nl);
        continue;
      }
      sb.append(nl);
      if (!r.dependsOn().isEmpty()) {
        sb.append("    depends on: ").append(String.join(", ", r.dependsOn())).append(nl);
      }
      if (!r.properties().isEmpty()) {
        sb.append("    properties: ").append(indent(ValidateTemplateCommand.JSON.writeValueAsString(r.properties())))
            .append(nl);
      }
    }
    sb.append(nl).append("Outputs:").append(nl);
    if (plan.outputs().isEmpty()) {
      sb.append("  (none)").append(nl);
    }
    for (PlannedOutput o : plan.outputs().values()) {
      sb.append("  ").append(o.name()).append(" = ").append(display(o.value()));
      if (o.export() != null) {
        sb.append(" (export: ").append(display(o.export())).append(')');
      }
      sb.append(nl);
    }
    return sb.toString();
  }

  private static String display(JsonNode v) throws IOException {
    if (v.isTextual()) {
      return v.textValue();
    }
    return ValidateTemplateCommand.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(v);
  }

  private static String indent(String json) {
    return json.replace("\n", System.lineSeparator() + "    ");
  }

}
