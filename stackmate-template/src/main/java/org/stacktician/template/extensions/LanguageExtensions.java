package org.stacktician.template.extensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.stacktician.template.parameters.ParameterResolver;

/** What the {@code AWS::LanguageExtensions} transform needs to know about a template as written. */
public final class LanguageExtensions {
  /** The transform's name. */
  public static final String TRANSFORM = "AWS::LanguageExtensions";

  private LanguageExtensions() {}

  /** True when the document's Transform section names {@value #TRANSFORM}. */
  public static boolean declared(JsonNode root) {
    JsonNode t = root.get("Transform");
    if (t == null) {
      return false;
    }
    if (t.isTextual()) {
      return t.textValue().equals(TRANSFORM);
    }
    for (JsonNode n : t) {
      if (n.isTextual() && n.textValue().equals(TRANSFORM)) {
        return true;
      }
    }
    return false;
  }

  /** The names of the document's list parameters ({@code CommaDelimitedList}, {@code List<...>}). */
  public static Set<String> listParameters(JsonNode root) {
    Set<String> out = new LinkedHashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Parameters").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String type = e.getValue().path("Type").asText("");
      if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /**
   * The parameters' values for {@code Fn::ForEach}: those given for the stack (null when validating
   * alone), else each one's Default, a list parameter's split at commas as CloudFormation splits it.
   * A parameter with neither is absent.
   */
  public static Map<String, JsonNode> parameterValues(JsonNode root, Map<String, JsonNode> given) {
    if (given != null) {
      return given;
    }
    Set<String> lists = listParameters(root);
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Parameters").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode d = e.getValue().get("Default");
      if (d == null || !d.isValueNode() || d.isNull()) {
        continue;
      }
      if (lists.contains(e.getKey())) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        ParameterResolver.members(d.asText()).forEach(items::add);
        out.put(e.getKey(), items);
      } else {
        out.put(e.getKey(), TextNode.valueOf(d.asText()));
      }
    }
    return out;
  }
}
