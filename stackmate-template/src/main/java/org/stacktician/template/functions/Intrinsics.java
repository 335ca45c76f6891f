package org.stacktician.template.functions;

import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.SourceMap;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;

/**
 * Evaluates intrinsic functions with CloudFormation's semantics and error messages (the messages
 * are AWS's own, as recorded in LocalStack's AWS-validated snapshots, with specifics added in
 * parentheses). One evaluator serves three uses: validation (parameters, conditions and resources
 * unknown, so every branch is checked and every reference recorded), planning (parameters and
 * conditions known, resources not yet created) and run time (resources supplied by the engine).
 * Whatever cannot be known yet stays as the function object, with known parts substituted.
 *
 * <p>This class walks the expression and dispatches each function to its family
 * ({@link ReferenceFunctions}, {@link StringFunctions}, {@link ListFunctions},
 * {@link MappingFunctions}, {@link ConditionFunctions}), which hold the function's checks and messages.
 *
 * <p>Reference: AWS CloudFormation User Guide, "Intrinsic function reference".
 */
public final class Intrinsics {
  /** The template section an expression is in; it decides what may be referenced and how errors read. */
  public enum Section {
    RESOURCES("Resources"), OUTPUTS("Outputs"), CONDITIONS("Conditions");

    final String block;

    Section(String block) {
      this.block = block;
    }

    /** The section a path such as {@code Outputs/Url/Value} belongs to. */
    public static Section of(String path) {
      if (path != null && path.startsWith("Outputs")) {
        return OUTPUTS;
      }
      if (path != null && path.startsWith("Conditions")) {
        return CONDITIONS;
      }
      return RESOURCES;
    }
  }

  /** What validation found in one expression: errors, and the resources and conditions it refers to. */
  public record Check(List<TemplateError> errors, Set<String> resources, Set<String> conditions) {}

  static final String NULL_VALUE = "'null' values are not allowed in templates";

  /** Functions this evaluator knows, for the "unsupported function" message. */
  static final List<String> SUPPORTED = List.of("Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAZs",
      "Fn::GetAtt", "Fn::GetStackOutput", "Fn::If", "Fn::ImportValue", "Fn::Join", "Fn::Length", "Fn::Lookup", "Fn::Select",
      "Fn::Split", "Fn::Sub", "Fn::ToJsonString", "Ref");

  private final Template template;
  private final SourceMap sourceMap;
  private final Map<String, JsonNode> parameterValues;
  private final Map<String, Boolean> conditionValues;
  private final Set<String> excluded;
  private final StackContext context;
  private final ConditionFunctions conditionFunctions;
  private final Map<String, IntrinsicFunction> functions;

  /** An evaluator for planning and run time: parameters, conditions and the stack are known. */
  public Intrinsics(Template template, Map<String, ResolvedParameter> parameters,
      Map<String, Boolean> conditions, StackContext context) {
    this(template, valuesOf(parameters), Map.copyOf(conditions), excludedBy(template, conditions), context);
  }

  private Intrinsics(Template template, Map<String, JsonNode> parameterValues, Map<String, Boolean> conditionValues,
      Set<String> excluded, StackContext context) {
    this.template = template;
    this.sourceMap = template.sourceMap() == null ? SourceMap.empty(null) : template.sourceMap();
    this.parameterValues = parameterValues;
    this.conditionValues = conditionValues;
    this.excluded = excluded;
    this.context = context;
    this.conditionFunctions = new ConditionFunctions(this);
    this.functions = dispatch(conditionFunctions);
  }

  /** An evaluator for validation: nothing is known, every branch is checked. */
  public static Intrinsics forValidation(Template template) {
    return new Intrinsics(template, null, null, Set.of(), null);
  }

