package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.stacktician.engine.metadata.MetadataApi;
import org.stacktician.server.api.IsoInstant;

/**
 * The Query protocol's XML: a result tree (objects are structures, arrays are lists of
 * {@code member} elements, {@link Instant}s are ISO-8601 timestamps, null members are left out,
 * a {@link Written} structure writes its own members) in the {@code <ActionResponse><ActionResult>}
 * envelope, and AWS's {@code <ErrorResponse>}.
 */
final class QueryXml {
  private QueryXml() {}

  /**
   * A structure that writes its members itself, with {@link #text} and {@link #time}: a list's items
   * (a page of 100) are written straight from their records, not built as a tree first.
   */
  @FunctionalInterface
  interface Written {
    void writeMembers(StringBuilder sb);
  }

  /** A member with escaped text; left out when null. */
  static void text(StringBuilder sb, String name, String value) {
    if (value != null) {
      sb.append('<').append(name).append('>');
      escape(sb, value);
      sb.append("</").append(name).append('>');
    }
  }

  /** A timestamp member; left out when null. */
  static void time(StringBuilder sb, String name, Instant at) {
    if (at != null) {
      sb.append('<').append(name).append('>');
      timestamp(sb, at);
      sb.append("</").append(name).append('>');
    }
  }

  /** A success: the result (null for actions without one) and the request id. */
  static String response(String action, JsonNode result, String requestId) {
    StringBuilder sb = new StringBuilder(capacity(result)).append("<").append(action).append("Response xmlns=\"")
        .append(MetadataApi.XML_NAMESPACE).append("\">");
    if (result != null) {
      element(sb, action + "Result", result);
    }
    sb.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
    return sb.append("</").append(action).append("Response>").toString();
  }

  /**
   * Room for the answer, from how many members its lists have, so that the builder rarely grows (each
   * growth copies it; a page of summaries is some 35 kB) and a small answer takes little.
   */
  private static int capacity(JsonNode result) {
    int members = 0;
    if (result != null) {
      for (JsonNode v : result) {
        members += v.isArray() ? v.size() : 0;
      }
    }
    return 2048 + 512 * members;
  }

  /** A refusal. */
  static String error(CfnError e, String requestId) {
    StringBuilder sb = new StringBuilder("<ErrorResponse xmlns=\"").append(MetadataApi.XML_NAMESPACE).append("\">");
    sb.append("<Error><Type>").append(e.type()).append("</Type><Code>").append(e.code()).append("</Code><Message>");
    escape(sb, e.getMessage() == null ? "" : e.getMessage());
    sb.append("</Message></Error><RequestId>").append(requestId).append("</RequestId>");
    return sb.append("</ErrorResponse>").toString();
  }

  private static void element(StringBuilder sb, String name, JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return;
    }
    sb.append('<').append(name).append('>');
    if (v.isObject()) {
      v.properties().forEach(e -> element(sb, e.getKey(), e.getValue()));
    } else if (v.isArray()) {
      v.forEach(item -> element(sb, "member", item));
    } else if (v instanceof POJONode pojo && pojo.getPojo() instanceof Instant at) {
      timestamp(sb, at);
    } else if (v instanceof POJONode pojo && pojo.getPojo() instanceof Written written) {
      written.writeMembers(sb);
    } else {
      escape(sb, v.asText());
    }
    sb.append("</").append(name).append('>');
  }

  /** AWS's timestamps: ISO-8601 in UTC with milliseconds. */
  private static void timestamp(StringBuilder sb, Instant at) {
    IsoInstant.append(sb, at.truncatedTo(ChronoUnit.MILLIS));
  }

  private static void escape(StringBuilder sb, String text) {
    MetadataApi.escapeXml(sb, text);
  }
}
