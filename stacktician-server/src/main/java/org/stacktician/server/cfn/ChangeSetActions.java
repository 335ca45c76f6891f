package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stacktician.engine.change.ChangeSetJson;
import org.stacktician.engine.change.ChangeSetRecord;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.server.ServerException;
import org.stacktician.server.cfn.CfnApi.Action;
import org.stacktician.server.cfn.CfnApi.Reply;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.stacks.ServerStack;
import org.stacktician.server.users.Caller;

/**
 * The change-set actions (CreateChangeSet, DescribeChangeSet, ListChangeSets, DeleteChangeSet, ExecuteChangeSet),
 * shaped by the engine's {@link ChangeSetJson} as the CLI's describe-change-set is.
 */
final class ChangeSetActions {
  private final ServerEngine.Holder stacks;

  private ChangeSetActions(ServerEngine.Holder stacks) {
    this.stacks = stacks;
  }

  static void register(Map<String, Action> actions, ServerEngine.Holder stacks) {
    ChangeSetActions a = new ChangeSetActions(stacks);
    actions.put("CreateChangeSet", a::create);
    actions.put("DescribeChangeSet", a::describe);
    actions.put("ListChangeSets", a::list);
    actions.put("DeleteChangeSet", a::delete);
    actions.put("ExecuteChangeSet", a::execute);
  }

  /** The parameters of an update: values given, or UsePreviousValue. */
  static UpdateRequest update(QueryParams p) {
    boolean previous = Boolean.TRUE.equals(p.bool("UsePreviousTemplate"));
    String body = null;
    if (previous) {
      if (p.text("TemplateBody") != null || p.text("TemplateURL") != null) {
        throw CfnError.validation("You cannot specify both usePreviousTemplate and Template Body/Template URL.");
      }
    } else {
      body = TemplateActions.body(p);
    }
    Map<String, UpdateRequest.ParameterValue> parameters = new LinkedHashMap<>();
    for (Map<String, String> m : p.structures("Parameters")) {
      String key = m.get("ParameterKey");
      if (key == null || key.isEmpty()) {
        throw CfnError.validation("every member of Parameters needs a ParameterKey");
      }
      boolean usePrevious = "true".equalsIgnoreCase(m.get("UsePreviousValue"));
      if (usePrevious && m.get("ParameterValue") != null) {
        throw CfnError.validation("Invalid input for parameter key " + key
            + ". Cannot specify usePreviousValue as true and a parameter value at the same time.");
      }
      parameters.put(key, usePrevious ? new UpdateRequest.ParameterValue.UsePrevious()
          : new UpdateRequest.ParameterValue.Given(m.getOrDefault("ParameterValue", "")));
    }
    return new UpdateRequest(body, parameters);
  }

  private Reply create(Caller caller, QueryParams p) {
    String stack = p.required("StackName");
    String name = p.required("ChangeSetName");
    String type = p.text("ChangeSetType");
    if (type != null && !type.equals("UPDATE")) {
      throw CfnError.validation("ChangeSetType " + type + " is not supported by this server: create the stack with"
          + " CreateStack, then change it with change sets of type UPDATE");
    }
    ChangeSetRecord cs = stacks.service().createChangeSet(caller, stack, name, update(p), null, p.text("Description"));
    return new Reply.Result(CfnShapes.object().put("Id", cs.changeSetId()).put("StackId", cs.stackId()));
  }

  /** The change set a request names: ChangeSetName (a name within StackName, or an ARN). */
  static ChangeSetRecord named(ServerEngine.Holder stacks, Caller caller, QueryParams p) {
    return named(stacks, caller, p.required("ChangeSetName"), p.text("StackName"));
  }

  /** A change set by name within a stack, or by ARN. */
  static ChangeSetRecord named(ServerEngine.Holder stacks, Caller caller, String name, String stackName) {
    if (stackName == null && !name.startsWith("arn:")) {
      throw CfnError.validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
    }
    ServerStack stack = stackName == null ? null : stacks.service().find(caller, stackName);
    try {
      return stacks.service().changeSet(caller, stack, name);
    } catch (ServerException.NotFound e) {
      throw new CfnError("ChangeSetNotFound", 404, e.getMessage());
    }
  }

  private Reply describe(Caller caller, QueryParams p) {
    ObjectNode out = ChangeSetJson.describe(named(stacks, caller, p));
    out.putArray("NotificationARNs");
    out.putArray("Capabilities");
    out.putArray("Tags");
    return new Reply.Result(out);
  }

  private Reply list(Caller caller, QueryParams p) {
    ServerStack stack = stacks.service().find(caller, p.required("StackName"));
    List<ChangeSetRecord> all = stacks.service().changeSets(stack);
    NextToken.Page<ChangeSetRecord> page = NextToken.page(all, p, "ListChangeSets:" + stack.key());
    ObjectNode out = CfnShapes.object();
    ArrayNode list = out.putArray("Summaries");
    page.items().forEach(cs -> list.add(ChangeSetJson.summary(cs)));
    out.put("NextToken", page.nextToken());
    return new Reply.Result(out);
  }

  private Reply execute(Caller caller, QueryParams p) {
    // Left out, a failed execution rolls back, as it does on AWS.
    stacks.service().executeChangeSet(caller, named(stacks, caller, p), Boolean.TRUE.equals(p.bool("DisableRollback")));
    return new Reply.Result(CfnShapes.object());
  }

  private Reply delete(Caller caller, QueryParams p) {
    ChangeSetRecord cs = named(stacks, caller, p);
    stacks.service().deleteChangeSet(caller, stacks.service().find(caller, cs.stackId()), cs.changeSetId());
    return new Reply.Result(CfnShapes.object());
  }
}
