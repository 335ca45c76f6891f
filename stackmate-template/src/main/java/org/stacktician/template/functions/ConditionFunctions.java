package org.stacktician.template.functions;

import static org.stacktician.template.functions.Nodes.fn;
import static org.stacktician.template.functions.Nodes.list;
import static org.stacktician.template.functions.Nodes.scalarText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.stacktician.template.Template;

/** Fn::If, and the condition functions of the Conditions section: Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition. */
final class ConditionFunctions {
  static final String IF_SHAPE = "Template error: every Fn::If object requires a list of 3 parameters: a condition "
      + "name, the value if the condition is true and the value if it is false";
  static final String EQUALS_SHAPE = "Template error: every Fn::Equals object requires a list of 2 string parameters.";
  static final String NOT_SHAPE = "Template error: every Fn::Not object requires a list of 1 boolean parameter.";
  static final String CONDITION_SHAPE =
      "Template error: a condition must be one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition";

  private final Intrinsics ev;
  private final Template template;

  ConditionFunctions(Intrinsics ev) {
    this.ev = ev;
    this.template = ev.template();
  }

  Out fnIf(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 3 || !arg.get(0).isTextual()) {
      return ev.fail(run, path, IF_SHAPE, original);
    }
    String condition = arg.get(0).textValue();
    if (!template.conditions().containsKey(condition)) {
      return ev.fail(run, path, "Template error: unresolved condition dependency " + condition + " in Fn::If",
          original);
    }
    run.conditionRefs.add(condition);
    Boolean value = run.conditions.apply(condition);
    if (value == null) {
      Out yes = ev.eval(arg.get(1), path.index(1), run);
      Out no = ev.eval(arg.get(2), path.index(2), run);
      return ev.partial(original, () -> fn("Fn::If", list(arg.get(0), yes.node(), no.node())));
    }
    return value ? ev.eval(arg.get(1), path.index(1), run) : ev.eval(arg.get(2), path.index(2), run);
  }

  /**
   * Evaluates a condition expression (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition) to a
   * boolean, or null when it depends on something not known (validation) or after an error.
   */
  Boolean evalCondition(JsonNode node, NodePath path, Run run) {
    if (!(node instanceof ObjectNode object) || object.size() != 1) {
      ev.error(run, path, CONDITION_SHAPE);
      return null;
    }
    Map.Entry<String, JsonNode> only = object.fields().next();
    String name = only.getKey();
    JsonNode arg = only.getValue();
    NodePath argPath = path.key(name);
    return switch (name) {
      case "Fn::Equals" -> equals(arg, argPath, run);
      case "Fn::And", "Fn::Or" -> andOr(name, arg, argPath, run);
      case "Fn::Not" -> not(arg, argPath, run);
      case "Condition" -> condition(arg, argPath, run);
      default -> {
        ev.error(run, path, CONDITION_SHAPE + ", not " + name);
        yield null;
      }
    };
  }

  private Boolean equals(JsonNode arg, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 2) {
      ev.error(run, path, EQUALS_SHAPE);
      return null;
    }
    Out a = ev.eval(arg.get(0), path.index(0), run);
    Out b = ev.eval(arg.get(1), path.index(1), run);
    if (!a.known() || !b.known()) {
      return null;
    }
    return sameValue(a.node(), b.node());
  }

  private Boolean andOr(String name, JsonNode arg, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() < 2 || arg.size() > 10) {
      ev.error(run, path, "Template error: every " + name + " object requires a list of at least 2 and at most "
          + "10 boolean parameters.");
      return null;
    }
    boolean and = name.equals("Fn::And");
    boolean unknown = false;
    Boolean decided = null;
    for (int i = 0; i < arg.size(); i++) {
      Boolean v = evalCondition(arg.get(i), path.index(i), run);
      if (v == null) {
        unknown = true;
      } else if (v != and && decided == null) {
        decided = v;
      }
    }
    if (decided != null) {
      return decided;
    }
    return unknown ? null : and;
  }

  private Boolean not(JsonNode arg, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 1) {
      ev.error(run, path, NOT_SHAPE);
      return null;
    }
    Boolean v = evalCondition(arg.get(0), path.index(0), run);
    return v == null ? null : !v;
  }

  private Boolean condition(JsonNode arg, NodePath path, Run run) {
    if (!arg.isTextual()) {
      ev.error(run, path, "Template error: a Condition reference requires the name of a condition as a string");
      return null;
    }
    String ref = arg.textValue();
    if (!template.conditions().containsKey(ref)) {
      ev.error(run, path, "Template error: unresolved condition dependency " + ref + " in Condition");
      return null;
    }
    run.conditionRefs.add(ref);
    return run.conditions.apply(ref);
  }

  /** Fn::Equals: values compared as strings (so 1 equals "1"); lists element by element. */
  static boolean sameValue(JsonNode a, JsonNode b) {
    String sa = scalarText(a);
    String sb = scalarText(b);
    if (sa != null && sb != null) {
      return sa.equals(sb);
    }
    if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        if (!sameValue(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
