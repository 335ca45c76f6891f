package org.stacktician.template.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.template.SourceMap;
import org.stacktician.template.TemplateError;
import org.stacktician.template.functions.PseudoParameters;
import org.stacktician.template.parameters.ParameterTypes;

/**
 * Reads the Rules section and checks its shape and functions: each rule has Assertions (a list of
 * {@code Assert} with an optional {@code AssertDescription}) and an optional RuleCondition, written
 * with the rule functions, which may refer to parameters and pseudo parameters only.
 */
public final class RuleReader {
  /** The functions a rule may use, with how many arguments each takes (0: one argument, not a list). */
  static final Map<String, Integer> FUNCTIONS = Map.of("Fn::And", -1, "Fn::Or", -1, "Fn::Not", 1,
      "Fn::Equals", 2, "Fn::Contains", 2, "Fn::EachMemberEquals", 2, "Fn::EachMemberIn", 2, "Fn::RefAll", 0,
      "Fn::ValueOf", 2, "Fn::ValueOfAll", 2);

  private final SourceMap map;
  private final Set<String> parameters;
  private final List<TemplateError> errors;

  private RuleReader(SourceMap map, Set<String> parameters, List<TemplateError> errors) {
    this.map = map;
    this.parameters = parameters;
    this.errors = errors;
  }

  /** The rules of {@code section} (null when the template has none); problems are added to {@code errors}. */
  public static List<RuleDefinition> read(JsonNode section, SourceMap map, Set<String> parameters,
      List<TemplateError> errors) {
    List<RuleDefinition> rules = new ArrayList<>();
    if (section == null) {
      return rules;
    }
    RuleReader reader = new RuleReader(map, parameters, errors);
    if (!section.isObject()) {
      reader.error("Rules", "Template format error: the Rules section must be an object");
      return rules;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      RuleDefinition rule = reader.rule(e.getKey(), e.getValue(), "Rules/" + e.getKey());
      if (rule != null) {
        rules.add(rule);
      }
    }
    return rules;
  }

  private void error(String path, String message) {
    errors.add(map.error(path, message));
  }

  private RuleDefinition rule(String name, JsonNode node, String path) {
    int before = errors.size();
    if (!node.isObject()) {
      error(path, "Template format error: every rule must be an object with Assertions");
      return null;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("RuleCondition") && !key.equals("Assertions")) {
        error(path + "/" + key, "Template format error: Invalid rule property '" + key + "' in rule " + name
            + " (a rule has RuleCondition and Assertions)");
      }
    }
    JsonNode condition = node.get("RuleCondition");
    if (condition != null) {
      expression(condition, path + "/RuleCondition");
    }
    JsonNode assertions = node.get("Assertions");
    List<RuleDefinition.Assertion> out = new ArrayList<>();
    if (assertions == null || !assertions.isArray() || assertions.isEmpty()) {
      error(path, "Template format error: rule " + name + " must have Assertions, a list of {Assert, "
          + "AssertDescription}");
      return null;
    }
    for (int i = 0; i < assertions.size(); i++) {
      JsonNode a = assertions.get(i);
      String at = path + "/Assertions/" + i;
      if (!a.isObject() || !a.has("Assert")) {
        error(at, "Template format error: every assertion of rule " + name + " needs an Assert");
        continue;
      }
      expression(a.get("Assert"), at + "/Assert");
      JsonNode description = a.get("AssertDescription");
      if (description != null && !description.isTextual()) {
        error(at + "/AssertDescription", "Template format error: AssertDescription must be a string");
        continue;
      }
      out.add(new RuleDefinition.Assertion(a.get("Assert"), description == null ? null : description.textValue()));
    }
    return errors.size() > before ? null : new RuleDefinition(name, condition, out);
  }

  /** Checks a rule expression: the rule functions with their arguments, and Refs to parameters. */
  private void expression(JsonNode node, String path) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        expression(node.get(i), path + "/" + i);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (node.size() != 1) {
      error(path, "Template format error: a rule expression must be a rule function, a Ref or a value");
      return;
    }
    Map.Entry<String, JsonNode> only = node.fields().next();
    String fn = only.getKey();
    JsonNode arg = only.getValue();
    String at = path + "/" + fn;
    if (fn.equals("Ref")) {
      if (!arg.isTextual() || !(parameters.contains(arg.textValue()) || PseudoParameters.isPseudo(arg.textValue()))) {
        error(at, "Template format error: Unresolved dependencies [" + arg.asText() + "]. Rules can refer only to "
            + "parameters and pseudo parameters");
      }
      return;
    }
    Integer arity = FUNCTIONS.get(fn);
    if (arity == null) {
      error(at, "Template format error: " + fn + " cannot be used in Rules; rule functions are "
          + new java.util.TreeSet<>(FUNCTIONS.keySet()) + " and Ref");
      return;
    }
    if (arity == 0) {
      if (!arg.isTextual()) {
        error(at, "Template format error: " + fn + " requires a parameter type such as CloudStack::Zone::Name");
      } else {
        parameterType(fn, arg.textValue(), at);
      }
      return;
    }
    if (!arg.isArray() || (arity > 0 && arg.size() != arity) || (arity < 0 && (arg.size() < 2 || arg.size() > 10))) {
      error(at, "Template format error: " + fn + " requires a list of " + (arity < 0 ? "2 to 10" : arity)
          + " arguments");
      return;
    }
    if (fn.equals("Fn::ValueOf") && !(arg.get(0).isTextual() && parameters.contains(arg.get(0).textValue()))) {
      error(at + "/0", "Template format error: Fn::ValueOf requires the name of a parameter first");
      return;
    }
    if (fn.equals("Fn::ValueOfAll") && !arg.get(0).isTextual()) {
      error(at + "/0", "Template format error: Fn::ValueOfAll requires a parameter type such as CloudStack::Zone::Name "
          + "first");
      return;
    }
    if (fn.equals("Fn::ValueOfAll") && !parameterType(fn, arg.get(0).textValue(), at + "/0")) {
      return;
    }
    expression(arg, at);
  }

  /** True when {@code type} is a parameter type; else the error is added. */
  private boolean parameterType(String fn, String type, String path) {
    try {
      ParameterTypes.parse(type);
      return true;
    } catch (IllegalArgumentException e) {
      error(path, e.getMessage() + " (in " + fn + ")");
      return false;
    }
  }
}
