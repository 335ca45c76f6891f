package org.stacktician.server.cfn;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of one Query API request (the URL's query and a form-encoded body), with the
 * Query protocol's list notation: {@code Parameters.member.1.ParameterKey},
 * {@code StackStatusFilter.member.2}.
 */
record QueryParams(Map<String, String> values) {

  /** The parameters of the query string and, for a form post, of the body (the first value of each name). */
  static QueryParams parse(String rawQuery, byte[] body) {
    Map<String, String> values = new LinkedHashMap<>();
    add(values, rawQuery);
    add(values, new String(body, StandardCharsets.UTF_8));
    return new QueryParams(values);
  }

  private static void add(Map<String, String> values, String encoded) {
    if (encoded == null || encoded.isBlank()) {
      return;
    }
    for (String pair : encoded.strip().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        values.putIfAbsent(name, value);
      } catch (IllegalArgumentException e) {
        throw CfnError.validation("the request's parameters are not form-encoded: " + e.getMessage());
      }
    }
  }

  /** A parameter's value, null when absent or empty. */
  String text(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** A parameter the action needs. */
  String required(String name) {
    String v = text(name);
    if (v == null) {
      throw CfnError.missing(name);
    }
    return v;
  }

  /** true or false; null when absent. */
  Boolean bool(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw CfnError.validation("Value '" + v + "' at '" + name + "' must be true or false");
    };
  }

  /** A whole number; null when absent. */
  Integer integer(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw CfnError.validation("Value '" + v + "' at '" + name + "' must be a whole number");
    }
  }

  /** A list of strings: {@code NAME.member.1}, {@code NAME.member.2}, ... in member order. */
  List<String> list(String name) {
    return new ArrayList<>(members(name).values().stream()
        .map(m -> m.getOrDefault("", "")).toList());
  }

  /** A list of structures: {@code NAME.member.N.FIELD}, each member's fields by name, in member order. */
  List<Map<String, String>> structures(String name) {
    return new ArrayList<>(members(name).values());
  }

  private TreeMap<Integer, Map<String, String>> members(String name) {
    String prefix = name + ".member.";
    TreeMap<Integer, Map<String, String>> members = new TreeMap<>();
    values.forEach((k, v) -> {
      if (!k.startsWith(prefix)) {
        return;
      }
      String rest = k.substring(prefix.length());
      int dot = rest.indexOf('.');
      String index = dot < 0 ? rest : rest.substring(0, dot);
      int n;
      try {
        n = Integer.parseInt(index);
      } catch (NumberFormatException e) {
        throw CfnError.validation("'" + k + "' is not a member of list " + name + " (NAME.member.N)");
      }
      members.computeIfAbsent(n, i -> new LinkedHashMap<>()).put(dot < 0 ? "" : rest.substring(dot + 1), v);
    });
    return members;
  }
}
