package org.stacktician.template.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.stacktician.template.CloudObjects;
import org.stacktician.template.ParameterDefinition;
import org.stacktician.template.ParameterType;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.SourceMap;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.functions.PseudoParameters;
import org.stacktician.template.parameters.ParameterTypes;

/**
 * Checks a template's rules against a stack's parameter values, as CloudFormation does before it
 * creates or updates a stack: a rule whose RuleCondition holds (or that has none) must have every
 * Assert true, or the stack is refused with the assertion's AssertDescription. The planner calls
 * this for plan and create; an update calls it with the new values.
 *
 * <p>{@code Fn::RefAll}, {@code Fn::ValueOf} and {@code Fn::ValueOfAll} ask the cloud, through the
 * context's {@link CloudObjects}, about the objects CloudStack-aware parameter types name. Without
 * one (offline), an assertion that depends on them is not decided: {@link #evaluate} lists it as
 * undecided, and it neither passes nor fails the stack. A question the cloud cannot answer (a type
 * that names no CloudStack object, an unknown attribute, a value naming no object) fails the
 * assertion with the reason.
 */
public final class RuleChecker {
  /** A value that cannot be known here. */
  private static final Object UNKNOWN = new Object();

  /** The rule functions that ask the cloud. */
  static final Set<String> CLOUD_FUNCTIONS = Set.of("Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll");

  private final Template template;
  private final Map<String, ResolvedParameter> parameters;
  private final StackContext context;
  /** The cloud functions met, while evaluating one expression, that could not ask a cloud. */
  private final Set<String> offline = new LinkedHashSet<>();

  private RuleChecker(Template template, Map<String, ResolvedParameter> parameters, StackContext context) {
    this.template = template;
    this.parameters = parameters;
    this.context = context;
  }

  /**
   * What the rules say about these parameter values: the failed assertions, and the assertions
   * (or rule conditions) left undecided because they need the cloud and none is at hand.
   */
  public record Outcome(List<TemplateError> failed, List<TemplateError> undecided) {
    public Outcome {
      failed = List.copyOf(failed);
      undecided = List.copyOf(undecided);
    }
  }

  /** Every failed assertion of {@code template}'s rules with these parameter values, in template order. */
  public static List<TemplateError> check(Template template, Map<String, ResolvedParameter> parameters,
      StackContext context) {
    return evaluate(template, parameters, context).failed();
  }

  /** The rules of {@code template} evaluated with these parameter values (see {@link Outcome}). */
  public static Outcome evaluate(Template template, Map<String, ResolvedParameter> parameters, StackContext context) {
    List<TemplateError> failed = new ArrayList<>();
    List<TemplateError> undecided = new ArrayList<>();
    SourceMap map = template.sourceMap();
    if (map == null || map.root() == null || !map.root().has("Rules")) {
      return new Outcome(failed, undecided);
    }
    List<RuleDefinition> rules = RuleReader.read(map.root().get("Rules"), map, template.parameters().keySet(), failed);
    RuleChecker checker = new RuleChecker(template, parameters, context);
    for (RuleDefinition rule : rules) {
      String path = "Rules/" + rule.name();
      if (rule.condition() != null) {
        Object holds = checker.decide(rule.condition(), path + "/RuleCondition", map, failed, undecided);
        if (!Boolean.TRUE.equals(holds)) {
          continue;
        }
      }
      for (int i = 0; i < rule.assertions().size(); i++) {
        RuleDefinition.Assertion a = rule.assertions().get(i);
        String at = path + "/Assertions/" + i;
        if (Boolean.FALSE.equals(checker.decide(a.assertion(), at, map, failed, undecided))) {
          failed.add(map.error(at, a.description() != null ? a.description()
              : "Template error: the assertion of rule " + rule.name() + " is false for these parameter values"));
        }
      }
    }
    return new Outcome(failed, undecided);
  }

  /**
   * One question a rule asks the cloud: where (the assertion or rule condition), the function, its
   * first argument as written (a parameter type, or {@code Fn::ValueOf}'s parameter), the parameter
   * type it asks about, and the attribute when written as a literal (null for {@code Fn::RefAll} or
   * a computed attribute).
   */
  public record CloudQuestion(String path, String function, String argument, ParameterType type, String attribute) {
    /** How messages name the question: {@code Fn::RefAll CloudStack::Zone::Name}, {@code Fn::ValueOf [Zone, name]}. */
    public String describe() {
      return function + " " + (attribute == null ? argument : "[" + argument + ", " + attribute + "]");
    }
  }

