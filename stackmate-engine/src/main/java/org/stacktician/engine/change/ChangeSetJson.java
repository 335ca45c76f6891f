package org.stacktician.engine.change;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A change set's {@code Changes} as the AWS CLI's describe-change-set prints them: {@code [{Type:
 * Resource, ResourceChange: {Action, LogicalResourceId, PhysicalResourceId, ResourceType,
 * Replacement, Scope, Details: [{Target: {Attribute, Name, RequiresRecreation}, Evaluation,
 * ChangeSource, CausingEntity}]}}]}; absent values are left out as the CLI leaves them out.
 */
public final class ChangeSetJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ChangeSetJson() {}

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
}
