package org.stacktician.template.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.SourceMap;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.functions.PseudoParameters;

/**
 * Checks a template's rules against a stack's parameter values, as CloudFormation does before it
 * creates or updates a stack: a rule whose RuleCondition holds (or that has none) must have every
 * Assert true, or the stack is refused with the assertion's AssertDescription. The planner calls
 * this for plan and create; an update calls it with the new values.
 *
 * <p>{@code Fn::RefAll}, {@code Fn::ValueOf} and {@code Fn::ValueOfAll} ask the cloud about the
 * objects a parameter names; no cloud is consulted here, so an assertion that depends on them is
 * not decided (it neither passes nor fails the stack). {@code Fn::Contains},
 * {@code Fn::EachMemberEquals}, {@code Fn::EachMemberIn} and the logical functions are decided
 * from the values.
 */
public final class RuleChecker {
  /** A value that cannot be known without asking the cloud. */
  private static final Object UNKNOWN = new Object();

  private final Map<String, ResolvedParameter> parameters;
  private final StackContext context;

  private RuleChecker(Map<String, ResolvedParameter> parameters, StackContext context) {
    this.parameters = parameters;
    this.context = context;
  }

  /** Every failed assertion of {@code template}'s rules with these parameter values, in template order. */
  public static List<TemplateError> check(Template template, Map<String, ResolvedParameter> parameters,
      StackContext context) {
    List<TemplateError> errors = new ArrayList<>();
    SourceMap map = template.sourceMap();
    if (map == null || map.root() == null || !map.root().has("Rules")) {
      return errors;
    }
    List<RuleDefinition> rules = RuleReader.read(map.root().get("Rules"), map, template.parameters().keySet(), errors);
    RuleChecker checker = new RuleChecker(parameters, context);
    for (RuleDefinition rule : rules) {
      if (rule.condition() != null && !Boolean.TRUE.equals(checker.eval(rule.condition()))) {
        continue;
      }
      for (int i = 0; i < rule.assertions().size(); i++) {
        RuleDefinition.Assertion a = rule.assertions().get(i);
        if (Boolean.FALSE.equals(checker.eval(a.assertion()))) {
          errors.add(map.error("Rules/" + rule.name() + "/Assertions/" + i, a.description() != null
              ? a.description()
              : "Template error: the assertion of rule " + rule.name() + " is false for these parameter values"));
        }
      }
    }
    return errors;
  }

  /** A Boolean, a String, a List of Strings, or {@link #UNKNOWN}. */
  private Object eval(JsonNode node) {
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : node) {
        Object v = eval(item);
        if (v == UNKNOWN) {
          return UNKNOWN;
        }
        if (v instanceof List<?> inner) {
          inner.forEach(x -> items.add(String.valueOf(x)));
        } else {
          items.add(String.valueOf(v));
        }
      }
      return items;
    }
    if (!node.isObject()) {
      return node.isBoolean() ? node.booleanValue() : node.asText();
    }
    var only = node.fields().next();
    JsonNode arg = only.getValue();
    return switch (only.getKey()) {
      case "Ref" -> ref(arg.asText());
      case "Fn::And" -> junction(arg, false);
      case "Fn::Or" -> junction(arg, true);
      case "Fn::Not" -> {
        Object v = eval(arg.get(0));
        yield v instanceof Boolean b ? !b : UNKNOWN;
      }
      case "Fn::Equals" -> {
        Object a = eval(arg.get(0));
        Object b = eval(arg.get(1));
        yield a == UNKNOWN || b == UNKNOWN ? UNKNOWN : Objects.equals(String.valueOf(a), String.valueOf(b));
      }
      case "Fn::Contains" -> members(arg, (list, x) -> list.contains(x));
      case "Fn::EachMemberEquals" -> members(arg, (list, x) -> list.stream().allMatch(x::equals));
      case "Fn::EachMemberIn" -> {
        Object a = eval(arg.get(0));
        Object b = eval(arg.get(1));
        yield a instanceof List<?> l && b instanceof List<?> allowed ? allowed.containsAll(l) : UNKNOWN;
      }
      default -> UNKNOWN; // Fn::RefAll, Fn::ValueOf, Fn::ValueOfAll: the cloud's answer is not known here
    };
  }

  private Object ref(String name) {
    if (PseudoParameters.isPseudo(name)) {
      return context == null ? UNKNOWN : PseudoParameters.value(name, context).asText();
    }
    ResolvedParameter p = parameters.get(name);
    if (p == null) {
      return UNKNOWN;
    }
    if (p.value().isArray()) {
      List<String> items = new ArrayList<>();
      p.value().forEach(i -> items.add(i.asText()));
      return items;
    }
    return p.value().asText();
  }

  /** Fn::And ({@code decisive} false) or Fn::Or (true): decided by the first member that is {@code decisive}. */
  private Object junction(JsonNode args, boolean decisive) {
    boolean unknown = false;
    for (JsonNode a : args) {
      Object v = eval(a);
      if (Boolean.valueOf(decisive).equals(v)) {
        return decisive;
      }
      unknown |= !(v instanceof Boolean);
    }
    return unknown ? UNKNOWN : !decisive;
  }

  private Object members(JsonNode args, java.util.function.BiPredicate<List<?>, String> test) {
    Object list = eval(args.get(0));
    Object value = eval(args.get(1));
    if (!(list instanceof List<?> l) || value == UNKNOWN || value instanceof List) {
      return UNKNOWN;
    }
    return test.test(l, String.valueOf(value));
  }
}
