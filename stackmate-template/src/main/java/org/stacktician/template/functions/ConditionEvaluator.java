package org.stacktician.template.functions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;

/**
 * Evaluates every condition of a template once parameters are known. Conditions may refer to
 * each other in any order; a circular reference is an error naming the conditions involved.
 */
public final class ConditionEvaluator {
  /** Every condition's value, and the errors met (an erroneous condition counts as false). */
  public record Result(Map<String, Boolean> values, List<TemplateError> errors) {}

  private final Template template;
  private final Intrinsics intrinsics;
  private final Map<String, Boolean> values = new LinkedHashMap<>();
  private final List<String> visiting = new ArrayList<>();
  private final Set<String> failed = new HashSet<>();
  private final List<TemplateError> errors = new ArrayList<>();

  private ConditionEvaluator(Template template, Intrinsics intrinsics) {
    this.template = template;
    this.intrinsics = intrinsics;
  }

  /** Evaluates all conditions with an evaluator that knows the parameters and the stack. */
  public static Result evaluate(Template template, Intrinsics intrinsics) {
    ConditionEvaluator e = new ConditionEvaluator(template, intrinsics);
    for (String name : template.conditions().keySet()) {
      e.value(name);
    }
    Map<String, Boolean> ordered = new LinkedHashMap<>();
    for (String name : template.conditions().keySet()) {
      ordered.put(name, e.values.getOrDefault(name, false));
    }
    return new Result(ordered, e.errors);
  }

  private Boolean value(String name) {
    Boolean known = values.get(name);
    if (known != null) {
      return known;
    }
    if (failed.contains(name)) {
      return false;
    }
    int at = visiting.indexOf(name);
    if (at >= 0) {
      List<String> cycle = new ArrayList<>(visiting.subList(at, visiting.size()));
      cycle.add(name);
      errors.add(template.sourceMap() == null ? TemplateError.of("Conditions/" + name, cycleMessage(cycle))
          : template.sourceMap().error("Conditions/" + name, cycleMessage(cycle)));
      failed.addAll(cycle);
      return false;
    }
    visiting.add(name);
    JsonNode definition = template.conditions().get(name);
    Run run = new Run(ResourceValues.NONE, Intrinsics.Section.CONDITIONS, this::value);
    Boolean result = intrinsics.evalCondition(definition, NodePath.of("Conditions/" + name), run);
    visiting.remove(visiting.size() - 1);
    errors.addAll(run.errors);
    if (result == null) {
      if (run.errors.isEmpty()) {
        errors.add(TemplateError.of("Conditions/" + name, "Template error: condition " + name
            + " could not be evaluated because a value it needs is not known before the stack is created"));
      }
      failed.add(name);
      return false;
    }
    if (!failed.contains(name)) {
      values.put(name, result);
    }
    return result;
  }

  /** The message for a circular reference among conditions. */
  public static String cycleMessage(List<String> cycle) {
    return "Template error: circular condition dependency: " + String.join(" -> ", cycle);
  }
}
