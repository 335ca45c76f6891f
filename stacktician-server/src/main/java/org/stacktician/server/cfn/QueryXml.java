package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.stacktician.engine.metadata.MetadataApi;

/**
 * The Query protocol's XML: a result tree (objects are structures, arrays are lists of
 * {@code member} elements, {@link Instant}s are ISO-8601 timestamps, null members are left out)
 * in the {@code <ActionResponse><ActionResult>} envelope, and AWS's {@code <ErrorResponse>}.
 */
final class QueryXml {
  private QueryXml() {}

  /** A success: the result (null for actions without one) and the request id. */
  static String response(String action, JsonNode result, String requestId) {
    // Sized for a page of 50 summaries, so the builder rarely grows (each growth copies it).
    StringBuilder sb = new StringBuilder(32 * 1024).append("<").append(action).append("Response xmlns=\"")
        .append(MetadataApi.XML_NAMESPACE).append("\">");
    if (result != null) {
      element(sb, action + "Result", result);
    }
    sb.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
    return sb.append("</").append(action).append("Response>").toString();
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
      sb.append(timestamp(at));
    } else {
      escape(sb, v.asText());
    }
    sb.append("</").append(name).append('>');
  }

  /** AWS's timestamps: ISO-8601 in UTC with milliseconds. */
  static String timestamp(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
  }

  private static void escape(StringBuilder sb, String text) {
    MetadataApi.escapeXml(sb, text);
  }
}
