package org.stacktician.engine.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The part of CloudFormation's Query API that booting instances use: {@code
 * DescribeStackResource}, {@code DescribeStackResources} and {@code ListStackResources}, answered
 * in JSON ({@code ContentType=JSON} or {@code Accept: application/json}, as cfn-init,
 * cfn-get-metadata and cfn-hup ask) or in CloudFormation's XML. Shapes follow the CloudFormation
 * API reference: {@code Metadata} is a JSON string, JSON timestamps are epoch seconds, XML
 * timestamps ISO-8601, {@code ResponseMetadata} sits beside the result (ORIGINALS.md §7, gap 19). Each resource
 * carries its DriftInformation from its stack's last drift detection.
 * Pure: the HTTP layer is {@link org.stacktician.engine.callback.CallbackRoutes}.
 */
public final class MetadataApi {
  /** CloudFormation's XML namespace. */
  public static final String XML_NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StackResourceReader reader;

  public MetadataApi(StackResourceReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /** One answer: HTTP status, content type and body. */
  public record Response(int status, String contentType, String body) {}

  /**
   * Answers one request.
   *
   * @param params the query (and form) parameters, first value of each
   * @param json true for a JSON answer, false for XML
   */
  public Response handle(Map<String, String> params, boolean json) {
    return handle(params, json, null);
  }

  /**
   * Answers one request that may only see one stack ({@code onlyStackId}, null for any): other
   * stacks look as if they did not exist.
   */
  public Response handle(Map<String, String> params, boolean json, String onlyStackId) {
    return answer(params, json, UUID.randomUUID().toString(), onlyStackId);
  }

  /** Access problems are answered in the caller's format. */
  public static Response accessDenied(boolean json, String message) {
    return error(json, UUID.randomUUID().toString(), 403, "AccessDenied", message);
  }

  private Optional<StackResourceView> find(String stack, String logicalId, String scope) {
    return reader.describe(target(stack, scope), logicalId).filter(r -> visible(r, scope));
  }

  /**
   * The stack to read: the one stack a request may see when {@code stack} is its id or name (a
   * name is read through its id, since names are unique only within a scope: a server's users may
   * each have a stack of that name), else {@code stack} as given.
   */
  private String target(String stack, String onlyStackId) {
    if (onlyStackId == null || stack.equals(onlyStackId)) {
      return stack;
    }
    List<StackResourceView> own = reader.list(onlyStackId);
    return !own.isEmpty() && own.get(0).stackName().equals(stack) ? onlyStackId : stack;
  }

  private static boolean visible(StackResourceView r, String scope) {
    return scope == null || scope.equals(r.stackId());
  }

  private Response answer(Map<String, String> params, boolean json, String requestId, String scope) {
    String action = params.get("Action");
    if (action == null || action.isBlank()) {
      return error(json, requestId, 400, "MissingAction", "the request has no Action parameter");
    }
    try {
      return switch (action) {
        case "DescribeStackResource" -> describeStackResource(params, json, requestId, scope);
        case "DescribeStackResources" -> describeStackResources(params, json, requestId, scope);
        case "ListStackResources" -> listStackResources(params, json, requestId, scope);
        default -> error(json, requestId, 400, "InvalidAction",
            "Action '" + action + "' is not supported here; supported: DescribeStackResource, "
                + "DescribeStackResources, ListStackResources");
      };
    } catch (ValidationError e) {
      return error(json, requestId, 400, "ValidationError", e.getMessage());
    }
  }

  /** The original StackMate's {@code /metadata/<stack>/<logical>}: the DescribeStackResource JSON. */
  public Response metadataPath(String stack, String logicalId) {
    return handle(Map.of("Action", "DescribeStackResource", "StackName", stack,
        "LogicalResourceId", logicalId), true);
  }

  private static final class ValidationError extends RuntimeException {
    ValidationError(String message) {
      super(message);
    }
  }

  private static String required(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v == null || v.isBlank()) {
      throw new ValidationError("1 validation error detected: Value null at '" + lowerFirst(name)
          + "' failed to satisfy constraint: Member must not be null");
    }
    return v;
  }

