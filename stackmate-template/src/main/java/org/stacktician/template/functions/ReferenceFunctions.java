package org.stacktician.template.functions;

import static org.stacktician.template.functions.Nodes.fn;
import static org.stacktician.template.functions.Nodes.list;
import static org.stacktician.template.functions.Nodes.scalarText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Optional;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.functions.Intrinsics.Section;

/** Functions that refer to something by name: Ref, Fn::GetAtt, Fn::Lookup, Fn::ImportValue and Fn::GetStackOutput. */
final class ReferenceFunctions {
  static final String REF_SHAPE = "Template format error: Every Ref object must have a single String value.";
  static final String GETATT_SHAPE = "Template error: every Fn::GetAtt object requires two non-empty parameters, "
      + "the resource name and the resource attribute";
  static final String IMPORT_SHAPE =
      "Template error: every Fn::ImportValue object requires a string export name or a function that returns one";

  static final String GET_STACK_OUTPUT_SHAPE = "Template error: Fn::GetStackOutput requires an object with "
      + "StackName and OutputName (and optionally Region)";

  /** The value of {@code Ref AWS::NoValue}: the property is removed. */
  static final JsonNode NO_VALUE = MissingNode.getInstance();

  private final Intrinsics ev;
  private final Template template;

  ReferenceFunctions(Intrinsics ev) {
    this.ev = ev;
    this.template = ev.template();
  }

