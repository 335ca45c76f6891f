package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code Fn::GetAtt} attributes of a CloudStack resource: every field of the create result
 * object under its CloudStack name ({@code ipaddress}, {@code rootdeviceid}, ...; objects and
 * lists as JSON), and every nested scalar under a dotted path with list indexes, e.g.
 * {@code nic.0.ipaddress} for a VM's first NIC address or {@code ingressrule.0.ruleid}.
 * Virtual machines also get the original's {@code PrivateIp} (= {@code nic.0.ipaddress}) and
 * {@code PublicIp} ({@code publicip} when static NAT gave one, else {@code nic.0.ipaddress}).
 */
public final class ResponseAttributes {
  private static final int MAX_DEPTH = 5;
  private static final int MAX_ENTRIES = 4000;

  private ResponseAttributes() {}

  /** The attributes of a result object (empty for null). */
  public static Map<String, JsonNode> of(JsonNode result) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (result == null || !result.isObject()) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> it = result.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      out.put(e.getKey(), v.isValueNode() && !v.isTextual() && !v.isNull() ? TextNode.valueOf(v.asText()) : v);
    }
    it = result.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isContainerNode()) {
        flatten(e.getKey(), e.getValue(), 1, out);
      }
    }
    JsonNode firstNicIp = out.get("nic.0.ipaddress");
    if (firstNicIp != null) {
      out.putIfAbsent("PrivateIp", firstNicIp);
      JsonNode publicIp = result.get("publicip");
      out.putIfAbsent("PublicIp", publicIp != null && !publicIp.asText().isEmpty() ? publicIp : firstNicIp);
    }
    return out;
  }

  private static void flatten(String path, JsonNode node, int depth, Map<String, JsonNode> out) {
    if (out.size() >= MAX_ENTRIES || depth > MAX_DEPTH) {
      return;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        put(path + "." + e.getKey(), e.getValue(), depth, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        put(path + "." + i, node.get(i), depth, out);
      }
    }
  }

  private static void put(String path, JsonNode value, int depth, Map<String, JsonNode> out) {
    if (value.isContainerNode()) {
      out.put(path, value);
      flatten(path, value, depth + 1, out);
    } else {
      out.put(path, value.isTextual() ? value : TextNode.valueOf(value.asText()));
    }
  }
}