  private static Map<String, JsonNode> valuesOf(Map<String, ResolvedParameter> parameters) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    parameters.forEach((k, v) -> values.put(k, v.value()));
    return values;
  }

  /** Resources whose Condition is not true: referring to them is an error. */
  private static Set<String> excludedBy(Template template, Map<String, Boolean> conditions) {
    Set<String> off = new HashSet<>();
    for (ResourceDefinition r : template.resources().values()) {
      if (r.condition() != null && !Boolean.TRUE.equals(conditions.get(r.condition()))) {
        off.add(r.logicalId());
      }
    }
    return Set.copyOf(off);
  }

  private Map<String, IntrinsicFunction> dispatch(ConditionFunctions conditions) {
    ReferenceFunctions references = new ReferenceFunctions(this);
    StringFunctions strings = new StringFunctions(this, references);
    ListFunctions lists = new ListFunctions(this);
    MappingFunctions mappings = new MappingFunctions(this);
    return Map.ofEntries(
        entry("Ref", references::ref),
        entry("Fn::GetAtt", references::getAtt),
        entry("Fn::Lookup", references::lookup),
        entry("Fn::ImportValue", references::importValue),
        entry("Fn::GetStackOutput", references::getStackOutput),
        entry("Fn::Join", strings::join),
        entry("Fn::Sub", strings::sub),
        entry("Fn::Split", strings::split),
        entry("Fn::Base64", strings::base64),
        entry("Fn::ToJsonString", strings::toJsonString),
        entry("Fn::Select", lists::select),
        entry("Fn::Length", lists::length),
        entry("Fn::GetAZs", lists::getAzs),
        entry("Fn::Cidr", lists::cidr),
        entry("Fn::FindInMap", mappings::findInMap),
        entry("Fn::If", conditions::fnIf));
  }

  /** Resolves an expression; see {@link org.stacktician.template.Evaluator#resolve}. */
  public Resolution resolve(JsonNode expression, String path, ResourceValues values) {
    Run run = new Run(values == null ? ResourceValues.NONE : values, Section.of(path), this::conditionValue);
    Out out = eval(expression, NodePath.of(path), run);
    if (!run.errors.isEmpty()) {
      return new Resolution.Failed(run.errors);
    }
    if (!out.known()) {
      return new Resolution.Deferred(out.node(), run.waitingOn);
    }
    return new Resolution.Resolved(out.node());
  }

  /** Validates an expression of the given section, recording the resources and conditions it refers to. */
  public Check check(JsonNode expression, String path, Section section) {
    Run run = new Run(ResourceValues.NONE, section, name -> null);
    if (section == Section.CONDITIONS) {
      evalCondition(expression, NodePath.of(path), run);
    } else {
      eval(expression, NodePath.of(path), run);
    }
    return new Check(run.errors, run.resources, run.conditionRefs);
  }

  /** See {@link ConditionFunctions#evalCondition}. */
  Boolean evalCondition(JsonNode node, NodePath path, Run run) {
    return conditionFunctions.evalCondition(node, path, run);
  }

  private Boolean conditionValue(String name) {
    return conditionValues == null ? null : conditionValues.get(name);
  }

  // ---------------------------------------------------------------- what the function families share

  boolean validating() {
    return parameterValues == null;
  }

  Template template() {
    return template;
  }

  /** The stack being planned or run; null when validating. */
  StackContext context() {
    return context;
  }

  /** A parameter's resolved value; null when validating or not given. */
  JsonNode parameterValue(String name) {
    return parameterValues == null ? null : parameterValues.get(name);
  }

  /** Whether a resource is left out because its condition is false. */
  boolean excluded(String resource) {
    return excluded.contains(resource);
  }

  void error(Run run, NodePath path, String message) {
    run.errors.add(sourceMap.error(path.toString(), message));
  }

  /** Records an error and keeps the function object as it was. */
  Out fail(Run run, NodePath path, String message, ObjectNode original) {
    error(run, path, message);
    return Out.unknown(original);
  }

  /** An unknown result: the rebuilt partial expression when planning, the original when validating (cheaper). */
  Out partial(ObjectNode original, Supplier<JsonNode> rebuilt) {
    return Out.unknown(validating() ? original : rebuilt.get());
  }

  /** A one-argument function whose argument is not known yet: the original if the argument is unchanged. */
  Out pending(String name, JsonNode arg, Out value, ObjectNode original) {
    return value.node() == arg ? Out.unknown(original) : partial(original, () -> Nodes.fn(name, value.node()));
  }

  // ---------------------------------------------------------------- generic walk

  Out eval(JsonNode node, NodePath path, Run run) {
    if (node instanceof ObjectNode object) {
      if (object.size() == 1) {
        Map.Entry<String, JsonNode> only = object.fields().next();
        String key = only.getKey();
        if (key.equals("Ref") || key.startsWith("Fn::")) {
          return function(key, only.getValue(), object, path, run);
        }
      }
      return evalObject(object, path, run);
    }
    if (node instanceof ArrayNode array) {
      return evalArray(array, path, run);
    }
    if (node == null || node.isNull()) {
      error(run, path, "[/" + path + "] " + NULL_VALUE);
      return Out.known(Nodes.NODES.textNode(""));
    }
    return Out.known(node);
  }

  private Out evalObject(ObjectNode object, NodePath path, Run run) {
    ObjectNode copy = null;
    boolean known = true;
    int i = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); i++) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode child = e.getValue();
      if (child instanceof ValueNode && !(child instanceof NullNode)) {
        if (copy != null) {
          copy.set(e.getKey(), child);
        }
        continue;
      }
      Out out = eval(child, path.key(e.getKey()), run);
      known &= out.known();
      if (copy == null && out.node() != child) {
        copy = Nodes.NODES.objectNode();
        int j = 0;
        for (Iterator<Map.Entry<String, JsonNode>> before = object.fields(); j < i; j++) {
          Map.Entry<String, JsonNode> b = before.next();
          copy.set(b.getKey(), b.getValue());
        }
      }
      if (copy != null && !out.node().isMissingNode()) {
        copy.set(e.getKey(), out.node());
      }
    }
    return new Out(copy == null ? object : copy, known);
  }

  private Out evalArray(ArrayNode array, NodePath path, Run run) {
    ArrayNode copy = null;
    boolean known = true;
    for (int i = 0; i < array.size(); i++) {
      JsonNode child = array.get(i);
      if (child instanceof ValueNode && !(child instanceof NullNode)) {
        if (copy != null) {
          copy.add(child);
        }
        continue;
      }
      Out out = eval(child, path.index(i), run);
      known &= out.known();
      if (copy == null && out.node() != child) {
        copy = Nodes.NODES.arrayNode();
        for (int j = 0; j < i; j++) {
          copy.add(array.get(j));
        }
      }
      if (copy != null && !out.node().isMissingNode()) {
        copy.add(out.node());
      }
    }
    return new Out(copy == null ? array : copy, known);
  }

  private Out function(String name, JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out out = apply(name, arg, original, path, run);
    // validation only needs errors and references: keep the original instead of a rebuilt partial
    return validating() && !out.known() ? Out.unknown(original) : out;
  }

  private Out apply(String name, JsonNode arg, ObjectNode original, NodePath path, Run run) {
    IntrinsicFunction function = functions.get(name);
    if (function != null) {
      return function.apply(arg, original, path.key(name), run);
    }
    return switch (name) {
      case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not" -> fail(run, path, "Template error: " + name
          + " is a condition function: define a condition with it in the Conditions section and use the "
          + "condition's name (in Fn::If or a Condition attribute)", original);
      case "Fn::ForEach", "Fn::Transform" ->
          fail(run, path, "Template error: " + name + " is not supported by StackMate", original);
      default -> fail(run, path, "Template format error: Encountered unsupported function: " + name
          + " Supported functions are: " + SUPPORTED, original);
    };
  }
}
