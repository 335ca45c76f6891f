package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A {@code CloudStack::} resource's properties read back from its list API's item, for drift
 * detection: a property is the create parameter of the same name, and the item's field of that
 * name (case-insensitive) is its value now. A field that still holds what the create sent for the
 * property (a name with the stack's prefix, say) reads as the template's value: only a value changed
 * in the cloud differs. Only scalar properties are read (lists and maps are encoded into other
 * fields), a field the item does not have is not read, and fields whose meaning differs from their
 * parameter are converted or left out.
 */
final class ActualProperties {
  private static final long GIB = 1024L * 1024 * 1024;
  /** Parameters whose list field of the same name holds something else (by the type's noun). */
  private static final Map<String, Set<String>> UNREADABLE = Map.of(
      // deploy's hypervisor/keypair/... are read; the user data is never listed back in full
      "VirtualMachine", Set.of("userdata", "details", "startvm"),
      // a rule's cidrlist is one "cidr" per rule in the list API
      "SecurityGroupIngress", Set.of("cidrlist"),
      "SecurityGroupEgress", Set.of("cidrlist"));

  /** Parameters listed under another field name (by the type's noun): an address's guest network. */
  private static final Map<String, Map<String, String>> LISTED_AS = Map.of(
      "IpAddress", Map.of("networkid", "associatednetworkid"));

  private ActualProperties() {}

  /**
   * The properties among {@code expected} that {@code item} tells, with the item's values.
   *
   * @param sent the create parameters the expected properties encode to
   */
  static ObjectNode of(String noun, ObjectNode expected, Map<String, String> sent, JsonNode item) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    Set<String> unreadable = UNREADABLE.getOrDefault(noun, Set.of());
    Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = f.getKey();
      if (name.equalsIgnoreCase("tags") && item.has("tags")) {
        out.set(name, tags(f.getValue(), StackTags.userTags(item)));
        continue;
      }
      if (!f.getValue().isValueNode() || unreadable.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      JsonNode actual = field(item, LISTED_AS.getOrDefault(noun, Map.of())
          .getOrDefault(name.toLowerCase(java.util.Locale.ROOT), name));
      if (actual == null) {
        continue;
      }
      if (noun.equals("Volume") && name.equalsIgnoreCase("size") && actual.canConvertToLong()) {
        actual = LongNode.valueOf(actual.asLong() / GIB); // listed in bytes, given in GiB
      }
      String sentValue = sent.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue).findFirst().orElse(null);
      out.set(name, sentValue != null && sentValue.equals(actual.asText()) ? f.getValue() : actual);
    }
    return out;
  }

  /**
   * The cloud's user tags in the shape the template gives them: a list of {@code {Key, Value}} (the key names the
   * template's first item uses) or a map.
   */
  private static JsonNode tags(JsonNode expected, Map<String, String> actual) {
    if (expected.isObject()) {
      ObjectNode m = JsonNodeFactory.instance.objectNode();
      actual.forEach(m::put);
      return m;
    }
    JsonNode first = expected.path(0);
    String key = first.has("key") ? "key" : "Key";
    String value = first.has("value") ? "value" : "Value";
    var list = JsonNodeFactory.instance.arrayNode();
    actual.forEach((k, v) -> list.addObject().put(key, k).put(value, v));
    return list;
  }

  private static JsonNode field(JsonNode item, String name) {
    Iterator<Map.Entry<String, JsonNode>> it = item.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name) && e.getValue().isValueNode()) {
        return e.getValue();
      }
    }
    return null;
  }
}
