package org.stacktician.engine.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.engine.check.PropertyChecks;

/**
 * Compares a resource's expected properties with those a handler read from the cloud, as
 * CloudFormation reports drift: only the properties the handler could read are compared; a scalar
 * that differs is NOT_EQUAL (as text, so {@code 80} equals {@code "80"}), one the cloud no longer
 * has is REMOVE; list items are matched as a set (rules have no order), so an extra item in the
 * cloud is ADD and a missing one REMOVE, each at its own index; objects are compared key by key.
 * Values are shown as JSON text with every NoEcho value masked.
 */
final class PropertyComparison {
  private final Set<String> secrets;
  private final List<PropertyDifference> out = new ArrayList<>();

  private PropertyComparison(Set<String> secrets) {
    this.secrets = secrets;
  }

  /** The differences between {@code expected} and {@code actual} at the properties {@code actual} has. */
  static List<PropertyDifference> differences(ObjectNode expected, ObjectNode actual, Set<String> secrets) {
    PropertyComparison c = new PropertyComparison(secrets);
    Iterator<Map.Entry<String, JsonNode>> fields = actual.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode want = expected.get(f.getKey());
      if (want != null && !want.isNull()) {
        c.compare("/" + escape(f.getKey()), want, f.getValue());
      }
    }
    return c.out;
  }

  private void compare(String path, JsonNode expected, JsonNode actual) {
    if (empty(actual)) {
      if (!empty(expected)) {
        add(path, expected, null, PropertyDifference.Type.REMOVE);
      }
      return;
    }
    if (expected.isArray() && actual.isArray()) {
      for (int i = 0; i < expected.size(); i++) {
        if (!contains(actual, expected.get(i))) {
          add(path + "/" + i, expected.get(i), null, PropertyDifference.Type.REMOVE);
        }
      }
      for (int i = 0; i < actual.size(); i++) {
        if (!contains(expected, actual.get(i))) {
          add(path + "/" + i, null, actual.get(i), PropertyDifference.Type.ADD);
        }
      }
    } else if (expected.isObject() && actual.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      expected.fieldNames().forEachRemaining(keys::add);
      actual.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        JsonNode e = expected.get(k);
        JsonNode a = actual.get(k);
        if (empty(e)) {
          if (!empty(a)) {
            add(path + "/" + escape(k), null, a, PropertyDifference.Type.ADD);
          }
        } else {
          compare(path + "/" + escape(k), e, a);
        }
      }
    } else if (!same(expected, actual)) {
      add(path, expected, actual, PropertyDifference.Type.NOT_EQUAL);
    }
  }

  private void add(String path, JsonNode expected, JsonNode actual, PropertyDifference.Type type) {
    out.add(new PropertyDifference(path, text(expected), text(actual), type));
  }

  private String text(JsonNode value) {
    if (value == null) {
      return null;
    }
    return PropertyChecks.mask(value.isValueNode() ? value.asText() : value.toString(), secrets);
  }

  private static boolean contains(JsonNode list, JsonNode item) {
    for (JsonNode x : list) {
      if (same(x, item)) {
        return true;
      }
    }
    return false;
  }

  /** Equal as the cloud and the template write values: scalars as text, containers item by item. */
  static boolean same(JsonNode a, JsonNode b) {
    if (empty(a) || empty(b)) {
      return empty(a) == empty(b);
    }
    if (a.isValueNode() && b.isValueNode()) {
      return a.asText().equals(b.asText());
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (JsonNode x : a) {
        if (!contains(b, x)) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      return keys.stream().allMatch(k -> same(a.get(k), b.get(k)));
    }
    return false;
  }

  private static boolean empty(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() || (n.isTextual() && n.asText().isEmpty());
  }

  /** A JSON pointer token: {@code ~} and {@code /} escaped. */
  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
