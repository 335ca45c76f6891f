package org.stacktician.engine.change;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.stacktician.template.Template;
import org.stacktician.template.functions.SubTemplate;

/**
 * The names an expression refers to: {@code Ref}, {@code Fn::GetAtt} and the variables of {@code
 * Fn::Sub}, and (for parameters) the conditions its {@code Fn::If}s test. A reference to an
 * attribute is written {@code LogicalId.Attribute}.
 */
final class References {
  private References() {}

  /** Every name referred to by {@code Ref}/{@code Fn::Sub} and every {@code X.Attr} of a GetAtt. */
  static Set<String> of(JsonNode expression) {
    Set<String> out = new LinkedHashSet<>();
    walk(expression, out, null);
    return out;
  }

  /** {@link #of}, plus what the conditions tested by its {@code Fn::If}s refer to, at any depth. */
  static Set<String> withConditions(JsonNode expression, Template template) {
    Set<String> out = new LinkedHashSet<>();
    walk(expression, out, template);
    return out;
  }

  private static void walk(JsonNode node, Set<String> out, Template template) {
    if (node == null) {
      return;
    }
    if (node.isArray()) {
      node.forEach(n -> walk(n, out, template));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (node.size() == 1) {
      Map.Entry<String, JsonNode> only = node.fields().next();
      JsonNode arg = only.getValue();
      switch (only.getKey()) {
        case "Ref" -> {
          if (arg.isTextual()) {
            out.add(arg.textValue());
          }
          return;
        }
        case "Fn::GetAtt" -> {
          if (arg.isTextual()) {
            out.add(arg.textValue());
          } else if (arg.isArray() && arg.size() == 2 && arg.get(0).isTextual()) {
            out.add(arg.get(0).textValue() + "." + (arg.get(1).isTextual() ? arg.get(1).textValue() : "*"));
            walk(arg.get(1), out, template);
          }
          return;
        }
        case "Fn::Sub" -> {
          JsonNode text = arg.isArray() ? arg.path(0) : arg;
          Set<String> local = new LinkedHashSet<>();
          if (arg.isArray() && arg.path(1).isObject()) {
            arg.get(1).fieldNames().forEachRemaining(local::add);
            walk(arg.get(1), out, template);
          }
          if (text.isTextual()) {
            subVariables(text.textValue(), local, out);
          }
          return;
        }
        case "Fn::If", "Condition" -> {
          String condition = arg.isTextual() ? arg.textValue() : arg.isArray() ? arg.path(0).asText(null) : null;
          if (template != null && condition != null && template.conditions().containsKey(condition)
              && out.add("Condition:" + condition)) {
            walk(template.conditions().get(condition), out, template);
          }
          if (arg.isArray()) {
            for (int i = 1; i < arg.size(); i++) {
              walk(arg.get(i), out, template);
            }
          }
          return;
        }
        default -> { }
      }
    }
    node.forEach(n -> walk(n, out, template));
  }

  private static void subVariables(String text, Set<String> local, Set<String> out) {
    try {
      for (SubTemplate.Part part : SubTemplate.parse(text).parts()) {
        if (part instanceof SubTemplate.Variable v && !local.contains(v.name())) {
          out.add(v.name());
        }
      }
    } catch (RuntimeException malformed) {
      // the planner reports a malformed Fn::Sub; a change set only looks for names
    }
  }
}
