package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.stack.TerminalText;

/**
 * How stacks, events and resources are shown: text tables and the JSON shapes of the AWS CLI. Text
 * goes through {@link #row} and {@link #text}, which render values from outside without control
 * characters ({@link TerminalText}); JSON keeps them intact.
 */
final class StackViews {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  static final String EVENT_FORMAT = "%-19s  %-26s  %-40s  %-20s  %s%n";

  private StackViews() {}

  static String time(Instant i) {
    return i == null ? "" : TIME.format(i);
  }

  /** A value for text output: control characters made visible; null as "". */
  static String text(Object value) {
    return value == null ? "" : TerminalText.safe(value.toString());
  }

  /** Prints {@code error: MESSAGE} (control characters made visible) to {@code err}; the exit code of a failure. */
  static int error(PrintWriter err, String message) {
    err.println("error: " + TerminalText.lines(message));
    err.flush();
    return org.stacktician.cli.ExitCodes.FAILED;
  }

  /** Prints one row of a text table, each cell through {@link #text}. */
  static void row(PrintWriter out, String format, Object... cells) {
    Object[] shown = new Object[cells.length];
    for (int i = 0; i < cells.length; i++) {
      shown[i] = text(cells[i]);
    }
    out.printf(format, shown);
  }

  static void eventHeader(PrintWriter out) {
    row(out, EVENT_FORMAT, "TIMESTAMP (UTC)", "LOGICAL ID", "TYPE", "STATUS", "REASON");
  }

  static void eventRow(PrintWriter out, StackEvent e) {
    row(out, EVENT_FORMAT, time(e.timestamp()), e.logicalId(), e.resourceType(), e.status(), e.statusReason());
  }

  static void summary(PrintWriter out, StackRecord s) {
    out.println("Stack " + text(s.stackName()) + ": " + s.status()
        + (s.statusReason() == null ? "" : " (" + text(s.statusReason()) + ")"));
    out.println("  id: " + text(s.stackId()));
    if (!s.outputs().isEmpty() && !s.status().name().startsWith("DELETE")) {
      out.println("Outputs:");
      int width = s.outputs().stream().mapToInt(o -> text(o.key()).length()).max().orElse(0);
      for (StackOutput o : s.outputs()) {
        row(out, "  %-" + width + "s  %s%s%n", o.key(), o.displayValue(),
            o.description() == null ? "" : "   (" + o.description() + ")");
      }
    }
  }

  /** DescribeStacks' stack with its DriftInformation ({@code StackDriftStatus}, {@code LastCheckTimestamp}). */
  static ObjectNode stack(StackRecord s, org.stacktician.engine.drift.DriftInformation drift) {
    ObjectNode n = stack(s);
    ObjectNode d = n.putObject("DriftInformation").put("StackDriftStatus", drift.driftStatus());
    if (drift.lastCheckTimestamp() != null) {
      d.put("LastCheckTimestamp", drift.lastCheckTimestamp().toString());
    }
    return n;
  }

  static ObjectNode stack(StackRecord s) {
    ObjectNode n = NODES.objectNode();
    n.put("StackId", s.stackId());
    n.put("StackName", s.stackName());
    if (s.description() != null) {
      n.put("Description", s.description());
    }
    n.put("StackStatus", s.status().name());
    if (s.statusReason() != null) {
      n.put("StackStatusReason", s.statusReason());
    }
    times(n, s);
    n.put("DisableRollback", s.disableRollback());
    n.put("EnableTerminationProtection", s.terminationProtection());
    if (s.timeoutMinutes() != null) {
      n.put("TimeoutInMinutes", s.timeoutMinutes());
    }
    if (s.parentStackId() != null) {
      n.put("ParentId", s.parentStackId());
    }
    ArrayNode params = n.putArray("Parameters");
    for (StackParameter p : s.parameters()) {
      params.addObject().put("ParameterKey", p.key()).put("ParameterValue", p.displayValue());
    }
    ArrayNode outputs = n.putArray("Outputs");
    for (StackOutput o : s.outputs()) {
      ObjectNode on = outputs.addObject().put("OutputKey", o.key()).put("OutputValue", o.displayValue());
      if (o.description() != null) {
        on.put("Description", o.description());
      }
      if (o.exportName() != null) {
        on.put("ExportName", o.exportName());
      }
    }
    return n;
  }

  /** ListStacks' summary of a stack, with the AWS CLI's field names. */
  static ObjectNode stackSummary(StackRecord s) {
    ObjectNode n = NODES.objectNode();
    n.put("StackId", s.stackId());
    n.put("StackName", s.stackName());
    if (s.description() != null) {
      n.put("TemplateDescription", s.description());
    }
    times(n, s);
    n.put("StackStatus", s.status().name());
    if (s.statusReason() != null) {
      n.put("StackStatusReason", s.statusReason());
    }
    if (s.parentStackId() != null) {
      n.put("ParentId", s.parentStackId());
    }
    return n;
  }

  /**
   * CreationTime, and DeletionTime once deleted (its last change). No LastUpdatedTime: CloudFormation
   * sets it only when a stack is updated, which no stack here has been.
   */
  private static void times(ObjectNode n, StackRecord s) {
    n.put("CreationTime", s.createdAt().toString());
    if (s.status() == StackStatus.DELETE_COMPLETE) {
      n.put("DeletionTime", s.updatedAt().toString());
    }
  }

  static ObjectNode event(StackEvent e) {
    ObjectNode n = NODES.objectNode();
    n.put("StackId", e.stackId());
    n.put("EventId", e.eventId());
    n.put("StackName", e.stackName());
    n.put("LogicalResourceId", e.logicalId());
    if (e.physicalId() != null) {
      n.put("PhysicalResourceId", e.physicalId());
    }
    n.put("ResourceType", e.resourceType());
    n.put("Timestamp", e.timestamp().toString());
    n.put("ResourceStatus", e.status());
    if (e.statusReason() != null) {
      n.put("ResourceStatusReason", e.statusReason());
    }
    return n;
  }

  static ObjectNode resource(StackRecord s, ResourceRecord r) {
    ObjectNode n = NODES.objectNode();
    n.put("StackName", s.stackName());
    n.put("StackId", s.stackId());
    n.put("LogicalResourceId", r.logicalId());
    if (r.physicalId() != null) {
      n.put("PhysicalResourceId", r.physicalId());
    }
    n.put("ResourceType", r.type());
    n.put("Timestamp", r.updatedAt().toString());
    n.put("ResourceStatus", r.status().name());
    if (r.statusReason() != null) {
      n.put("ResourceStatusReason", r.statusReason());
    }
    return n;
  }

  static ArrayNode events(List<StackEvent> events) {
    ArrayNode a = NODES.arrayNode();
    events.forEach(e -> a.add(event(e)));
    return a;
  }

  static void printJson(PrintWriter out, Object node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
