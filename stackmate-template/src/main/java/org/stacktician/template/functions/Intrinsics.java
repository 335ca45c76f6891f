package org.stacktician.template.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResolvedParameter;
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

  static final String REF_SHAPE = "Template format error: Every Ref object must have a single String value.";
  static final String GETATT_SHAPE = "Template error: every Fn::GetAtt object requires two non-empty parameters, "
      + "the resource name and the resource attribute";
  static final String JOIN_SHAPE = "Template error: every Fn::Join object requires two parameters, (1) a string "
      + "delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as "
      + "Fn::GetAZs) to be joined.";
  static final String SUB_SHAPE = "Template error: One or more Fn::Sub intrinsic functions don't specify expected "
      + "arguments. Specify a string as first argument, and an optional second argument to specify a mapping of "
      + "values to replace in the string";
  static final String SELECT_SHAPE =
      "Template error: Fn::Select requires a list argument with two elements: an integer index and a list";
  static final String SPLIT_SHAPE = "Template error: every Fn::Split object requires two parameters, (1) a string "
      + "delimiter and (2) a string to be split or a function that returns a string to be split.";
  static final String FINDINMAP_SHAPE = "Template error: every Fn::FindInMap object requires three parameters, the "
      + "map name, map key and the attribute for return value";
  static final String BASE64_SHAPE =
      "Template error: every Fn::Base64 object requires a string or a function that returns a string";
  static final String GETAZS_SHAPE = "Template error: Fn::GetAZs requires a region name: a string (\"\" for the "
      + "stack's region) or Ref AWS::Region";
  static final String CIDR_SHAPE = "Template error: every Fn::Cidr object requires three parameters, (1) an IP "
      + "address block in CIDR notation, (2) the count of subnets and (3) the number of subnet bits";
  static final String IMPORT_SHAPE =
      "Template error: every Fn::ImportValue object requires a string export name or a function that returns one";
  static final String IF_SHAPE = "Template error: every Fn::If object requires a list of 3 parameters: a condition "
      + "name, the value if the condition is true and the value if it is false";
  static final String EQUALS_SHAPE = "Template error: every Fn::Equals object requires a list of 2 string parameters.";
  static final String NOT_SHAPE = "Template error: every Fn::Not object requires a list of 1 boolean parameter.";
  static final String LENGTH_SHAPE = "Template error: Fn::Length requires a list or a function that returns a list";
  static final String TOJSON_SHAPE = "Template error: Fn::ToJsonString requires an object or a list";
  static final String NULL_VALUE = "'null' values are not allowed in templates";

  /** Functions this evaluator knows, for the "unsupported function" message. */
  static final List<String> SUPPORTED = List.of("Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAZs",
      "Fn::GetAtt", "Fn::If", "Fn::ImportValue", "Fn::Join", "Fn::Length", "Fn::Lookup", "Fn::Select",
      "Fn::Split", "Fn::Sub", "Fn::ToJsonString", "Ref");

  static final JsonNode NO_VALUE = MissingNode.getInstance();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An evaluated expression: the value (or the partial expression) and whether it is fully known. */
  record Out(JsonNode node, boolean known) {
    static Out known(JsonNode node) {
      return new Out(node, true);
    }

    static Out unknown(JsonNode node) {
      return new Out(node, false);
    }
  }

  /** State of one evaluation: errors, what it waits on, what it refers to. */
  static final class Run {
    final ResourceValues values;
    final Section section;
    final List<TemplateError> errors = new ArrayList<>();
    final Set<String> waitingOn = new LinkedHashSet<>();
    final Set<String> resources = new LinkedHashSet<>();
    final Set<String> conditionRefs = new LinkedHashSet<>();
    Function<String, Boolean> conditions;

    Run(ResourceValues values, Section section, Function<String, Boolean> conditions) {
      this.values = values;
      this.section = section;
      this.conditions = conditions;
    }
  }

  private final Template template;
  private final SourceMap sourceMap;
  private final Map<String, JsonNode> parameterValues;
  private final Map<String, Boolean> conditionValues;
  private final Set<String> excluded;
  private final StackContext context;

  /** An evaluator for planning and run time: parameters, conditions and the stack are known. */
  public Intrinsics(Template template, Map<String, ResolvedParameter> parameters,
      Map<String, Boolean> conditions, StackContext context) {
    this.template = template;
    this.sourceMap = template.sourceMap() == null ? SourceMap.empty(null) : template.sourceMap();
    Map<String, JsonNode> values = new LinkedHashMap<>();
    parameters.forEach((k, v) -> values.put(k, v.value()));
    this.parameterValues = values;
    this.conditionValues = Map.copyOf(conditions);
    Set<String> off = new HashSet<>();
    for (ResourceDefinition r : template.resources().values()) {
      if (r.condition() != null && !Boolean.TRUE.equals(conditions.get(r.condition()))) {
        off.add(r.logicalId());
      }
    }
    this.excluded = Set.copyOf(off);
    this.context = context;
  }

  private Intrinsics(Template template) {
    this.template = template;
    this.sourceMap = template.sourceMap() == null ? SourceMap.empty(null) : template.sourceMap();
    this.parameterValues = null;
    this.conditionValues = null;
    this.excluded = Set.of();
    this.context = null;
  }

  /** An evaluator for validation: nothing is known, every branch is checked. */
  public static Intrinsics forValidation(Template template) {
    return new Intrinsics(template);
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

  private Boolean conditionValue(String name) {
    return conditionValues == null ? null : conditionValues.get(name);
  }

  boolean validating() {
    return parameterValues == null;
  }

  Template template() {
    return template;
  }

  void error(Run run, NodePath path, String message) {
    run.errors.add(sourceMap.error(path.toString(), message));
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
      return Out.known(NODES.textNode(""));
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
        copy = NODES.objectNode();
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
        copy = NODES.arrayNode();
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
    return parameterValues == null && !out.known() ? Out.unknown(original) : out;
  }

  private Out apply(String name, JsonNode arg, ObjectNode original, NodePath path, Run run) {
    NodePath argPath = path.key(name);
    return switch (name) {
      case "Ref" -> ref(arg, original, argPath, run);
      case "Fn::GetAtt" -> getAtt(arg, original, argPath, run);
      case "Fn::Join" -> join(arg, original, argPath, run);
      case "Fn::Sub" -> sub(arg, original, argPath, run);
      case "Fn::Select" -> select(arg, original, argPath, run);
      case "Fn::Split" -> split(arg, original, argPath, run);
      case "Fn::FindInMap" -> findInMap(arg, original, argPath, run);
      case "Fn::Base64" -> base64(arg, original, argPath, run);
      case "Fn::GetAZs" -> getAzs(arg, original, argPath, run);
      case "Fn::Cidr" -> cidr(arg, original, argPath, run);
      case "Fn::ImportValue" -> importValue(arg, original, argPath, run);
      case "Fn::If" -> fnIf(arg, original, argPath, run);
      case "Fn::Length" -> length(arg, original, argPath, run);
      case "Fn::ToJsonString" -> toJsonString(arg, original, argPath, run);
      case "Fn::Lookup" -> lookup(arg, original, argPath, run);
      case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not" -> {
        error(run, path, "Template error: " + name + " is a condition function: define a condition with it in the "
            + "Conditions section and use the condition's name (in Fn::If or a Condition attribute)");
        yield Out.unknown(original);
      }
      case "Fn::ForEach", "Fn::Transform" -> {
        error(run, path, "Template error: " + name + " is not supported by StackMate");
        yield Out.unknown(original);
      }
      default -> {
        error(run, path, "Template format error: Encountered unsupported function: " + name
            + " Supported functions are: " + SUPPORTED);
        yield Out.unknown(original);
      }
    };
  }

  /** An unknown result: the rebuilt partial expression when planning, the original when validating (cheaper). */
  private Out partial(ObjectNode original, java.util.function.Supplier<JsonNode> rebuilt) {
    return Out.unknown(parameterValues == null ? original : rebuilt.get());
  }

  private static ObjectNode fn(String name, JsonNode arg) {
    ObjectNode o = NODES.objectNode();
    o.set(name, arg);
    return o;
  }

  private static ArrayNode list(JsonNode... items) {
    ArrayNode a = NODES.arrayNode();
    for (JsonNode item : items) {
      a.add(item);
    }
    return a;
  }

  /** A scalar as the string CloudFormation would use (numbers and booleans as written); null if not a scalar. */
  static String scalarText(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBigDecimal()) {
      return node.decimalValue().toPlainString();
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    return null;
  }

  // ---------------------------------------------------------------- Ref and friends

  private Out ref(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isTextual()) {
      error(run, path, REF_SHAPE);
      return Out.unknown(original);
    }
    return refName(arg.textValue(), original, path, run);
  }

  /** The value {@code Ref name} has; {@code original} is kept when it is not known yet. */
  private Out refName(String name, JsonNode original, NodePath path, Run run) {
    if (PseudoParameters.isPseudo(name)) {
      if (name.equals("AWS::NoValue")) {
        return Out.known(NO_VALUE);
      }
      return context == null ? Out.unknown(original) : Out.known(PseudoParameters.value(name, context));
    }
    if (template.parameters().containsKey(name)) {
      if (parameterValues == null) {
        return Out.unknown(original);
      }
      JsonNode value = parameterValues.get(name);
      return value == null ? Out.unknown(original) : Out.known(value);
    }
    if (template.resources().containsKey(name)) {
      if (!resourceAllowed(name, path, run)) {
        return Out.unknown(original);
      }
      Optional<JsonNode> physical = run.values.ref(name);
      if (physical.isPresent()) {
        return Out.known(physical.get());
      }
      run.waitingOn.add(name);
      return Out.unknown(original);
    }
    unresolved(name, path, run);
    return Out.unknown(original);
  }

  private boolean resourceAllowed(String name, NodePath path, Run run) {
    if (run.section == Section.CONDITIONS) {
      error(run, path, "Template error: Conditions can only refer to parameters, pseudo parameters and mappings; '"
          + name + "' is a resource");
      return false;
    }
    run.resources.add(name);
    if (excluded.contains(name)) {
      unresolved(name, path, run);
      return false;
    }
    return true;
  }

  private void unresolved(String name, NodePath path, Run run) {
    String message = "Unresolved resource dependencies [" + name + "] in the " + run.section.block
        + " block of the template";
    error(run, path, run.section == Section.OUTPUTS ? message : "Template format error: " + message);
  }

  private Out lookup(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isTextual() || !(PseudoParameters.isPseudo(arg.textValue())
        || template.parameters().containsKey(arg.textValue()))) {
      error(run, path, "Template error: Fn::Lookup (a StackMate extension) requires the name of a parameter or "
          + "pseudo parameter" + (arg.isTextual() ? "; '" + arg.textValue() + "' is neither" : ""));
      return Out.unknown(original);
    }
    return refName(arg.textValue(), original, path, run);
  }

  private Out getAtt(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    String resource;
    JsonNode attributeArg;
    if (arg.isTextual()) {
      String text = arg.textValue();
      int dot = text.indexOf('.');
      if (dot <= 0 || dot == text.length() - 1) {
        error(run, path, GETATT_SHAPE + " (write Resource.Attribute or [Resource, Attribute])");
        return Out.unknown(original);
      }
      resource = text.substring(0, dot);
      attributeArg = TextNode.valueOf(text.substring(dot + 1));
    } else if (arg.isArray() && arg.size() == 2 && arg.get(0).isTextual() && !arg.get(0).textValue().isEmpty()
        && (arg.get(1).isTextual() && !arg.get(1).textValue().isEmpty() || arg.get(1).isObject())) {
      resource = arg.get(0).textValue();
      attributeArg = arg.get(1);
    } else {
      error(run, path, GETATT_SHAPE);
      return Out.unknown(original);
    }
    if (!template.resources().containsKey(resource)) {
      error(run, path, "Template error: instance of Fn::GetAtt references undefined resource " + resource);
      return Out.unknown(original);
    }
    Out attribute = eval(attributeArg, path.index(1), run);
    if (!resourceAllowed(resource, path, run)) {
      return Out.unknown(original);
    }
    if (!attribute.known()) {
      run.waitingOn.add(resource);
      return partial(original, () -> fn("Fn::GetAtt", list(TextNode.valueOf(resource), attribute.node())));
    }
    String name = scalarText(attribute.node());
    if (name == null || name.isEmpty()) {
      error(run, path, GETATT_SHAPE + " (the attribute name must be a string)");
      return Out.unknown(original);
    }
    return attributeValue(resource, name, original, path, run);
  }

  private Out attributeValue(String resource, String attribute, JsonNode original, NodePath path, Run run) {
    Optional<JsonNode> value = run.values.getAtt(resource, attribute);
    if (value.isPresent()) {
      return Out.known(value.get());
    }
    if (run.values.created(resource)) {
      error(run, path, "Template error: resource " + resource + " does not support attribute type " + attribute
          + " in Fn::GetAtt");
      return Out.unknown(original);
    }
    run.waitingOn.add(resource);
    if (original == null || validating()) {
      return Out.unknown(original);
    }
    return Out.unknown(original.isObject() && original.has("Fn::GetAtt") && original.get("Fn::GetAtt").isArray()
        ? original : fn("Fn::GetAtt", list(TextNode.valueOf(resource), TextNode.valueOf(attribute))));
  }

  // ---------------------------------------------------------------- string functions

  private Out join(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 2 || !(arg.get(1).isArray() || arg.get(1).isObject())) {
      error(run, path, JOIN_SHAPE);
      return Out.unknown(original);
    }
    Out delimiter = eval(arg.get(0), path.index(0), run);
    Out values = eval(arg.get(1), path.index(1), run);
    if (delimiter.known() && !delimiter.node().isTextual()) {
      error(run, path.index(0), JOIN_SHAPE + " (the delimiter must be a string)");
      return Out.unknown(original);
    }
    if (!delimiter.known() || !values.known()) {
      return delimiter.node() == arg.get(0) && values.node() == arg.get(1) ? Out.unknown(original)
          : partial(original, () -> fn("Fn::Join", list(delimiter.node(), values.node())));
    }
    if (!values.node().isArray()) {
      error(run, path.index(1), JOIN_SHAPE);
      return Out.unknown(original);
    }
    String sep = scalarText(delimiter.node());
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (JsonNode item : values.node()) {
      String text = scalarText(item);
      if (text == null) {
        error(run, path.index(1).index(i), JOIN_SHAPE + " (element " + i + " is not a string)");
        return Out.unknown(original);
      }
      if (i++ > 0) {
        sb.append(sep);
      }
      sb.append(text);
    }
    return Out.known(TextNode.valueOf(sb.toString()));
  }

  private Out sub(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    String text;
    ObjectNode vars = null;
    if (arg.isTextual()) {
      text = arg.textValue();
    } else if (arg.isArray() && (arg.size() == 1 || arg.size() == 2) && arg.get(0).isTextual()
        && (arg.size() == 1 || arg.get(1).isObject())) {
      text = arg.get(0).textValue();
      vars = arg.size() == 2 ? (ObjectNode) arg.get(1) : null;
    } else {
      error(run, path, SUB_SHAPE);
      return Out.unknown(original);
    }
    Map<String, Out> variables = vars == null || vars.isEmpty() ? Map.of() : new LinkedHashMap<>();
    if (vars != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        variables.put(e.getKey(), eval(e.getValue(), path.index(1).key(e.getKey()), run));
      }
    }
    SubTemplate parsed = SubTemplate.parse(text);
    StringBuilder known = new StringBuilder();
    StringBuilder partial = new StringBuilder();
    ObjectNode remaining = null;
    boolean allKnown = true;
    boolean failed = false;
    for (SubTemplate.Part part : parsed.parts()) {
      if (part instanceof SubTemplate.Literal literal) {
        known.append(literal.text());
        partial.append(SubTemplate.escape(literal.text()));
        continue;
      }
      String name = ((SubTemplate.Variable) part).name();
      Out value;
      if (variables.containsKey(name)) {
        value = variables.get(name);
        if (!value.known()) {
          if (remaining == null) {
            remaining = NODES.objectNode();
          }
          remaining.set(name, value.node());
        }
      } else {
        value = subVariable(name, path, run);
        if (value == null) {
          failed = true;
          continue;
        }
      }
      if (!value.known()) {
        allKnown = false;
        partial.append("${").append(name).append('}');
        continue;
      }
      String s = scalarText(value.node());
      if (s == null) {
        if (value.node().isMissingNode()) {
          s = "";
        } else {
          error(run, path, "Template error: variable " + name + " in Fn::Sub expression is not a string (it is a "
              + (value.node().isArray() ? "list; use Fn::Join to make a string of it" : "non-string value") + ")");
          failed = true;
          continue;
        }
      }
      known.append(s);
      partial.append(SubTemplate.escape(s));
    }
    if (failed) {
      return Out.unknown(original);
    }
    if (allKnown) {
      return Out.known(TextNode.valueOf(known.toString()));
    }
    if (validating() || (vars == null && remaining == null && partial.toString().equals(text))) {
      return Out.unknown(original);
    }
    JsonNode rebuilt = remaining == null ? TextNode.valueOf(partial.toString())
        : list(TextNode.valueOf(partial.toString()), remaining);
    return Out.unknown(fn("Fn::Sub", rebuilt));
  }

  /** A {@code ${name}} not given in the Sub map: a parameter, pseudo parameter, resource, or Resource.Attribute. */
  private Out subVariable(String name, NodePath path, Run run) {
    JsonNode placeholder = null; // Sub only uses whether an unknown variable is known, not its node
    int dot = name.indexOf('.');
    if (dot > 0 && template.resources().containsKey(name.substring(0, dot))) {
      String resource = name.substring(0, dot);
      if (!resourceAllowed(resource, path, run)) {
        return null;
      }
      int before = run.errors.size();
      Out out = attributeValue(resource, name.substring(dot + 1), placeholder, path, run);
      return run.errors.size() > before ? null : out;
    }
    if (PseudoParameters.isPseudo(name) || template.parameters().containsKey(name)
        || template.resources().containsKey(name)) {
      int before = run.errors.size();
      Out out = refName(name, placeholder, path, run);
      return run.errors.size() > before ? null : out;
    }
    unresolved(name, path, run);
    return null;
  }

  private Out select(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 2) {
      error(run, path, SELECT_SHAPE);
      return Out.unknown(original);
    }
    Out index = eval(arg.get(0), path.index(0), run);
    JsonNode source = arg.get(1);
    List<Out> items = null;
    Out whole = null;
    if (source.isArray()) {
      items = new ArrayList<>();
      for (int i = 0; i < source.size(); i++) {
        Out item = eval(source.get(i), path.index(1).index(i), run);
        if (!item.node().isMissingNode()) {
          items.add(item);
        }
      }
    } else {
      whole = eval(source, path.index(1), run);
    }
    if ((!index.known() || (whole != null && !whole.known())) && validating()) {
      return Out.unknown(original);
    }
    if (!index.known() || (whole != null && !whole.known())) {
      JsonNode listNode;
      if (whole != null) {
        listNode = whole.node();
      } else {
        ArrayNode a = NODES.arrayNode();
        items.forEach(o -> a.add(o.node()));
        listNode = a;
      }
      return Out.unknown(fn("Fn::Select", list(index.node(), listNode)));
    }
    Integer i = integer(index.node());
    if (i == null) {
      error(run, path.index(0), SELECT_SHAPE + " (the index must be an integer, not " + index.node() + ")");
      return Out.unknown(original);
    }
    if (whole != null) {
      if (!whole.node().isArray()) {
        error(run, path.index(1), SELECT_SHAPE + " (the second element is not a list)");
        return Out.unknown(original);
      }
      items = new ArrayList<>();
      for (JsonNode n : whole.node()) {
        items.add(Out.known(n));
      }
    }
    if (i < 0 || i >= items.size()) {
      error(run, path.index(0), SELECT_SHAPE + " (index " + i + " is out of range for a list of " + items.size()
          + (items.size() == 1 ? " element)" : " elements)"));
      return Out.unknown(original);
    }
    return items.get(i);
  }

  /** An integer from a number or a string holding one; null otherwise. */
  static Integer integer(JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return node.intValue();
    }
    if (node.isNumber()) {
      BigDecimal d = node.decimalValue();
      try {
        return d.intValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    if (node.isTextual()) {
      try {
        return Integer.parseInt(node.textValue().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private Out split(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 2) {
      error(run, path, SPLIT_SHAPE);
      return Out.unknown(original);
    }
    Out delimiter = eval(arg.get(0), path.index(0), run);
    Out source = eval(arg.get(1), path.index(1), run);
    if (!delimiter.known() || !source.known()) {
      return delimiter.node() == arg.get(0) && source.node() == arg.get(1) ? Out.unknown(original)
          : partial(original, () -> fn("Fn::Split", list(delimiter.node(), source.node())));
    }
    String sep = delimiter.node().isTextual() ? delimiter.node().textValue() : null;
    String text = scalarText(source.node());
    if (sep == null || sep.isEmpty() || text == null) {
      error(run, path, SPLIT_SHAPE + (sep != null && sep.isEmpty() ? " (the delimiter is empty)" : ""));
      return Out.unknown(original);
    }
    ArrayNode out = NODES.arrayNode();
    int start = 0;
    while (true) {
      int at = text.indexOf(sep, start);
      if (at < 0) {
        out.add(text.substring(start));
        break;
      }
      out.add(text.substring(start, at));
      start = at + sep.length();
    }
    return Out.known(out);
  }

  private Out findInMap(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() < 3 || arg.size() > 4
        || (arg.size() == 4 && !(arg.get(3).isObject() && arg.get(3).size() == 1 && arg.get(3).has("DefaultValue")))) {
      error(run, path, FINDINMAP_SHAPE + (arg.isArray() && arg.size() == 4
          ? " (the optional fourth parameter is {\"DefaultValue\": value})" : ""));
      return Out.unknown(original);
    }
    Out[] keys = new Out[3];
    boolean known = true;
    for (int i = 0; i < 3; i++) {
      keys[i] = eval(arg.get(i), path.index(i), run);
      known &= keys[i].known();
    }
    Out fallback = arg.size() == 4 ? eval(arg.get(3).get("DefaultValue"), path.index(3).key("DefaultValue"), run) : null;
    if (keys[0].known() && keys[0].node().isTextual() && !template.mappings().has(keys[0].node().textValue())
        && fallback == null) {
      error(run, path.index(0), "Template error: Mapping named '" + keys[0].node().textValue()
          + "' is not present in the 'Mappings' section of template");
      return Out.unknown(original);
    }
    if (validating()) {
      return Out.unknown(original);
    }
    if (!known) {
      ArrayNode a = list(keys[0].node(), keys[1].node(), keys[2].node());
      if (fallback != null) {
        ObjectNode d = NODES.objectNode();
        d.set("DefaultValue", fallback.node());
        a.add(d);
      }
      return Out.unknown(fn("Fn::FindInMap", a));
    }
    String[] names = new String[3];
    for (int i = 0; i < 3; i++) {
      names[i] = scalarText(keys[i].node());
      if (names[i] == null) {
        error(run, path.index(i), FINDINMAP_SHAPE + " (parameter " + (i + 1) + " is not a string)");
        return Out.unknown(original);
      }
    }
    JsonNode value = template.mappings().path(names[0]).path(names[1]).path(names[2]);
    if (value.isMissingNode()) {
      if (fallback != null) {
        return fallback;
      }
      error(run, path, "Template error: Unable to get mapping for " + names[0] + "::" + names[1] + "::" + names[2]);
      return Out.unknown(original);
    }
    return Out.known(value);
  }

  private Out base64(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out value = eval(arg, path, run);
    if (!value.known()) {
      return value.node() == arg ? Out.unknown(original) : partial(original, () -> fn("Fn::Base64", value.node()));
    }
    String text = scalarText(value.node());
    if (text == null) {
      error(run, path, BASE64_SHAPE);
      return Out.unknown(original);
    }
    return Out.known(TextNode.valueOf(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))));
  }

  private Out getAzs(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out region = eval(arg, path, run);
    if (region.known() && scalarText(region.node()) == null) {
      error(run, path, GETAZS_SHAPE);
      return Out.unknown(original);
    }
    if (!region.known() || context == null || context.availabilityZones() == null) {
      return region.node() == arg ? Out.unknown(original) : partial(original, () -> fn("Fn::GetAZs", region.node()));
    }
    ArrayNode zones = NODES.arrayNode();
    context.availabilityZones().forEach(zones::add);
    return Out.known(zones);
  }

  private Out cidr(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 3) {
      error(run, path, CIDR_SHAPE);
      return Out.unknown(original);
    }
    Out block = eval(arg.get(0), path.index(0), run);
    Out count = eval(arg.get(1), path.index(1), run);
    Out bits = eval(arg.get(2), path.index(2), run);
    if (!block.known() || !count.known() || !bits.known()) {
      return partial(original, () -> fn("Fn::Cidr", list(block.node(), count.node(), bits.node())));
    }
    String ipBlock = scalarText(block.node());
    Integer n = integer(count.node());
    Integer b = integer(bits.node());
    if (ipBlock == null || n == null || b == null) {
      error(run, path, CIDR_SHAPE);
      return Out.unknown(original);
    }
    try {
      ArrayNode out = NODES.arrayNode();
      Cidr.subnets(ipBlock, n, b).forEach(out::add);
      return Out.known(out);
    } catch (IllegalArgumentException e) {
      error(run, path, CIDR_SHAPE + " (" + e.getMessage() + ")");
      return Out.unknown(original);
    }
  }

  private Out importValue(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out name = eval(arg, path, run);
    if (name.known() && scalarText(name.node()) == null) {
      error(run, path, IMPORT_SHAPE);
      return Out.unknown(original);
    }
    if (!name.known() || context == null || context.exports() == null) {
      return name.node() == arg ? Out.unknown(original) : partial(original, () -> fn("Fn::ImportValue", name.node()));
    }
    String exportName = scalarText(name.node());
    Optional<String> value = context.exports().find(exportName);
    if (value.isEmpty()) {
      error(run, path, "No export named " + exportName + " found.");
      return Out.unknown(original);
    }
    return Out.known(TextNode.valueOf(value.get()));
  }

  // ---------------------------------------------------------------- conditions and language extensions

  private Out fnIf(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 3 || !arg.get(0).isTextual()) {
      error(run, path, IF_SHAPE);
      return Out.unknown(original);
    }
    String condition = arg.get(0).textValue();
    if (!template.conditions().containsKey(condition)) {
      error(run, path, "Template error: unresolved condition dependency " + condition + " in Fn::If");
      return Out.unknown(original);
    }
    run.conditionRefs.add(condition);
    Boolean value = run.conditions.apply(condition);
    if (value == null) {
      Out yes = eval(arg.get(1), path.index(1), run);
      Out no = eval(arg.get(2), path.index(2), run);
      return partial(original, () -> fn("Fn::If", list(arg.get(0), yes.node(), no.node())));
    }
    return value ? eval(arg.get(1), path.index(1), run) : eval(arg.get(2), path.index(2), run);
  }

  private Out length(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out value = eval(arg, path, run);
    if (value.node().isArray()) {
      return Out.known(IntNode.valueOf(value.node().size()));
    }
    if (!value.known()) {
      return value.node() == arg ? Out.unknown(original) : partial(original, () -> fn("Fn::Length", value.node()));
    }
    error(run, path, LENGTH_SHAPE);
    return Out.unknown(original);
  }

  private Out toJsonString(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out value = eval(arg, path, run);
    if (!value.known()) {
      return value.node() == arg ? Out.unknown(original) : partial(original, () -> fn("Fn::ToJsonString", value.node()));
    }
    if (!value.node().isContainerNode()) {
      error(run, path, TOJSON_SHAPE);
      return Out.unknown(original);
    }
    try {
      return Out.known(TextNode.valueOf(JSON.writeValueAsString(value.node())));
    } catch (JsonProcessingException e) {
      error(run, path, TOJSON_SHAPE + " (" + e.getOriginalMessage() + ")");
      return Out.unknown(original);
    }
  }

  /**
   * Evaluates a condition expression (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition) to a
   * boolean, or null when it depends on something not known (validation).
   */
  Boolean evalCondition(JsonNode node, NodePath path, Run run) {
    if (!(node instanceof ObjectNode object) || object.size() != 1) {
      error(run, path, "Template error: a condition must be one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or "
          + "Condition");
      return null;
    }
    Map.Entry<String, JsonNode> only = object.fields().next();
    String name = only.getKey();
    JsonNode arg = only.getValue();
    NodePath argPath = path.key(name);
    switch (name) {
      case "Fn::Equals" -> {
        if (!arg.isArray() || arg.size() != 2) {
          error(run, argPath, EQUALS_SHAPE);
          return null;
        }
        Out a = eval(arg.get(0), argPath.index(0), run);
        Out b = eval(arg.get(1), argPath.index(1), run);
        if (!a.known() || !b.known()) {
          return null;
        }
        return sameValue(a.node(), b.node());
      }
      case "Fn::And", "Fn::Or" -> {
        if (!arg.isArray() || arg.size() < 2 || arg.size() > 10) {
          error(run, argPath, "Template error: every " + name + " object requires a list of at least 2 and at most "
              + "10 boolean parameters.");
          return null;
        }
        boolean and = name.equals("Fn::And");
        boolean unknown = false;
        Boolean decided = null;
        for (int i = 0; i < arg.size(); i++) {
          Boolean v = evalCondition(arg.get(i), argPath.index(i), run);
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
      case "Fn::Not" -> {
        if (!arg.isArray() || arg.size() != 1) {
          error(run, argPath, NOT_SHAPE);
          return null;
        }
        Boolean v = evalCondition(arg.get(0), argPath.index(0), run);
        return v == null ? null : !v;
      }
      case "Condition" -> {
        if (!arg.isTextual()) {
          error(run, argPath, "Template error: a Condition reference requires the name of a condition as a string");
          return null;
        }
        String ref = arg.textValue();
        if (!template.conditions().containsKey(ref)) {
          error(run, argPath, "Template error: unresolved condition dependency " + ref + " in Condition");
          return null;
        }
        run.conditionRefs.add(ref);
        return run.conditions.apply(ref);
      }
      default -> {
        error(run, path, "Template error: a condition must be one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or "
            + "Condition, not " + name);
        return null;
      }
    }
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
