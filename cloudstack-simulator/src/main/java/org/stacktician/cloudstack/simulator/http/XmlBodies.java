package org.stacktician.cloudstack.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Renders an envelope as CloudStack's XML (the server's default when {@code response=json} is absent). */
final class XmlBodies {
  private XmlBodies() {}

  static String render(JsonNode envelope) {
    StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    for (Map.Entry<String, JsonNode> e : envelope.properties()) {
      out.append('<').append(e.getKey()).append(" cloud-stack-version=\"4.18.0.0\">");
      children(out, e.getValue());
      out.append("</").append(e.getKey()).append('>');
    }
    return out.toString();
  }

  private static void children(StringBuilder out, JsonNode node) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getValue().isArray()) {
        for (JsonNode item : e.getValue()) element(out, e.getKey(), item);
      } else {
        element(out, e.getKey(), e.getValue());
      }
    }
  }

  private static void element(StringBuilder out, String name, JsonNode value) {
    out.append('<').append(name).append('>');
    if (value.isObject()) {
      children(out, value);
    } else {
      out.append(escape(value.asText()));
    }
    out.append("</").append(name).append('>');
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
