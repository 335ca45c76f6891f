package org.stacktician.engine.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reading property values the way templates write them (numbers often come as strings). */
public final class Values {
  private Values() {}

  /**
   * True for a value that is still an intrinsic function the engine has not resolved yet (an
   * object whose single key is {@code Ref}, {@code Condition} or starts with {@code Fn::}).
   */
  public static boolean isUnresolved(JsonNode value) {
    if (value == null || !value.isObject() || value.size() != 1) {
      return false;
    }
    String key = value.fieldNames().next();
    return key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition");
  }

  /** An integer given as a JSON number or a numeric string. */
  public static Optional<Long> asLong(JsonNode value) {
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isIntegralNumber()) {
      return Optional.of(value.asLong());
    }
    if (value.isTextual()) {
      try {
        return Optional.of(Long.parseLong(value.asText().trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A boolean given as a JSON boolean or the strings true/false (any case). */
  public static Optional<Boolean> asBoolean(JsonNode value) {
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isBoolean()) {
      return Optional.of(value.asBoolean());
    }
    if (value.isTextual()) {
      String t = value.asText().trim();
      if (t.equalsIgnoreCase("true")) {
        return Optional.of(true);
      }
      if (t.equalsIgnoreCase("false")) {
        return Optional.of(false);
      }
    }
    return Optional.empty();
  }

  /** A scalar as text (numbers and booleans included); empty for null, objects and arrays. */
  public static Optional<String> asText(JsonNode value) {
    if (value == null || value.isNull() || value.isContainerNode()) {
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }
}
