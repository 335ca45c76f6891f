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

  /**
   * True when the value is, or holds at any depth (a list item, a map value, a function
   * argument), an intrinsic function that resolves only at run time.
   */
  public static boolean containsUnresolved(JsonNode value) {
    if (isUnresolved(value)) {
      return true;
    }
    if (value != null && value.isContainerNode()) {
      for (JsonNode child : value) {
        if (containsUnresolved(child)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The value a property path names, as {@link PropertyError#property()} writes it ({@code
   * networkids[1]}, {@code SecurityGroupIngress[0].FromPort}; names case-insensitive, as CloudStack's
   * are); null when nothing is there. An index into a single object names that object (a map
   * written as one object is entry 0), and a path into a function names the function, since its
   * result is not known yet.
   */
  public static JsonNode at(JsonNode properties, String path) {
    JsonNode current = properties;
    java.util.regex.Matcher m = PATH_SEGMENT.matcher(path == null ? "" : path);
    while (current != null && m.find()) {
      if (current != properties && isUnresolved(current)) {
        return current;
      }
      if (m.group(1) != null) {
        if (current.isArray()) {
          current = current.get(Integer.parseInt(m.group(1)));
        }
      } else {
        current = field(current, m.group(2));
      }
    }
    return current == properties ? null : current;
  }

  private static final java.util.regex.Pattern PATH_SEGMENT = java.util.regex.Pattern.compile("\\[(\\d+)]|([^.\\[]+)");

  private static JsonNode field(JsonNode object, String name) {
    if (!object.isObject()) {
      return null;
    }
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    for (var it = object.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * One item of a list of strings, as text; or an error naming the item when it is a list (a list
   * parameter or {@code Fn::Split} put inside a list: CloudFormation refuses that too, and joining it
   * would send half of it) or an object.
   */
  public static Optional<String> listItem(String property, int index, JsonNode item, java.util.List<PropertyError> errors) {
    Optional<String> text = asText(item);
    if (text.isEmpty()) {
      String where = property + "[" + index + "]";
      errors.add(new PropertyError(where, item != null && item.isArray()
          ? "is itself a list; a list's items must be single values (give a list parameter or Fn::Split as the"
              + " whole property, not inside a list)"
          : "must be a single value, got " + (item == null || item.isNull() ? "null" : "an object")));
    }
    return text;
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
