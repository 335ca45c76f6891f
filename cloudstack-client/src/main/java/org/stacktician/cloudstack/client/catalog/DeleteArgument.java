package org.stacktician.cloudstack.client.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One parameter of a resource type's delete call and where its value comes from.
 *
 * <p>{@code source} syntax:
 * <ul>
 * <li>{@code param:<name>}: the value the create call was given (a map parameter copies every
 *     {@code <name>[i].<sub>} entry);</li>
 * <li>{@code value:<literal>}: a fixed value (e.g. {@code lock=false} for disableAccount);</li>
 * <li>{@code <field>}: a field of the create result object (e.g. {@code id}, {@code name});</li>
 * <li>{@code <list>[*].<field>}: that field of every element: the delete is called once per value
 *     (e.g. {@code ingressrule[*].ruleid});</li>
 * <li>{@code <list>[<key>=param:<p>].<field>}: the element whose {@code key} equals create
 *     parameter {@code p} (e.g. {@code nic[networkid=param:networkid].id}).</li>
 * </ul>
 */
public record DeleteArgument(String parameter, String source) {

  public DeleteArgument {
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(source, "source");
  }

  /** True when the value is the create call's own parameter, not part of its answer. */
  public boolean fromCreateParameter() {
    return source.startsWith("param:");
  }

  /** True when the value is fixed, not taken from the created instance. */
  public boolean fixedValue() {
    return source.startsWith("value:");
  }

  /**
   * The delete calls for a created resource: one parameter map per call (several when a
   * {@code [*]} source yields several values; none when a required value is missing).
   *
   * @param arguments the type's delete arguments
   * @param resultObject the create result object ({@code {"id":...}}); may be null for success-only creates
   * @param createParams the (flattened) parameters the create call was sent
   */
  public static List<Map<String, String>> deleteCalls(List<DeleteArgument> arguments, JsonNode resultObject,
      Map<String, String> createParams) {
    Map<String, String> fixed = new LinkedHashMap<>();
    String fanOutParameter = null;
    List<String> fanOutValues = List.of();
    for (DeleteArgument argument : arguments) {
      List<String> values = argument.values(resultObject, createParams, fixed);
      if (argument.source.contains("[*]")) {
        fanOutParameter = argument.parameter;
        fanOutValues = values;
      } else if (values.size() == 1) {
        fixed.put(argument.parameter, values.getFirst());
      }
    }
    if (fanOutParameter == null) {
      return fixed.isEmpty() ? List.of() : List.of(Map.copyOf(fixed));
    }
    List<Map<String, String>> calls = new ArrayList<>();
    for (String value : fanOutValues) {
      Map<String, String> call = new LinkedHashMap<>(fixed);
      call.put(fanOutParameter, value);
      calls.add(Map.copyOf(call));
    }
    return List.copyOf(calls);
  }

  private List<String> values(JsonNode result, Map<String, String> createParams, Map<String, String> mapEntries) {
    if (source.startsWith("value:")) {
      return List.of(source.substring("value:".length()));
    }
    if (fromCreateParameter()) {
      String name = source.substring("param:".length());
      String value = createParams.get(name);
      if (value != null) {
        return List.of(value);
      }
      String prefix = name + "[";
      createParams.forEach((k, v) -> {
        if (k.startsWith(prefix)) {
          mapEntries.put(parameter + k.substring(name.length()), v); // map parameter: copied entry by entry
        }
      });
      return List.of();
    }
    if (result == null) {
      return List.of();
    }
    int bracket = source.indexOf('[');
    if (bracket < 0) {
      return scalar(result.get(source));
    }
    String list = source.substring(0, bracket);
    String selector = source.substring(bracket + 1, source.indexOf(']'));
    String field = source.substring(source.indexOf("].") + 2);
    List<String> values = new ArrayList<>();
    for (JsonNode element : result.path(list)) {
      if (!selector.equals("*")) {
        String key = selector.substring(0, selector.indexOf('='));
        String wanted = selector.substring(selector.indexOf('=') + 1);
        if (wanted.startsWith("param:")) {
          wanted = createParams.get(wanted.substring("param:".length()));
        }
        if (wanted == null || !wanted.equals(element.path(key).asText(null))) {
          continue;
        }
      }
      values.addAll(scalar(element.get(field)));
    }
    return values;
  }

  private static List<String> scalar(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode() || node.asText().isEmpty()) {
      return List.of();
    }
    return List.of(node.asText());
  }
}