  Out ref(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isTextual()) {
      return ev.fail(run, path, REF_SHAPE, original);
    }
    return refName(arg.textValue(), original, path, run);
  }

  /** The value {@code Ref name} has; {@code original} is kept when it is not known yet. */
  private Out refName(String name, JsonNode original, NodePath path, Run run) {
    if (PseudoParameters.isPseudo(name)) {
      if (name.equals("AWS::NoValue")) {
        return Out.known(NO_VALUE);
      }
      StackContext context = ev.context();
      return context == null ? Out.unknown(original) : Out.known(PseudoParameters.value(name, context));
    }
    if (template.parameters().containsKey(name)) {
      JsonNode value = ev.parameterValue(name);
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
      ev.error(run, path, "Template error: Conditions can only refer to parameters, pseudo parameters and mappings; '"
          + name + "' is a resource");
      return false;
    }
    run.resources.add(name);
    if (ev.excluded(name)) {
      unresolved(name, path, run);
      return false;
    }
    return true;
  }

  private void unresolved(String name, NodePath path, Run run) {
    String message = "Unresolved resource dependencies [" + name + "] in the " + run.section.block
        + " block of the template";
    ev.error(run, path, run.section == Section.OUTPUTS ? message : "Template format error: " + message);
  }

  Out lookup(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isTextual() || !(PseudoParameters.isPseudo(arg.textValue())
        || template.parameters().containsKey(arg.textValue()))) {
      return ev.fail(run, path, "Template error: Fn::Lookup (a StackMate extension) requires the name of a "
          + "parameter or pseudo parameter" + (arg.isTextual() ? "; '" + arg.textValue() + "' is neither" : ""),
          original);
    }
    return refName(arg.textValue(), original, path, run);
  }

  Out getAtt(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    String resource;
    JsonNode attributeArg;
    if (arg.isTextual()) {
      String text = arg.textValue();
      int dot = text.indexOf('.');
      if (dot <= 0 || dot == text.length() - 1) {
        return ev.fail(run, path, GETATT_SHAPE + " (write Resource.Attribute or [Resource, Attribute])", original);
      }
      resource = text.substring(0, dot);
      attributeArg = TextNode.valueOf(text.substring(dot + 1));
    } else if (arg.isArray() && arg.size() == 2 && arg.get(0).isTextual() && !arg.get(0).textValue().isEmpty()
        && (arg.get(1).isTextual() && !arg.get(1).textValue().isEmpty() || arg.get(1).isObject())) {
      resource = arg.get(0).textValue();
      attributeArg = arg.get(1);
    } else {
      return ev.fail(run, path, GETATT_SHAPE, original);
    }
    if (!template.resources().containsKey(resource)) {
      return ev.fail(run, path, "Template error: instance of Fn::GetAtt references undefined resource " + resource,
          original);
    }
    Out attribute = ev.eval(attributeArg, path.index(1), run);
    if (!resourceAllowed(resource, path, run)) {
      return Out.unknown(original);
    }
    if (!attribute.known()) {
      run.waitingOn.add(resource);
      return ev.partial(original, () -> fn("Fn::GetAtt", list(TextNode.valueOf(resource), attribute.node())));
    }
    String name = scalarText(attribute.node());
    if (name == null || name.isEmpty()) {
      return ev.fail(run, path, GETATT_SHAPE + " (the attribute name must be a string)", original);
    }
    return attributeValue(resource, name, original, path, run);
  }

  private Out attributeValue(String resource, String attribute, JsonNode original, NodePath path, Run run) {
    Optional<JsonNode> value = run.values.getAtt(resource, attribute);
    if (value.isPresent()) {
      return Out.known(value.get());
    }
    if (run.values.created(resource)) {
      ev.error(run, path, run.values.whyNoAttribute(resource, attribute)
          .map(why -> "Template error: Fn::GetAtt " + resource + "." + attribute + ": " + why)
          .orElse("Template error: resource " + resource + " does not support attribute type " + attribute
              + " in Fn::GetAtt"));
      return Out.unknown(original);
    }
    run.waitingOn.add(resource);
    if (original == null || ev.validating()) {
      return Out.unknown(original);
    }
    return Out.unknown(original.isObject() && original.has("Fn::GetAtt") && original.get("Fn::GetAtt").isArray()
        ? original : fn("Fn::GetAtt", list(TextNode.valueOf(resource), TextNode.valueOf(attribute))));
  }

  /**
   * A {@code ${name}} of Fn::Sub not given in its map: a parameter, pseudo parameter, resource, or
   * Resource.Attribute; null after an error.
   */
  Out subVariable(String name, NodePath path, Run run) {
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

  Out importValue(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out name = ev.eval(arg, path, run);
    if (name.known() && scalarText(name.node()) == null) {
      return ev.fail(run, path, IMPORT_SHAPE, original);
    }
    StackContext context = ev.context();
    if (!name.known() || context == null || context.exports() == null) {
      return ev.pending("Fn::ImportValue", arg, name, original);
    }
    String exportName = scalarText(name.node());
    Optional<String> value = context.exports().find(exportName);
    if (value.isEmpty()) {
      return ev.fail(run, path, "No export named " + exportName + " found.", original);
    }
    return Out.known(TextNode.valueOf(value.get()));
  }

  Out getStackOutput(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isObject() || !arg.has("StackName") || !arg.has("OutputName")) {
      return ev.fail(run, path, GET_STACK_OUTPUT_SHAPE, original);
    }
    for (java.util.Iterator<String> it = arg.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!java.util.Set.of("StackName", "OutputName", "Region", "RoleArn").contains(key)) {
        return ev.fail(run, path, GET_STACK_OUTPUT_SHAPE + " ('" + key + "' is not one of them)", original);
      }
    }
    if (arg.has("RoleArn")) {
      return ev.fail(run, path, "Template error: Fn::GetStackOutput with RoleArn reads another account's stack; "
          + "StackMate reads the stacks of the same store and cloud", original);
    }
    Out args = ev.eval(arg, path, run);
    StackContext context = ev.context();
    if (!args.known() || context == null || context.exports() == null) {
      return ev.pending("Fn::GetStackOutput", arg, args, original);
    }
    String stack = scalarText(args.node().get("StackName"));
    String output = scalarText(args.node().get("OutputName"));
    if (stack == null || stack.isEmpty() || output == null || output.isEmpty()) {
      return ev.fail(run, path, GET_STACK_OUTPUT_SHAPE + " (StackName and OutputName must be strings)", original);
    }
    String region = args.node().has("Region") ? scalarText(args.node().get("Region")) : null;
    if (region != null && !region.equals(context.region())) {
      return ev.fail(run, path, "Template error: Fn::GetStackOutput cannot read stack " + stack + " in region "
          + region + "; StackMate reads the stacks of the same store and cloud (region " + context.region() + ")",
          original);
    }
    Optional<String> value = context.exports().stackOutput(stack, output);
    if (value.isEmpty()) {
      return ev.fail(run, path, "Template error: Fn::GetStackOutput found no output " + output + " of a stack "
          + stack + " in this cloud", original);
    }
    return Out.known(TextNode.valueOf(value.get()));
  }
}