  /** Every question the rules of {@code template} ask the cloud, in template order (none for rules with errors). */
  public static List<CloudQuestion> cloudQuestions(Template template) {
    List<CloudQuestion> out = new ArrayList<>();
    SourceMap map = template.sourceMap();
    if (map == null || map.root() == null || !map.root().has("Rules")) {
      return out;
    }
    for (RuleDefinition rule : RuleReader.read(map.root().get("Rules"), map, template.parameters().keySet(),
        new ArrayList<>())) {
      String path = "Rules/" + rule.name();
      if (rule.condition() != null) {
        questions(template, rule.condition(), path + "/RuleCondition", out);
      }
      for (int i = 0; i < rule.assertions().size(); i++) {
        questions(template, rule.assertions().get(i).assertion(), path + "/Assertions/" + i, out);
      }
    }
    return out;
  }

  private static void questions(Template template, JsonNode node, String path, List<CloudQuestion> into) {
    if (node.isArray()) {
      node.forEach(n -> questions(template, n, path, into));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    node.fields().forEachRemaining(e -> {
      JsonNode arg = e.getValue();
      ParameterType type = switch (e.getKey()) {
        case "Fn::RefAll" -> ParameterTypes.parse(arg.asText());
        case "Fn::ValueOfAll" -> ParameterTypes.parse(arg.get(0).asText());
        case "Fn::ValueOf" -> template.parameters().get(arg.get(0).asText()).parsedType();
        default -> null;
      };
      if (type != null) {
        JsonNode attribute = e.getKey().equals("Fn::RefAll") ? null : arg.get(1);
        into.add(new CloudQuestion(path, e.getKey(), e.getKey().equals("Fn::RefAll") ? arg.asText()
            : arg.get(0).asText(), type, attribute != null && attribute.isTextual() ? attribute.textValue() : null));
      }
      questions(template, arg, path, into);
    });
  }

  /**
   * The assertions and rule conditions of {@code template} that use a function asking the cloud,
   * each with the message that it cannot be evaluated offline; for validate-template, which has no
   * parameter values to evaluate anything with.
   */
  public static List<TemplateError> needingTheCloud(Template template) {
    Map<String, Set<String>> byPath = new java.util.LinkedHashMap<>();
    for (CloudQuestion q : cloudQuestions(template)) {
      byPath.computeIfAbsent(q.path(), k -> new LinkedHashSet<>()).add(q.function());
    }
    List<TemplateError> out = new ArrayList<>();
    byPath.forEach((path, functions) -> offlineMessage(functions)
        .ifPresent(m -> out.add(template.sourceMap().error(path, m))));
    return out;
  }

  /** Why {@code type} gives a rule function no meaning on CloudStack, or empty when it names a CloudStack object. */
  public static Optional<String> noCloudStackObject(String function, ParameterType type) {
    return type.cloudStack().isPresent() ? Optional.empty() : Optional.of(function + ": " + type.name()
        + " names no CloudStack object; on CloudStack use a CloudStack-aware type such as CloudStack::Zone::Name, "
        + "CloudStack::ServiceOffering::Id or CloudStack::Network::Id");
  }

  private static Optional<String> offlineMessage(Set<String> functions) {
    return functions.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", functions)
        + " cannot be evaluated offline: needs the cloud (the assertion is checked when the stack is created or"
        + " updated, or planned with a cloud)");
  }

