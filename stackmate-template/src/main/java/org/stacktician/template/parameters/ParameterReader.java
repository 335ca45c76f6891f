package org.stacktician.template.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.stacktician.template.ParameterDefinition;
import org.stacktician.template.ParameterType;
import org.stacktician.template.SourceMap;
import org.stacktician.template.TemplateError;

/** Reads one entry of the Parameters section into a {@link ParameterDefinition}, reporting every problem. */
public final class ParameterReader {
  private static final Set<String> ATTRIBUTES = Set.of("Type", "Default", "NoEcho", "AllowedValues",
      "AllowedPattern", "MinLength", "MaxLength", "MinValue", "MaxValue", "Description", "ConstraintDescription");

  private ParameterReader() {}

  /** The definition, or null when it has errors (added to {@code errors}). */
  public static ParameterDefinition read(String name, JsonNode node, SourceMap map, List<TemplateError> errors) {
    String path = "Parameters/" + name;
    if (!node.isObject()) {
      errors.add(map.error(path, "Template format error: Every Parameters member must be an object."));
      return null;
    }
    int before = errors.size();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!ATTRIBUTES.contains(key)) {
        errors.add(map.error(path + "/" + key, "Invalid template parameter property '" + key + "'"));
      }
    }
    ParameterType type = null;
    JsonNode typeNode = node.get("Type");
    if (typeNode == null) {
      errors.add(map.error(path, "Template format error: Every Parameters object must contain a Type member."));
    } else if (!typeNode.isTextual()) {
      errors.add(map.error(path + "/Type", "Template format error: Parameter Type must be a string"));
    } else {
      try {
        type = ParameterTypes.parse(typeNode.textValue());
      } catch (IllegalArgumentException e) {
        errors.add(map.error(path + "/Type", e.getMessage()));
      }
    }
    List<String> allowed = new ArrayList<>();
    JsonNode allowedNode = node.get("AllowedValues");
    if (allowedNode != null) {
      if (!allowedNode.isArray()) {
        errors.add(map.error(path + "/AllowedValues", "AllowedValues of parameter " + name + " must be a list"));
      } else {
        int i = 0;
        for (JsonNode v : allowedNode) {
          String s = scalar(v);
          if (s == null) {
            errors.add(map.error(path + "/AllowedValues/" + i, "Every AllowedValues member of parameter " + name
                + " must be a string or number"));
          } else {
            allowed.add(s);
          }
          i++;
        }
      }
    }
    String pattern = string(node, "AllowedPattern", path, map, errors);
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        errors.add(map.error(path + "/AllowedPattern", "AllowedPattern of parameter " + name
            + " is not a valid regular expression: " + e.getDescription()));
      }
    }
    Integer minLength = integer(node, "MinLength", path, map, errors);
    Integer maxLength = integer(node, "MaxLength", path, map, errors);
    BigDecimal minValue = number(node, "MinValue", path, map, errors);
    BigDecimal maxValue = number(node, "MaxValue", path, map, errors);
    String description = string(node, "Description", path, map, errors);
    String constraintDescription = string(node, "ConstraintDescription", path, map, errors);
    boolean noEcho = false;
    JsonNode noEchoNode = node.get("NoEcho");
    if (noEchoNode != null) {
      String s = scalar(noEchoNode);
      if (s == null || !(s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
        errors.add(map.error(path + "/NoEcho", "NoEcho of parameter " + name + " must be true or false"));
      } else {
        noEcho = s.equalsIgnoreCase("true");
      }
    }
    JsonNode defaultValue = node.get("Default");
    if (defaultValue != null && scalar(defaultValue) == null) {
      if (defaultValue.isArray() && type != null && type.isList() && allScalars(defaultValue)) {
        List<String> parts = new ArrayList<>();
        defaultValue.forEach(v -> parts.add(scalar(v)));
        defaultValue = com.fasterxml.jackson.databind.node.TextNode.valueOf(String.join(",", parts));
      } else {
        errors.add(map.error(path + "/Default", "Template format error: Every Default member must be a string."));
      }
    }
    if (type != null && type.base() == ParameterType.Base.STRING && (minValue != null || maxValue != null)) {
      errors.add(map.error(path, "MinValue and MaxValue apply to Number parameters; " + name + " is a " + type.name()));
    }
    if (type != null && type.base() == ParameterType.Base.NUMBER && (minLength != null || maxLength != null)) {
      errors.add(map.error(path, "MinLength and MaxLength apply to String parameters; " + name + " is a "
          + type.name()));
    }
    if (errors.size() > before) {
      return null;
    }
    return new ParameterDefinition(name, type.name(), defaultValue == null ? null : text(defaultValue), noEcho,
        description, List.copyOf(allowed), pattern, minLength, maxLength, minValue, maxValue, constraintDescription,
        type);
  }

  private static JsonNode text(JsonNode v) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(scalar(v));
  }

  private static boolean allScalars(JsonNode array) {
    for (JsonNode v : array) {
      if (scalar(v) == null) {
        return false;
      }
    }
    return true;
  }

  /** A scalar's text (numbers and booleans as written), or null for objects, lists and null. */
  static String scalar(JsonNode v) {
    if (v == null || v.isNull() || v.isContainerNode() || v.isMissingNode()) {
      return null;
    }
    if (v.isBigDecimal()) {
      return v.decimalValue().toPlainString();
    }
    return v.asText();
  }

  private static String string(JsonNode node, String field, String path, SourceMap map, List<TemplateError> errors) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    String s = scalar(v);
    if (s == null) {
      errors.add(map.error(path + "/" + field, field + " must be a string"));
    }
    return s;
  }

  private static Integer integer(JsonNode node, String field, String path, SourceMap map, List<TemplateError> errors) {
    String s = string(node, field, path, map, errors);
    if (s == null) {
      return null;
    }
    try {
      int v = Integer.parseInt(s.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      errors.add(map.error(path + "/" + field, field + " must be a whole number of zero or more"));
      return null;
    }
  }

  private static BigDecimal number(JsonNode node, String field, String path, SourceMap map, List<TemplateError> errors) {
    String s = string(node, field, path, map, errors);
    if (s == null) {
      return null;
    }
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      errors.add(map.error(path + "/" + field, field + " must be a number"));
      return null;
    }
  }

}
