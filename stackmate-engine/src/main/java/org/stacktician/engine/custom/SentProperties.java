package org.stacktician.engine.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Custom-resource properties as CloudFormation sends them to a provider: every number and boolean
 * becomes a string ({@code 5} is {@code "5"}, {@code true} is {@code "true"}), lists and maps keep their
 * shape. Providers written for CloudFormation parse strings and break on other types.
 */
final class SentProperties {
  private SentProperties() {}

  static JsonNode of(JsonNode value) {
    if (value == null || value.isNull() || value.isTextual()) {
      return value;
    }
    if (value.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      value.fields().forEachRemaining(e -> out.set(e.getKey(), of(e.getValue())));
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      value.forEach(v -> out.add(of(v)));
      return out;
    }
    return TextNode.valueOf(value.asText());
  }
}
