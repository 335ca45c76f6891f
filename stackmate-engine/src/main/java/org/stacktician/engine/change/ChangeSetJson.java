package org.stacktician.engine.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A change set's {@code Changes} as the AWS CLI's describe-change-set prints them: {@code [{Type:
 * Resource, ResourceChange: {Action, LogicalResourceId, PhysicalResourceId, ResourceType,
 * Replacement, Scope, Details: [{Target: {Attribute, Name, RequiresRecreation}, Evaluation,
 * ChangeSource, CausingEntity}]}}]}; absent values are left out as the CLI leaves them out.
 */
public final class ChangeSetJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ChangeSetJson() {}

  /**
   * A stored change set as the AWS CLI's describe-change-set prints it: ChangeSetName, ChangeSetId, StackId,
   * StackName, Description, Parameters (NoEcho masked), CreationTime, ExecutionStatus, Status, StatusReason, Changes.
   */
  public static ObjectNode describe(ChangeSetRecord cs) {
    ObjectNode root = summary(cs);
    root.set("Parameters", parameters(cs.changeSet()));
    root.set("Changes", changes(cs.changeSet()));
    return root;
  }

  /** A change set as the AWS CLI's list-change-sets prints each of its {@code Summaries}. */
  public static ObjectNode summary(ChangeSetRecord cs) {
    ObjectNode root = NODES.objectNode();
    root.put("ChangeSetName", cs.changeSetName());
    root.put("ChangeSetId", cs.changeSetId());
    root.put("StackId", cs.stackId());
    root.put("StackName", cs.stackName());
    if (cs.description() != null) {
      root.put("Description", cs.description());
    }
    root.put("CreationTime", cs.createdAt().toString());
    root.put("ExecutionStatus", cs.executionStatus().name());
    root.put("Status", cs.status().name());
    if (cs.statusReason() != null) {
      root.put("StatusReason", cs.statusReason());
    }
    return root;
  }

  /** The {@code Parameters} array ({@code ParameterKey}, {@code ParameterValue}); NoEcho values masked. */
  public static ArrayNode parameters(ChangeSet changeSet) {
    ArrayNode out = NODES.arrayNode();
    changeSet.parameters().forEach(p -> out.addObject().put("ParameterKey", p.key())
        .put("ParameterValue", p.displayValue()));
    return out;
  }

  /** The {@code Changes} array. */
  public static ArrayNode changes(ChangeSet changeSet) {
    ArrayNode out = NODES.arrayNode();
    for (ResourceChange c : changeSet.changes()) {
      ObjectNode change = out.addObject();
      change.put("Type", "Resource");
      ObjectNode rc = change.putObject("ResourceChange");
      rc.put("Action", c.action().awsName());
      rc.put("LogicalResourceId", c.logicalResourceId());
      if (c.physicalResourceId() != null) {
        rc.put("PhysicalResourceId", c.physicalResourceId());
      }
      rc.put("ResourceType", c.resourceType());
      if (c.replacement() != null) {
        rc.put("Replacement", c.replacement().awsName());
      }
      ArrayNode scope = rc.putArray("Scope");
      c.scope().forEach(a -> scope.add(a.awsName()));
      ArrayNode details = rc.putArray("Details");
      for (ChangeDetail d : c.details()) {
        ObjectNode detail = details.addObject();
        ObjectNode target = detail.putObject("Target");
        target.put("Attribute", d.target().attribute().awsName());
        if (d.target().name() != null) {
          target.put("Name", d.target().name());
        }
        target.put("RequiresRecreation", d.target().requiresRecreation().awsName());
        detail.put("Evaluation", d.evaluation().awsName());
        detail.put("ChangeSource", d.changeSource().awsName());
        if (d.causingEntity() != null) {
          detail.put("CausingEntity", d.causingEntity());
        }
      }
    }
    return out;
  }

  /**
   * The changes of a {@code Changes} array {@link #changes} wrote (a stored change set's).
   *
   * @throws IllegalArgumentException when it is not in that shape
   */
  public static List<ResourceChange> readChanges(JsonNode changes) {
    List<ResourceChange> out = new ArrayList<>();
    for (JsonNode change : changes) {
      JsonNode rc = change.path("ResourceChange");
      List<ChangeDetail> details = new ArrayList<>();
      for (JsonNode d : rc.path("Details")) {
        JsonNode t = d.path("Target");
        details.add(new ChangeDetail(new Target(AwsNames.parse(Target.Attribute.class, t.path("Attribute").asText()),
            t.path("Name").asText(null), AwsNames.parse(Target.RequiresRecreation.class,
                t.path("RequiresRecreation").asText())),
            AwsNames.parse(ChangeDetail.Evaluation.class, d.path("Evaluation").asText()),
            AwsNames.parse(ChangeDetail.Source.class, d.path("ChangeSource").asText()),
            d.path("CausingEntity").asText(null)));
      }
      List<Target.Attribute> scope = new ArrayList<>();
      rc.path("Scope").forEach(a -> scope.add(AwsNames.parse(Target.Attribute.class, a.asText())));
      out.add(new ResourceChange(AwsNames.parse(ResourceChange.Action.class, rc.path("Action").asText()),
          rc.path("LogicalResourceId").asText(), rc.path("PhysicalResourceId").asText(null),
          rc.path("ResourceType").asText(null), rc.hasNonNull("Replacement")
              ? AwsNames.parse(ResourceChange.Replacement.class, rc.get("Replacement").asText()) : null,
          scope, details));
    }
    return out;
  }
}
