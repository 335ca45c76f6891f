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
 * cloud is ADD and a missing one REMOVE, each at its own index, unless both sides have an item of the same key (a
 * tag's Key), whose fields are then compared ({@code /Tags/0/Value}); objects (maps) are compared key by key, a key
 * only the cloud has being ADD.
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
      compareLists(path, expected, actual);
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

  /**
   * Lists as sets: an item both have is in sync wherever it is. Of the others, an expected and an actual item with the
   * same key ({@code Key} of a tag, {@code Name} of a named item) are one item whose fields differ, compared field by
   * field at the expected item's index ({@code /Tags/0/Value} NOT_EQUAL); an expected item left over is REMOVE, an
   * actual one ADD.
   */
  private void compareLists(String path, JsonNode expected, JsonNode actual) {
    List<Integer> unmatchedActual = new ArrayList<>();
    for (int i = 0; i < actual.size(); i++) {
      if (!contains(expected, actual.get(i))) {
        unmatchedActual.add(i);
      }
    }
    for (int i = 0; i < expected.size(); i++) {
      JsonNode want = expected.get(i);
      if (contains(actual, want)) {
        continue;
      }
      Integer pair = null;
      String key = key(want);
      for (Integer j : unmatchedActual) {
        if (key != null && key.equals(key(actual.get(j)))) {
          pair = j;
          break;
        }
      }
      if (pair == null) {
        add(path + "/" + i, want, null, PropertyDifference.Type.REMOVE);
      } else {
        unmatchedActual.remove(pair);
        compare(path + "/" + i, want, actual.get(pair));
      }
    }
    for (Integer j : unmatchedActual) {
      add(path + "/" + j, null, actual.get(j), PropertyDifference.Type.ADD);
    }
  }

  /** What names a list item that is an object (a tag's {@code Key}, a {@code Name}), or null. */
  private static String key(JsonNode item) {
    if (!item.isObject()) {
      return null;
    }
    for (String field : List.of("Key", "key", "Name", "name")) {
      if (item.hasNonNull(field) && item.get(field).isValueNode()) {
        return field + "=" + item.get(field).asText();
      }
    }
    return null;
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
