package org.stacktician.cloudstack.client.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads CloudStack response envelopes by rule, never by computing names (CLOUDSTACK-API.md §5, §7):
 * the response is the single top-level key, whatever it is called ({@code listvpcresponse},
 * {@code disableResponse}, ...); a list's items are under its only key other than {@code count};
 * an empty list is {@code {}}; a job result is the single key of {@code jobresult}.
 */
public final class ResponseEnvelope {

  private ResponseEnvelope() {
  }

  /** The object inside the single top-level key; empty when the body is not such an envelope. */
  public static Optional<JsonNode> unwrap(JsonNode body) {
    if (body == null || !body.isObject() || body.size() != 1) {
      return Optional.empty();
    }
    JsonNode inner = body.elements().next();
    return inner.isObject() ? Optional.of(inner) : Optional.empty();
  }

  /** The single top-level key (e.g. {@code listvirtualmachinesresponse}); empty when there is not exactly one. */
  public static Optional<String> responseName(JsonNode body) {
    if (body == null || !body.isObject() || body.size() != 1) {
      return Optional.empty();
    }
    return Optional.of(body.fieldNames().next());
  }

  /**
   * The items of a list response's inner object: the array under the only key other than
   * {@code count}; a lone object there counts as one item (e.g. listCapabilities); {@code {}} is
   * an empty list.
   */
  public static List<JsonNode> listItems(JsonNode inner) {
    Optional<Map.Entry<String, JsonNode>> entry = itemEntry(inner);
    if (entry.isEmpty()) {
      return List.of();
    }
    JsonNode value = entry.get().getValue();
    List<JsonNode> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(items::add);
    } else if (value.isObject()) {
      items.add(value);
    }
    return List.copyOf(items);
  }

  /** The item key of a list response ({@code virtualmachine}, {@code asyncjobs}, ...); empty for {@code {}}. */
  public static Optional<String> itemKey(JsonNode inner) {
    return itemEntry(inner).map(Map.Entry::getKey);
  }

  /** The {@code count} of a list response: the total over all pages; 0 for {@code {}}. */
  public static int count(JsonNode inner) {
    JsonNode count = inner == null ? null : inner.get("count");
    return count == null ? 0 : count.asInt(0);
  }

  /**
   * The object of a single-object response or job result ({@code {"virtualmachine":{...}}} gives
   * the VM): the value of the single key; for list-shaped answers ({@code registerTemplate}:
   * {@code {"count":1,"template":[...]}}) the first item. Empty for success-only answers.
   */
  public static Optional<JsonNode> resultObject(JsonNode innerOrJobResult) {
    Optional<Map.Entry<String, JsonNode>> entry = resultEntry(innerOrJobResult);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    JsonNode value = entry.get().getValue();
    if (value.isArray()) {
      return value.isEmpty() ? Optional.empty() : Optional.of(value.get(0));
    }
    return value.isObject() ? Optional.of(value) : Optional.empty();
  }

  /** The key of the object {@link #resultObject} returns ({@code keypair}, {@code loadbalancer}, ...). */
  public static Optional<String> resultKey(JsonNode innerOrJobResult) {
    return resultEntry(innerOrJobResult).map(Map.Entry::getKey);
  }

  /**
   * True for a success-only answer ({@code {"success":true}}); the string {@code "true"} found
   * in the wild is accepted too.
   */
  public static boolean isSuccess(JsonNode innerOrJobResult) {
    JsonNode success = innerOrJobResult == null ? null : innerOrJobResult.get("success");
    if (success == null) {
      return false;
    }
    return success.isBoolean() ? success.booleanValue() : "true".equalsIgnoreCase(success.asText());
  }

  /** True when the inner object is an error answer ({@code errorcode} + {@code errortext}). */
  public static boolean isError(JsonNode inner) {
    return inner != null && inner.isObject() && inner.has("errorcode") && inner.has("errortext");
  }

  /** An error answer's fields ({@code errorcode}, {@code cserrorcode}, {@code errortext}). */
  public static ApiError error(JsonNode inner) {
    return new ApiError(intValue(inner.get("errorcode")), intValue(inner.get("cserrorcode")),
        inner.path("errortext").asText(""));
  }

  /** An integer that CloudStack may send as a number or as a numeric string; 0 when absent. */
  public static int intValue(JsonNode node) {
    if (node == null || node.isNull()) {
      return 0;
    }
    if (node.isNumber()) {
      return node.intValue();
    }
    try {
      return Integer.parseInt(node.asText().trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A boolean that CloudStack may send as a boolean or as a string. */
  public static boolean booleanValue(JsonNode node) {
    if (node == null || node.isNull()) {
      return false;
    }
    return node.isBoolean() ? node.booleanValue() : "true".equalsIgnoreCase(node.asText().trim());
  }

  /** An empty object, the value of an answer without content. */
  public static ObjectNode emptyObject() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static Optional<Map.Entry<String, JsonNode>> itemEntry(JsonNode inner) {
    if (inner == null || !inner.isObject()) {
      return Optional.empty();
    }
    Map.Entry<String, JsonNode> found = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = inner.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("count")) {
        continue;
      }
      if (e.getValue().isArray() || e.getValue().isObject()) {
        if (found != null) {
          return Optional.empty(); // ambiguous: not a list envelope
        }
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }

  private static Optional<Map.Entry<String, JsonNode>> resultEntry(JsonNode inner) {
    if (inner == null || !inner.isObject()) {
      return Optional.empty();
    }
    Map.Entry<String, JsonNode> found = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = inner.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("count") || !(e.getValue().isObject() || e.getValue().isArray())) {
        continue;
      }
      if (found != null) {
        return Optional.empty();
      }
      found = e;
    }
    return Optional.ofNullable(found);
  }

  /** The fields of a CloudStack error answer. */
  public record ApiError(int errorCode, int csErrorCode, String errorText) {
  }
}
