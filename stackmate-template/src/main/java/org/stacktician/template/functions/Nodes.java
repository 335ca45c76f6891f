package org.stacktician.template.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/** Small JSON helpers the intrinsic functions share: building function objects, reading scalars. */
final class Nodes {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Nodes() {
  }

  /** The function object {@code {name: arg}}. */
  static ObjectNode fn(String name, JsonNode arg) {
    ObjectNode o = NODES.objectNode();
    o.set(name, arg);
    return o;
  }

  static ArrayNode list(JsonNode... items) {
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
}
