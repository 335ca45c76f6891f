package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.stacktician.engine.drift.DriftInformation;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.stack.StackSummary;
import org.stacktician.server.stacks.ListedStack;
import org.stacktician.server.stacks.ServerStack;
import org.stacktician.server.stacks.StackService;

/**
 * The model's structures of a stack (Stack, StackSummary, StackEvent, Output, Parameter) built
 * from the server's and the engine's records, NoEcho values as {@code ****}.
 */
final class CfnShapes {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CfnShapes() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** Sets a timestamp member (left out when null). */
  static void time(ObjectNode o, String name, Instant at) {
    if (at != null) {
      o.putPOJO(name, at);
    }
  }

  /**
   * DescribeStacks' Stack: its Tags are the one tag {@value StackService#ACCOUNT_TAG} naming the cloud account it runs
   * in (the tag CreateStack chooses it with; left out once the account is removed).
   */
  static ObjectNode stack(ServerStack s) {
    StackRecord r = s.record();
    ObjectNode o = object();
    o.put("StackId", r.stackId());
    o.put("StackName", r.stackName());
    o.put("Description", r.description());
    ArrayNode params = o.putArray("Parameters");
    for (StackParameter p : r.parameters()) {
      params.addObject().put("ParameterKey", p.key()).put("ParameterValue", p.displayValue());
    }
    times(o, r);
    o.put("StackStatus", r.status().name());
    o.put("StackStatusReason", r.statusReason());
    o.put("DisableRollback", r.disableRollback());
    o.putArray("NotificationARNs");
    if (r.timeoutMinutes() != null) {
      o.put("TimeoutInMinutes", r.timeoutMinutes());
    }
    o.putArray("Capabilities");
    ArrayNode outputs = o.putArray("Outputs");
    for (StackOutput out : r.outputs()) {
      outputs.add(output(out));
    }
    ArrayNode tags = o.putArray("Tags");
    if (s.cloudAccountName() != null) {
      tags.addObject().put("Key", StackService.ACCOUNT_TAG).put("Value", s.cloudAccountName());
    }
    o.put("EnableTerminationProtection", r.terminationProtection());
    o.put("ParentId", r.parentStackId());
    o.putPOJO("DriftInformation", drift(s.drift()));
    return o;
  }

  /** ListStacks' StackSummary. */
  static QueryXml.Written summary(ListedStack s) {
    StackSummary r = s.summary();
    return sb -> {
      QueryXml.text(sb, "StackId", r.stackId());
      QueryXml.text(sb, "StackName", r.stackName());
      QueryXml.text(sb, "TemplateDescription", r.description());
      QueryXml.time(sb, "CreationTime", r.createdAt());
      QueryXml.time(sb, "DeletionTime", deletionTime(r.status(), r.updatedAt()));
      QueryXml.time(sb, "LastUpdatedTime", lastUpdatedTime(r.templateVersion(), r.updatedAt()));
      QueryXml.text(sb, "StackStatus", r.status().name());
      QueryXml.text(sb, "StackStatusReason", r.statusReason());
      QueryXml.text(sb, "ParentId", r.parentStackId());
      sb.append("<DriftInformation>");
      drift(s.drift()).writeMembers(sb);
      sb.append("</DriftInformation>");
    };
  }

  /** A stack's DriftInformation (StackDriftInformation, StackDriftInformationSummary): its last detection's status and start. */
  private static QueryXml.Written drift(DriftInformation drift) {
    return sb -> {
      QueryXml.text(sb, "StackDriftStatus", drift.driftStatus());
      QueryXml.time(sb, "LastCheckTimestamp", drift.lastCheckTimestamp());
    };
  }

  /** CreationTime; LastUpdatedTime once the stack was updated; DeletionTime once it is deleted. */
  private static void times(ObjectNode o, StackRecord r) {
    time(o, "CreationTime", r.createdAt());
    time(o, "DeletionTime", deletionTime(r.status(), r.updatedAt()));
    time(o, "LastUpdatedTime", lastUpdatedTime(r.templateVersion(), r.updatedAt()));
  }

  /** A stack's DeletionTime: its last change once it is deleted, else none. */
  private static Instant deletionTime(StackStatus status, Instant updated) {
    return status == StackStatus.DELETE_COMPLETE ? updated : null;
  }

  /** A stack's LastUpdatedTime: its last change once it was updated (its template version is past the first), else none. */
  private static Instant lastUpdatedTime(int templateVersion, Instant updated) {
    return templateVersion > 1 ? updated : null;
  }

  static ObjectNode output(StackOutput out) {
    ObjectNode o = object();
    o.put("OutputKey", out.key());
    o.put("OutputValue", out.displayValue());
    o.put("Description", out.description());
    o.put("ExportName", out.exportName());
    return o;
  }

  /** DescribeStackEvents' StackEvent (the resolved properties left out: they may hold NoEcho values). */
  static ObjectNode event(StackEvent e) {
    ObjectNode o = object();
    o.put("StackId", e.stackId());
    o.put("EventId", e.eventId());
    o.put("StackName", e.stackName());
    o.put("LogicalResourceId", e.logicalId());
    o.put("PhysicalResourceId", e.physicalId());
    o.put("ResourceType", e.resourceType());
    time(o, "Timestamp", e.timestamp());
    o.put("ResourceStatus", e.status());
    o.put("ResourceStatusReason", e.statusReason());
    return o;
  }
}
