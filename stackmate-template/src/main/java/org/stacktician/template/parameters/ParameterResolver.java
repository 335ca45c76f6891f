package org.stacktician.template.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.stacktician.template.ParameterDefinition;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.ParameterType;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;

/**
 * Binds parameter values to a template's parameters with CloudFormation's rules and messages:
 * undeclared names and missing values are reported together; every constraint is checked on the
 * given value or the Default; a failed constraint shows the ConstraintDescription when there is
 * one. Messages never contain the value, so NoEcho values cannot leak through them.
 */
public final class ParameterResolver {
  /** CloudFormation's limit on one parameter value. */
  public static final int MAX_VALUE_BYTES = 4096;

  /** The bound parameters and every error found. */
  public record Result(Map<String, ResolvedParameter> parameters, List<TemplateError> errors) {}

  private ParameterResolver() {}

  /** Binds {@code input} to the parameters of {@code template}. */
  public static Result resolve(Template template, ParameterInput input) {
    List<TemplateError> errors = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String key : input.values().keySet()) {
      if (!template.parameters().containsKey(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      errors.add(TemplateError.of("Parameters", "Parameters: " + unknown + " do not exist in the template"));
    }
    List<String> missing = new ArrayList<>();
    Map<String, ResolvedParameter> resolved = new LinkedHashMap<>();
    for (ParameterDefinition p : template.parameters().values()) {
      String value = input.values().get(p.name());
      if (value == null && p.defaultValue() != null) {
        value = p.defaultValue().asText();
      }
      if (value == null) {
        missing.add(p.name());
        continue;
      }
      List<String> problems = check(p, value);
      for (String problem : problems) {
        errors.add(TemplateError.of("Parameters/" + p.name(), problem));
      }
      if (problems.isEmpty()) {
        resolved.put(p.name(), new ResolvedParameter(p.name(), p.type(), typed(p.parsedType(), value), p.noEcho()));
      }
    }
    if (!missing.isEmpty()) {
      errors.add(TemplateError.of("Parameters", "Parameters: " + missing + " must have values"));
    }
    return new Result(resolved, errors);
  }

  /** The value as Ref gives it: a string, or a list of strings for list types. */
  static JsonNode typed(ParameterType type, String value) {
    if (!type.isList()) {
      return TextNode.valueOf(value);
    }
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    for (String member : members(value)) {
      list.add(member);
    }
    return list;
  }

  /** CommaDelimitedList members: split on commas, each trimmed; an empty value is an empty list. */
  public static List<String> members(String value) {
    List<String> out = new ArrayList<>();
    if (value.isEmpty()) {
      return out;
    }
    int start = 0;
    while (true) {
      int comma = value.indexOf(',', start);
      if (comma < 0) {
        out.add(value.substring(start).trim());
        return out;
      }
      out.add(value.substring(start, comma).trim());
      start = comma + 1;
    }
  }

  /** Every constraint the value breaks, as CloudFormation words it. */
  public static List<String> check(ParameterDefinition p, String value) {
    List<String> problems = new ArrayList<>();
    String name = p.name();
    String constraint = p.constraintDescription();
    if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      problems.add("Parameter '" + name + "' is longer than the limit of " + MAX_VALUE_BYTES + " bytes");
      return problems;
    }
    ParameterType type = p.parsedType();
    List<String> values = type.isList() ? members(value) : List.of(value);
    if (type.base() == ParameterType.Base.NUMBER) {
      for (String v : values) {
        BigDecimal number = number(v);
        if (number == null) {
          problems.add(type.isList() ? "Parameter '" + name + "' must be a list of numbers."
              : "Parameter '" + name + "' must be a number.");
          return problems;
        }
        if (p.minValue() != null && number.compareTo(p.minValue()) < 0) {
          problems.add(constraint != null ? failed(name, constraint)
              : "Parameter '" + name + "' must be a number not less than " + p.minValue().toPlainString());
        }
        if (p.maxValue() != null && number.compareTo(p.maxValue()) > 0) {
          problems.add(constraint != null ? failed(name, constraint)
              : "Parameter '" + name + "' must be a number not greater than " + p.maxValue().toPlainString());
        }
      }
    }
    int length = value.codePointCount(0, value.length());
    if (p.minLength() != null && length < p.minLength()) {
      problems.add(constraint != null ? failed(name, constraint)
          : "Parameter '" + name + "' must contain at least " + p.minLength() + " characters");
    }
    if (p.maxLength() != null && length > p.maxLength()) {
      problems.add(constraint != null ? failed(name, constraint)
          : "Parameter '" + name + "' must contain at most " + p.maxLength() + " characters");
    }
    if (p.allowedPattern() != null) {
      Pattern pattern = Pattern.compile(p.allowedPattern());
      for (String v : values) {
        if (!pattern.matcher(v).matches()) {
          problems.add(constraint != null ? failed(name, constraint)
              : "Parameter '" + name + "' must match pattern " + p.allowedPattern());
          break;
        }
      }
    }
    if (!p.allowedValues().isEmpty()) {
      for (String v : values) {
        if (!p.allowedValues().contains(v)) {
          problems.add(constraint != null ? failed(name, constraint)
              : "Parameter '" + name + "' must be one of AllowedValues");
          break;
        }
      }
    }
    return problems.stream().distinct().toList();
  }

  private static String failed(String name, String constraint) {
    return "Parameter '" + name + "' failed to satisfy constraint: " + constraint;
  }

  private static BigDecimal number(String v) {
    try {
      String t = v.trim();
      if (t.isEmpty() || t.length() > 100) {
        return null;
      }
      return new BigDecimal(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