  private static String lowerFirst(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private List<StackResourceView> stackResources(String stack, String scope) {
    List<StackResourceView> all = reader.list(target(stack, scope)).stream().filter(r -> visible(r, scope)).toList();
    if (all.isEmpty()) {
      throw new ValidationError("Stack with id " + stack + " does not exist");
    }
    return all;
  }

  private Response describeStackResource(Map<String, String> params, boolean json, String requestId, String scope) {
    String stack = required(params, "StackName");
    String logicalId = required(params, "LogicalResourceId");
    Optional<StackResourceView> found = find(stack, logicalId, scope);
    if (found.isEmpty()) {
      stackResources(stack, scope);
      throw new ValidationError("Resource " + logicalId + " does not exist for stack " + stack);
    }
    StackResourceView r = found.get();
    if (json) {
      ObjectNode detail = JSON.createObjectNode();
      detail.put("StackName", r.stackName());
      detail.put("StackId", r.stackId());
      detail.put("LogicalResourceId", r.logicalId());
      detail.put("PhysicalResourceId", r.physicalId());
      detail.put("ResourceType", r.type());
      detail.put("LastUpdatedTimestamp", epochSeconds(r.lastUpdated()));
      detail.put("ResourceStatus", r.status());
      detail.put("ResourceStatusReason", r.statusReason());
      detail.put("Description", r.description());
      detail.put("Metadata", metadataText(r));
      drift(detail, r);
      ObjectNode result = JSON.createObjectNode();
      result.set("StackResourceDetail", detail);
      return jsonResponse("DescribeStackResource", result, requestId);
    }
    Xml x = new Xml();
    x.open("StackResourceDetail");
    x.element("StackName", r.stackName()).element("StackId", r.stackId())
        .element("LogicalResourceId", r.logicalId()).element("PhysicalResourceId", r.physicalId())
        .element("ResourceType", r.type()).element("LastUpdatedTimestamp", iso(r.lastUpdated()))
        .element("ResourceStatus", r.status()).element("ResourceStatusReason", r.statusReason())
        .element("Description", r.description()).element("Metadata", metadataText(r));
    drift(x, r);
    x.close("StackResourceDetail");
    return xmlResponse("DescribeStackResource", x, requestId);
  }

  private Response describeStackResources(Map<String, String> params, boolean json, String requestId, String scope) {
    String stack = params.get("StackName");
    String physicalId = params.get("PhysicalResourceId");
    if ((stack == null || stack.isBlank()) && (physicalId == null || physicalId.isBlank())) {
      throw new ValidationError("Either StackName or PhysicalResourceId must be specified");
    }
    if (stack == null || stack.isBlank()) {
      throw new ValidationError("Lookup by PhysicalResourceId alone is not supported; give StackName");
    }
    String logicalId = params.get("LogicalResourceId");
    List<StackResourceView> resources = stackResources(stack, scope).stream()
        .filter(r -> logicalId == null || logicalId.isBlank() || r.logicalId().equals(logicalId))
        .filter(r -> physicalId == null || physicalId.isBlank() || physicalId.equals(r.physicalId()))
        .toList();
    if (json) {
      ArrayNode list = JSON.createArrayNode();
      for (StackResourceView r : resources) {
        ObjectNode o = list.addObject();
        o.put("StackName", r.stackName());
        o.put("StackId", r.stackId());
        o.put("LogicalResourceId", r.logicalId());
        o.put("PhysicalResourceId", r.physicalId());
        o.put("ResourceType", r.type());
        o.put("Timestamp", epochSeconds(r.lastUpdated()));
        o.put("ResourceStatus", r.status());
        o.put("ResourceStatusReason", r.statusReason());
        o.put("Description", r.description());
        drift(o, r);
      }
      ObjectNode result = JSON.createObjectNode();
      result.set("StackResources", list);
      return jsonResponse("DescribeStackResources", result, requestId);
    }
    Xml x = new Xml();
    x.open("StackResources");
    for (StackResourceView r : resources) {
      x.open("member");
      x.element("StackName", r.stackName()).element("StackId", r.stackId())
          .element("LogicalResourceId", r.logicalId()).element("PhysicalResourceId", r.physicalId())
          .element("ResourceType", r.type()).element("Timestamp", iso(r.lastUpdated()))
          .element("ResourceStatus", r.status()).element("ResourceStatusReason", r.statusReason())
          .element("Description", r.description());
      drift(x, r);
      x.close("member");
    }
    x.close("StackResources");
    return xmlResponse("DescribeStackResources", x, requestId);
  }

  private Response listStackResources(Map<String, String> params, boolean json, String requestId, String scope) {
    String stack = required(params, "StackName");
    List<StackResourceView> resources = stackResources(stack, scope);
    if (json) {
      ArrayNode list = JSON.createArrayNode();
      for (StackResourceView r : resources) {
        ObjectNode o = list.addObject();
        o.put("LogicalResourceId", r.logicalId());
        o.put("PhysicalResourceId", r.physicalId());
        o.put("ResourceType", r.type());
        o.put("LastUpdatedTimestamp", epochSeconds(r.lastUpdated()));
        o.put("ResourceStatus", r.status());
        o.put("ResourceStatusReason", r.statusReason());
        drift(o, r);
      }
      ObjectNode result = JSON.createObjectNode();
      result.set("StackResourceSummaries", list);
      result.putNull("NextToken");
      return jsonResponse("ListStackResources", result, requestId);
    }
    Xml x = new Xml();
    x.open("StackResourceSummaries");
    for (StackResourceView r : resources) {
      x.open("member");
      x.element("LogicalResourceId", r.logicalId()).element("PhysicalResourceId", r.physicalId())
          .element("ResourceType", r.type()).element("LastUpdatedTimestamp", iso(r.lastUpdated()))
          .element("ResourceStatus", r.status()).element("ResourceStatusReason", r.statusReason());
      drift(x, r);
      x.close("member");
    }
    x.close("StackResourceSummaries");
    return xmlResponse("ListStackResources", x, requestId);
  }

  /** The resource's DriftInformation: the status the stack's last drift detection found for it, and when. */
  private static void drift(ObjectNode o, StackResourceView r) {
    ObjectNode d = o.putObject("DriftInformation").put("StackResourceDriftStatus", r.drift().driftStatus());
    if (r.drift().lastCheckTimestamp() != null) {
      d.put("LastCheckTimestamp", epochSeconds(r.drift().lastCheckTimestamp()));
    }
  }

  private static void drift(Xml x, StackResourceView r) {
    x.open("DriftInformation").element("StackResourceDriftStatus", r.drift().driftStatus());
    if (r.drift().lastCheckTimestamp() != null) {
      x.element("LastCheckTimestamp", iso(r.drift().lastCheckTimestamp()));
    }
    x.close("DriftInformation");
  }

  private static String metadataText(StackResourceView r) {
    JsonNode m = r.metadata();
    return m == null || m.isNull() || m.isMissingNode() ? null : m.toString();
  }

  private static BigDecimal epochSeconds(Instant t) {
    Instant i = t == null ? Instant.EPOCH : t.truncatedTo(ChronoUnit.MILLIS);
    return BigDecimal.valueOf(i.toEpochMilli()).movePointLeft(3);
  }

  private static String iso(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format((t == null ? Instant.EPOCH : t).truncatedTo(ChronoUnit.MILLIS));
  }

  private static Response jsonResponse(String action, ObjectNode result, String requestId) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode response = body.putObject(action + "Response");
    response.set(action + "Result", result);
    response.putObject("ResponseMetadata").put("RequestId", requestId);
    return new Response(200, "application/json", body.toString());
  }

