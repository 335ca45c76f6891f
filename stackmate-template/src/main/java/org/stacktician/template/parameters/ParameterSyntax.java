package org.stacktician.template.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ways users write parameter values on the command line:
 * <ul>
 *   <li>the original StackMate's {@code -p "K=V;K2=V2"}, where every part names a declared parameter;</li>
 *   <li>repeated {@code -p K=V} (the value may contain {@code =});</li>
 *   <li>the AWS CLI's {@code ParameterKey=K,ParameterValue=V} ({@code UsePreviousValue} is rejected:
 *       there is no previous value when planning or creating);</li>
 *   <li>the AWS CLI's JSON parameters file {@code [{"ParameterKey": "K", "ParameterValue": "V"}]}.</li>
 * </ul>
 * Problems are reported as {@link IllegalArgumentException}s with a message naming the bad item.
 */
public final class ParameterSyntax {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParameterSyntax() {}

  /**
   * Parses several {@code -p} arguments, later ones overriding earlier ones; {@code declared} are the
   * template's parameter names, which decide whether a {@code ;} separates parameters (see {@link #parseOption}).
   */
  public static Map<String, String> parseOptions(List<String> options, Set<String> declared) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String option : options) {
      out.putAll(parseOption(option, declared));
    }
    return out;
  }

  /**
   * Parses one {@code -p} argument in any of the supported forms. The original's {@code "K1=V1;K2=V2"} is
   * read as several parameters only when that is unambiguous: every {@code ;}-separated part is
   * {@code KEY=...} naming a declared parameter. Otherwise the value is taken whole, so a password
   * such as {@code pass;word} or {@code Passw0rd;} is kept as given.
   */
  public static Map<String, String> parseOption(String option, Set<String> declared) {
    String text = option.trim();
    if (text.startsWith("ParameterKey=") || text.startsWith("ParameterValue=")) {
      return awsCliShorthand(text);
    }
    Map<String, String> out = new LinkedHashMap<>();
    List<String> parts = List.of(text.split(";", -1));
    if (parts.size() > 1 && parts.stream().allMatch(part -> keyOf(part) != null && declared.contains(keyOf(part)))) {
      for (String part : parts) {
        out.put(keyOf(part), part.substring(part.indexOf('=') + 1));
      }
      return out;
    }
    int eq = text.indexOf('=');
    if (eq <= 0 || text.substring(0, eq).isBlank()) {
      throw new IllegalArgumentException("Bad parameter '" + redactValue(text) + "': write KEY=VALUE, \"K=V;K2=V2\" "
          + "or ParameterKey=K,ParameterValue=V");
    }
    out.put(text.substring(0, eq).trim(), option.substring(option.indexOf('=') + 1));
    return out;
  }

  /** The KEY of a {@code KEY=VALUE} part, or null when it has no {@code =}. */
  private static String keyOf(String part) {
    int eq = part.indexOf('=');
    return eq < 0 ? null : part.substring(0, eq).trim();
  }

  private static Map<String, String> awsCliShorthand(String text) {
    String key = null;
    String value = null;
    for (String field : splitFields(text)) {
      int eq = field.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("Bad parameter item '" + redactValue(field)
            + "': write ParameterKey=K,ParameterValue=V");
      }
      String name = field.substring(0, eq);
      String v = field.substring(eq + 1);
      switch (name) {
        case "ParameterKey" -> key = v;
        case "ParameterValue" -> value = v;
        case "UsePreviousValue" -> throw new IllegalArgumentException("UsePreviousValue is not supported for parameter "
            + (key == null ? "" : "'" + key + "' ") + "here: there is no previous value; give ParameterValue");
        case "ResolvedValue" -> { }
        default -> throw new IllegalArgumentException("Unknown field '" + name + "' in parameter '" + redactValue(text)
            + "': use ParameterKey and ParameterValue");
      }
    }
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("Parameter item has no ParameterKey: write ParameterKey=K,ParameterValue=V");
    }
    if (value == null) {
      throw new IllegalArgumentException("Parameter '" + key + "' has no ParameterValue");
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put(key, value);
    return out;
  }

  /**
   * Splits {@code ParameterKey=K,ParameterValue=a,b} into fields: a comma starts a new field only when
   * followed by a known field name, so values may contain commas (lists).
   */
  private static List<String> splitFields(String text) {
    java.util.ArrayList<String> fields = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ',' && startsField(text, i + 1)) {
        fields.add(text.substring(start, i));
        start = i + 1;
      }
    }
    fields.add(text.substring(start));
    return fields;
  }

  private static boolean startsField(String text, int at) {
    for (String f : List.of("ParameterKey=", "ParameterValue=", "UsePreviousValue=", "ResolvedValue=")) {
      if (text.startsWith(f, at)) {
        return true;
      }
    }
    return false;
  }

  /** Parses an AWS CLI parameters file (a JSON list of ParameterKey/ParameterValue objects). */
  public static Map<String, String> parseJsonFile(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("The parameters file is not valid JSON: "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage()));
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("The parameters file must be a JSON list such as "
          + "[{\"ParameterKey\": \"K\", \"ParameterValue\": \"V\"}]");
    }
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode item : root) {
      String where = "item " + i++ + " of the parameters file";
      if (!item.isObject()) {
        throw new IllegalArgumentException(where + " is not an object with ParameterKey and ParameterValue");
      }
      JsonNode key = item.get("ParameterKey");
      if (key == null || !key.isTextual() || key.textValue().isBlank()) {
        throw new IllegalArgumentException(where + " has no ParameterKey string");
      }
      JsonNode use = item.get("UsePreviousValue");
      if (use != null && use.asBoolean()) {
        throw new IllegalArgumentException("UsePreviousValue is not supported for parameter '" + key.textValue()
            + "' here: there is no previous value; give ParameterValue");
      }
      JsonNode value = item.get("ParameterValue");
      if (value == null || value.isNull() || value.isContainerNode()) {
        throw new IllegalArgumentException("Parameter '" + key.textValue() + "' in the parameters file has no "
            + "ParameterValue string");
      }
      for (var it = item.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!List.of("ParameterKey", "ParameterValue", "UsePreviousValue", "ResolvedValue").contains(f)) {
          throw new IllegalArgumentException(where + " has an unknown field '" + f + "'");
        }
      }
      out.put(key.textValue(), value.asText());
    }
    return out;
  }

  /** Shows the key of a KEY=VALUE item but never its value (it may be a secret). */
  private static String redactValue(String item) {
    int eq = item.indexOf('=');
    return eq < 0 ? (item.length() > 40 ? item.substring(0, 40) + "..." : item) : item.substring(0, eq) + "=****";
  }
}
