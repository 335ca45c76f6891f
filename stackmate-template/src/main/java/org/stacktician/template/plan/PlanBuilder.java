package org.stacktician.template.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.template.Evaluator;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.parse.ParsedDocument;
import org.stacktician.template.rules.RuleChecker;
import org.stacktician.template.validate.TemplateValidator;
import org.stacktician.template.OutputDefinition;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlanResult;
import org.stacktician.template.PlannedOutput;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.functions.ConditionEvaluator;
import org.stacktician.template.functions.Intrinsics;
import org.stacktician.template.graph.DependencyGraph;
import org.stacktician.template.parameters.ParameterResolver;

/**
 * Builds a {@link Plan}: binds parameters, evaluates conditions, resolves each included resource's
 * properties (and metadata and policies, to find references) as far as possible before anything
 * exists, derives each resource's dependencies from what it still waits on plus DependsOn, and
 * layers the resources into waves. Dependencies are taken after Fn::If has chosen its branch, so a
 * reference in an untaken branch neither orders nor fails the stack (as in CloudFormation).
 */
public final class PlanBuilder {
  private PlanBuilder() {}

  /** Plans a template; every parameter, condition and reference error is reported together. */
  public static PlanResult plan(Template template, ParameterInput input, StackContext context) {
    ParameterResolver.Result bound = ParameterResolver.resolve(template, input);
    List<TemplateError> errors = new ArrayList<>(bound.errors());
    if (!errors.isEmpty()) {
      return new PlanResult.Rejected(errors);
    }
    Map<String, ResolvedParameter> parameters = bound.parameters();
    errors.addAll(RuleChecker.check(template, parameters, context));
    if (!errors.isEmpty()) {
      return new PlanResult.Rejected(errors);
    }
    if (template.sourceMap() != null && template.sourceMap().transformed()) {
      // Fn::ForEach loops over list parameters expand with the stack's values, not the Defaults
      LoadResult expanded = TemplateValidator.validate(new ParsedDocument(template.sourceMap().original().root(),
          template.sourceMap().original(), List.of()), TemplateLimits.defaults(), values(parameters));
      if (expanded instanceof LoadResult.Invalid invalid) {
        return new PlanResult.Rejected(invalid.errors());
      }
      template = ((LoadResult.Loaded) expanded).template();
    }
    Intrinsics forConditions = new Intrinsics(template, parameters, Map.of(), context);
    ConditionEvaluator.Result conditions = ConditionEvaluator.evaluate(template, forConditions);
    errors.addAll(conditions.errors());
    if (!errors.isEmpty()) {
      return new PlanResult.Rejected(errors);
    }
    Evaluator evaluator = new Evaluator(template, parameters, conditions.values(), context);
    Map<String, PlannedResource> resources = new LinkedHashMap<>();
    Map<String, Set<String>> dependencies = new LinkedHashMap<>();
    Map<String, ResourceDefinition> resolvedDefinitions = new LinkedHashMap<>(template.resources());
    for (ResourceDefinition r : template.resources().values()) {
      boolean included = r.condition() == null || conditions.values().getOrDefault(r.condition(), false);
      if (!included) {
        resources.put(r.logicalId(), new PlannedResource(r.logicalId(), r.type(), false, List.of(),
            JsonNodeFactory.instance.objectNode(), r));
        continue;
      }
      r = ResourcePolicies.resolve(r, template, evaluator, errors);
      resolvedDefinitions.put(r.logicalId(), r);
      String path = "Resources/" + r.logicalId();
      Set<String> needs = new LinkedHashSet<>();
      for (String d : r.dependsOn()) {
        ResourceDefinition target = template.resources().get(d);
        if (target != null && target.condition() != null
            && !conditions.values().getOrDefault(target.condition(), false)) {
          errors.add(map(template).error(path + "/DependsOn", "Template format error: Unresolved resource "
              + "dependencies [" + d + "] in the Resources block of the template (" + d + " is not created because "
              + "its condition " + target.condition() + " is false)"));
        } else {
          needs.add(d);
        }
      }
      JsonNode properties = resolve(evaluator, r.properties(), path + "/Properties", needs, errors);
      if (r.metadata() != null) {
        resolve(evaluator, r.metadata(), path + "/Metadata", needs, errors);
      }
      if (r.creationPolicy() != null) {
        resolve(evaluator, r.creationPolicy(), path + "/CreationPolicy", needs, errors);
      }
      if (r.updatePolicy() != null) {
        resolve(evaluator, r.updatePolicy(), path + "/UpdatePolicy", needs, errors);
      }
      dependencies.put(r.logicalId(), needs);
      ObjectNode props = properties instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
      resources.put(r.logicalId(), new PlannedResource(r.logicalId(), r.type(), true, List.copyOf(needs), props, r));
    }
    Map<String, PlannedOutput> outputs = new LinkedHashMap<>();
    for (OutputDefinition o : template.outputs().values()) {
      if (o.condition() != null && !conditions.values().getOrDefault(o.condition(), false)) {
        continue;
      }
      String path = "Outputs/" + o.name();
      JsonNode value = resolve(evaluator, o.value(), path + "/Value", new LinkedHashSet<>(), errors);
      JsonNode export = o.exportName() == null ? null
          : resolve(evaluator, o.exportName(), path + "/Export/Name", new LinkedHashSet<>(), errors);
      outputs.put(o.name(), new PlannedOutput(o.name(), value, export, o.description()));
    }
    Map<String, String> exportOwners = new LinkedHashMap<>();
    for (PlannedOutput o : outputs.values()) {
      if (o.export() != null && o.export().isTextual()) {
        String previous = exportOwners.putIfAbsent(o.export().textValue(), o.name());
        if (previous != null) {
          errors.add(map(template).error("Outputs/" + o.name() + "/Export/Name", "Template error: export name "
              + o.export().textValue() + " is used by outputs " + previous + " and " + o.name()
              + "; export names must be unique"));
        }
      }
    }
    List<List<String>> cycles = DependencyGraph.cycles(dependencies);
    for (List<String> cycle : cycles) {
      errors.add(map(template).error("Resources/" + cycle.get(0),
          "Template format error: Circular dependency between resources: " + cycle));
    }
    if (!errors.isEmpty()) {
      return new PlanResult.Rejected(errors);
    }
    List<List<String>> waves = DependencyGraph.waves(dependencies);
    if (!resolvedDefinitions.equals(template.resources())) {
      template = new Template(template.formatVersion(), template.description(), template.metadata(),
          template.parameters(), template.mappings(), template.conditions(), resolvedDefinitions,
          template.outputs(), template.sourceMap());
    }
    return new PlanResult.Planned(new Plan(template, parameters, conditions.values(), resources, waves, outputs,
        evaluator));
  }

  private static Map<String, JsonNode> values(Map<String, ResolvedParameter> parameters) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    parameters.forEach((name, p) -> out.put(name, p.value()));
    return out;
  }

  /** The template's source map; templates built in code may have none. */
  private static org.stacktician.template.SourceMap map(Template template) {
    return template.sourceMap() == null ? org.stacktician.template.SourceMap.empty(null) : template.sourceMap();
  }

  private static JsonNode resolve(Evaluator evaluator, JsonNode expression, String path, Set<String> needs,
      List<TemplateError> errors) {
    Resolution resolution = evaluator.resolve(expression, path, ResourceValues.NONE);
    return switch (resolution) {
      case Resolution.Resolved r -> r.value();
      case Resolution.Deferred d -> {
        needs.addAll(d.waitingOn());
        yield d.partial();
      }
      case Resolution.Failed f -> {
        errors.addAll(f.errors());
        yield expression;
      }
    };
  }
}