  private static Response xmlResponse(String action, Xml result, String requestId) {
    String body = "<" + action + "Response xmlns=\"" + XML_NAMESPACE + "\">"
        + "<" + action + "Result>" + result + "</" + action + "Result>"
        + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>"
        + "</" + action + "Response>";
    return new Response(200, "text/xml", body);
  }

  private static Response error(boolean json, String requestId, int status, String code, String message) {
    if (json) {
      ObjectNode body = JSON.createObjectNode();
      ObjectNode err = body.putObject("Error");
      err.put("Type", "Sender");
      err.put("Code", code);
      err.put("Message", message);
      body.put("RequestId", requestId);
      return new Response(status, "application/json", body.toString());
    }
    Xml x = new Xml();
    x.open("Error").element("Type", "Sender").element("Code", code).element("Message", message).close("Error");
    x.element("RequestId", requestId);
    return new Response(status, "text/xml",
        "<ErrorResponse xmlns=\"" + XML_NAMESPACE + "\">" + x + "</ErrorResponse>");
  }

  /**
   * Appends text as XML element content: markup characters escaped, a carriage return as a
   * reference (a parser would turn a raw one into a newline), and the control characters XML 1.0
   * does not allow at all, even as references, as U+FFFD.
   */
  public static void escapeXml(StringBuilder sb, String text) {
    // Runs of characters that need nothing are copied whole (most text is such a run); the scan reads
    // an array, which costs a third of reading the String a charAt at a time.
    char[] chars = text.toCharArray();
    int plain = 0;
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 0x20 ? c != '<' && c != '>' && c != '&' && c != '"' && c != '\'' : c == '\t' || c == '\n') {
        continue;
      }
      sb.append(text, plain, i);
      plain = i + 1;
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        case '\r' -> sb.append("&#13;");
        default -> sb.append('\uFFFD');
      }
    }
    sb.append(text, plain, text.length());
  }

  /** A tiny XML writer: elements with escaped text; null values are left out. */
  private static final class Xml {
    private final StringBuilder sb = new StringBuilder();

    Xml open(String name) {
      sb.append('<').append(name).append('>');
      return this;
    }

    Xml close(String name) {
      sb.append("</").append(name).append('>');
      return this;
    }

    Xml element(String name, String text) {
      if (text != null) {
        open(name);
        escape(text);
        close(name);
      }
      return this;
    }

    private void escape(String text) {
      escapeXml(sb, text);
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