  /** Evaluates one assertion or condition: a Boolean, or UNKNOWN (recorded as undecided when the cloud was missing). */
  private Object decide(JsonNode expression, String path, SourceMap map, List<TemplateError> failed,
      List<TemplateError> undecided) {
    offline.clear();
    Object v;
    try {
      v = eval(expression);
    } catch (CloudObjects.Refused e) {
      failed.add(map.error(path, e.getMessage()));
      return UNKNOWN;
    }
    if (!(v instanceof Boolean) && !offline.isEmpty()) {
      offlineMessage(offline).ifPresent(m -> undecided.add(map.error(path, m)));
    }
    return v;
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
      case "Fn::RefAll" -> refAll(arg.asText());
      case "Fn::ValueOf" -> valueOf(arg.get(0).asText(), eval(arg.get(1)));
      case "Fn::ValueOfAll" -> valueOfAll(arg.get(0).asText(), eval(arg.get(1)));
      default -> UNKNOWN;
    };
  }

  /** Fn::RefAll: the id or name of every object of a CloudStack-aware type in the stack's cloud. */
  private Object refAll(String type) {
    CloudObjects cloud = cloud("Fn::RefAll");
    if (cloud == null) {
      return UNKNOWN;
    }
    ParameterType.CloudStackReference ref = reference("Fn::RefAll", type);
    return asking("Fn::RefAll " + type, "", () -> List.copyOf(cloud.all(ref)));
  }

  /** A question to the cloud; what it refuses is reported naming the function ({@code what}) and {@code about}. */
  private static <T> T asking(String what, String about, java.util.function.Supplier<T> question) {
    try {
      return question.get();
    } catch (CloudObjects.Refused e) {
      throw new CloudObjects.Refused(what + ": " + e.getMessage() + about);
    }
  }

  /** The attribute of the object {@code value} names, asked for a function ({@code what}; {@code about}: whose value). */
  private static Optional<String> attribute(CloudObjects cloud, String what, String about,
      ParameterType.CloudStackReference ref, String value, String attribute) {
    return asking(what, about, () -> cloud.attribute(ref, value, attribute));
  }

  /**
   * Fn::ValueOf: the attribute of the object a parameter names; for a list parameter a list, one
   * member per item ("" where the item's object lacks the attribute, e.g. an untagged network).
   */
  private Object valueOf(String parameter, Object attribute) {
    CloudObjects cloud = cloud("Fn::ValueOf");
    ParameterDefinition def = template.parameters().get(parameter);
    ResolvedParameter p = parameters.get(parameter);
    if (cloud == null || def == null || p == null || p.value() == null || !(attribute instanceof String name)) {
      return UNKNOWN;
    }
    ParameterType.CloudStackReference ref = def.parsedType().cloudStack().orElseThrow(() -> new CloudObjects.Refused(
        "Fn::ValueOf: parameter " + parameter + " is of type " + def.type() + ", which names no CloudStack object; "
            + "Fn::ValueOf needs a CloudStack-aware type such as CloudStack::Zone::Name or List<CloudStack::Network::Id>"));
    String what = "Fn::ValueOf [" + parameter + ", " + name + "]";
    if (!p.value().isArray()) {
      return attribute(cloud, what, "", ref, p.value().asText(), name).orElse("");
    }
    List<String> values = new ArrayList<>();
    p.value().forEach(item -> values.add(attribute(cloud, what, "", ref, item.asText(), name).orElse("")));
    return values;
  }

  /**
   * Fn::ValueOfAll: the attribute of every object that the stack's parameters of this type (or a list
   * of it) name, as CloudFormation's "the Department tag of every parameter of type AWS::EC2::VPC::Id";
   * objects without the attribute are left out.
   */
  private Object valueOfAll(String type, Object attribute) {
    CloudObjects cloud = cloud("Fn::ValueOfAll");
    if (cloud == null || !(attribute instanceof String name)) {
      return UNKNOWN;
    }
    ParameterType.CloudStackReference ref = reference("Fn::ValueOfAll", type);
    String what = "Fn::ValueOfAll [" + type + ", " + name + "]";
    List<String> values = new ArrayList<>();
    for (ParameterDefinition def : template.parameters().values()) {
      ResolvedParameter p = parameters.get(def.name());
      if (!ref.equals(def.parsedType().cloudStack().orElse(null)) || p == null || p.value() == null) {
        continue;
      }
      String about = " (a value of parameter " + def.name() + ")";
      if (p.value().isArray()) {
        p.value().forEach(item -> attribute(cloud, what, about, ref, item.asText(), name).ifPresent(values::add));
      } else {
        attribute(cloud, what, about, ref, p.value().asText(), name).ifPresent(values::add);
      }
    }
    return values;
  }

  /** The context's cloud objects, or null after noting that {@code function} needed them. */
  private CloudObjects cloud(String function) {
    CloudObjects cloud = context == null ? null : context.cloudObjects();
    if (cloud == null) {
      offline.add(function);
    }
    return cloud;
  }

  /** The CloudStack object a rule function's parameter type names. */
  private static ParameterType.CloudStackReference reference(String function, String type) {
    ParameterType parsed;
    try {
      parsed = ParameterTypes.parse(type);
    } catch (IllegalArgumentException e) {
      throw new CloudObjects.Refused(function + ": " + e.getMessage());
    }
    noCloudStackObject(function, parsed).ifPresent(m -> {
      throw new CloudObjects.Refused(m);
    });
    return parsed.cloudStack().orElseThrow();
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
