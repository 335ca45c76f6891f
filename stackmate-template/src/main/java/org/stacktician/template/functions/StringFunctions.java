package org.stacktician.template.functions;

import static org.stacktician.template.functions.Nodes.NODES;
import static org.stacktician.template.functions.Nodes.fn;
import static org.stacktician.template.functions.Nodes.list;
import static org.stacktician.template.functions.Nodes.scalarText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Functions that make strings: Fn::Join, Fn::Sub, Fn::Split, Fn::Base64 and Fn::ToJsonString. */
final class StringFunctions {
  static final String JOIN_SHAPE = "Template error: every Fn::Join object requires two parameters, (1) a string "
      + "delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as "
      + "Fn::GetAZs) to be joined.";
  static final String SUB_SHAPE = "Template error: One or more Fn::Sub intrinsic functions don't specify expected "
      + "arguments. Specify a string as first argument, and an optional second argument to specify a mapping of "
      + "values to replace in the string";
  static final String SPLIT_SHAPE = "Template error: every Fn::Split object requires two parameters, (1) a string "
      + "delimiter and (2) a string to be split or a function that returns a string to be split.";
  static final String BASE64_SHAPE =
      "Template error: every Fn::Base64 object requires a string or a function that returns a string";
  static final String TOJSON_SHAPE = "Template error: Fn::ToJsonString requires an object or a list";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Intrinsics ev;
  private final ReferenceFunctions references;

  StringFunctions(Intrinsics ev, ReferenceFunctions references) {
    this.ev = ev;
    this.references = references;
  }

  Out join(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 2 || !(arg.get(1).isArray() || arg.get(1).isObject())) {
      return ev.fail(run, path, JOIN_SHAPE, original);
    }
    Out delimiter = ev.eval(arg.get(0), path.index(0), run);
    Out values = ev.eval(arg.get(1), path.index(1), run);
    if (delimiter.known() && !delimiter.node().isTextual()) {
      return ev.fail(run, path.index(0), JOIN_SHAPE + " (the delimiter must be a string)", original);
    }
    if (!delimiter.known() || !values.known()) {
      return delimiter.node() == arg.get(0) && values.node() == arg.get(1) ? Out.unknown(original)
          : ev.partial(original, () -> fn("Fn::Join", list(delimiter.node(), values.node())));
    }
    if (!values.node().isArray()) {
      return ev.fail(run, path.index(1), JOIN_SHAPE, original);
    }
    String sep = scalarText(delimiter.node());
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (JsonNode item : values.node()) {
      String text = scalarText(item);
      if (text == null) {
        return ev.fail(run, path.index(1).index(i), JOIN_SHAPE + " (element " + i + " is not a string)", original);
      }
      if (i++ > 0) {
        sb.append(sep);
      }
      sb.append(text);
    }
    return Out.known(TextNode.valueOf(sb.toString()));
  }

  Out sub(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    String text;
    ObjectNode vars = null;
    if (arg.isTextual()) {
      text = arg.textValue();
    } else if (arg.isArray() && (arg.size() == 1 || arg.size() == 2) && arg.get(0).isTextual()
        && (arg.size() == 1 || arg.get(1).isObject())) {
      text = arg.get(0).textValue();
      vars = arg.size() == 2 ? (ObjectNode) arg.get(1) : null;
    } else {
      return ev.fail(run, path, SUB_SHAPE, original);
    }
    Map<String, Out> variables = vars == null || vars.isEmpty() ? Map.of() : new LinkedHashMap<>();
    if (vars != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        variables.put(e.getKey(), ev.eval(e.getValue(), path.index(1).key(e.getKey()), run));
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
        value = references.subVariable(name, path, run);
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
          ev.error(run, path, "Template error: variable " + name + " in Fn::Sub expression is not a string (it is a "
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
    if (ev.validating() || (vars == null && remaining == null && partial.toString().equals(text))) {
      return Out.unknown(original);
    }
    JsonNode rebuilt = remaining == null ? TextNode.valueOf(partial.toString())
        : list(TextNode.valueOf(partial.toString()), remaining);
    return Out.unknown(fn("Fn::Sub", rebuilt));
  }

  Out split(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 2) {
      return ev.fail(run, path, SPLIT_SHAPE, original);
    }
    Out delimiter = ev.eval(arg.get(0), path.index(0), run);
    Out source = ev.eval(arg.get(1), path.index(1), run);
    if (!delimiter.known() || !source.known()) {
      return delimiter.node() == arg.get(0) && source.node() == arg.get(1) ? Out.unknown(original)
          : ev.partial(original, () -> fn("Fn::Split", list(delimiter.node(), source.node())));
    }
    String sep = delimiter.node().isTextual() ? delimiter.node().textValue() : null;
    String text = scalarText(source.node());
    if (sep == null || sep.isEmpty() || text == null) {
      return ev.fail(run, path, SPLIT_SHAPE + (sep != null && sep.isEmpty() ? " (the delimiter is empty)" : ""),
          original);
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

  Out base64(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out value = ev.eval(arg, path, run);
    if (!value.known()) {
      return ev.pending("Fn::Base64", arg, value, original);
    }
    String text = scalarText(value.node());
    if (text == null) {
      return ev.fail(run, path, BASE64_SHAPE, original);
    }
    return Out.known(TextNode.valueOf(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))));
  }

  Out toJsonString(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out value = ev.eval(arg, path, run);
    if (!value.known()) {
      return ev.pending("Fn::ToJsonString", arg, value, original);
    }
    if (!value.node().isContainerNode()) {
      return ev.fail(run, path, TOJSON_SHAPE, original);
    }
    try {
      return Out.known(TextNode.valueOf(JSON.writeValueAsString(value.node())));
    } catch (JsonProcessingException e) {
      return ev.fail(run, path, TOJSON_SHAPE + " (" + e.getOriginalMessage() + ")", original);
    }
  }
}
