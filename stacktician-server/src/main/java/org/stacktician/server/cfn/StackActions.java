package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.engine.metadata.MetadataApi;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.waitcondition.Signal;
import org.stacktician.server.ServerException;
import org.stacktician.server.cfn.CfnApi.Action;
import org.stacktician.server.cfn.CfnApi.Reply;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.stacks.ServerStack;
import org.stacktician.server.stacks.StackService;
import org.stacktician.server.templates.Page;
import org.stacktician.server.users.Caller;

/**
 * The stack actions: create, delete, describe and list stacks, their events and resources,
 * signals, exports and imports; each a call of the stack service, scoped to the caller.
 */
final class StackActions {
  /** What DescribeStacks lists without a StackName: every stack that is not deleted. */
  private static final List<StackStatus> LIVE = Arrays.stream(StackStatus.values())
      .filter(s -> s != StackStatus.DELETE_COMPLETE).toList();

  private final ServerEngine.Holder stacks;
  private final MetadataApi resources;

  private StackActions(ServerEngine.Holder stacks) {
    this.stacks = stacks;
    this.resources = new MetadataApi(stacks.resourceReader());
  }

  static void register(Map<String, Action> actions, ServerEngine.Holder stacks) {
    StackActions a = new StackActions(stacks);
    actions.put("CreateStack", a::createStack);
    actions.put("DeleteStack", a::deleteStack);
    actions.put("DescribeStacks", a::describeStacks);
    actions.put("ListStacks", a::listStacks);
    actions.put("DescribeStackEvents", a::describeStackEvents);
    actions.put("DescribeStackResource", a::resourceAction);
    actions.put("DescribeStackResources", a::resourceAction);
    actions.put("ListStackResources", a::resourceAction);
    actions.put("SignalResource", a::signalResource);
    actions.put("ListExports", a::listExports);
    actions.put("ListImports", a::listImports);
    actions.put("UpdateTerminationProtection", a::updateTerminationProtection);
  }

  private StackService service() {
    return stacks.service();
  }

  private static Reply result(ObjectNode tree) {
    return new Reply.Result(tree);
  }

  private Reply createStack(Caller caller, QueryParams p) {
    String name = p.required("StackName");
    String body = TemplateActions.body(p);
    Map<String, String> parameters = new LinkedHashMap<>();
    for (Map<String, String> m : p.structures("Parameters")) {
      String key = m.get("ParameterKey");
      if (key == null || key.isEmpty()) {
        throw CfnError.validation("every member of Parameters needs a ParameterKey");
      }
      if ("true".equalsIgnoreCase(m.get("UsePreviousValue"))) {
        throw CfnError.validation("UsePreviousValue is for updates; parameter " + key + " has no previous value");
      }
      parameters.put(key, m.getOrDefault("ParameterValue", ""));
    }
    Boolean disableRollback = p.bool("DisableRollback");
    String onFailure = p.text("OnFailure");
    if (onFailure != null) {
      if (disableRollback != null) {
        throw CfnError.validation("You cannot specify both DisableRollback and OnFailure.");
      }
      disableRollback = switch (onFailure) {
        case "ROLLBACK" -> false;
        case "DO_NOTHING" -> true;
        case "DELETE" -> throw CfnError.validation("OnFailure DELETE is not supported by this server: give ROLLBACK"
            + " (the default) or DO_NOTHING");
        default -> throw CfnError.validation("Value '" + onFailure + "' at 'onFailure' failed to satisfy constraint:"
            + " Member must satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]");
      };
    }
    ServerStack made;
    try {
      made = service().create(caller, new StackService.CreateInput(name, null, null, body, parameters, account(p),
          p.integer("TimeoutInMinutes"), Boolean.TRUE.equals(disableRollback),
          Boolean.TRUE.equals(p.bool("EnableTerminationProtection"))));
    } catch (ServerException.Conflict e) {
      throw new CfnError("AlreadyExistsException", 400, "Stack [" + name + "] already exists");
    }
    return result(CfnShapes.object().put("StackId", made.record().stackId()));
  }

  /** The stack tag {@value StackService#ACCOUNT_TAG} names the cloud account; without it, the default one. */
  private static StackService.AccountChoice account(QueryParams p) {
    String name = null;
    for (Map<String, String> tag : p.structures("Tags")) {
      if (StackService.ACCOUNT_TAG.equals(tag.get("Key"))) {
        name = tag.get("Value");
        if (name == null || name.isBlank()) {
          throw CfnError.validation("the tag " + StackService.ACCOUNT_TAG + " needs a value: the name of one of your"
              + " cloud accounts");
        }
      }
    }
    return new StackService.AccountChoice(null, name);
  }

  private Reply deleteStack(Caller caller, QueryParams p) {
    ServerStack s;
    try {
      s = service().find(caller, p.required("StackName"));
    } catch (ServerException.NotFound e) {
      return result(null); // as CloudFormation: deleting a stack that does not exist succeeds
    }
    if (s.record().status() != StackStatus.DELETE_COMPLETE) {
      try {
        service().delete(caller, s.key(), Set.copyOf(p.list("RetainResources")));
      } catch (ServerException.Conflict e) {
        throw CfnError.validation(e.getMessage());
      }
    }
    return result(null);
  }

  private Reply updateTerminationProtection(Caller caller, QueryParams p) {
    Boolean enabled = p.bool("EnableTerminationProtection");
    if (enabled == null) {
      throw CfnError.missing("EnableTerminationProtection");
    }
    ServerStack s = service().updateTerminationProtection(caller, p.required("StackName"), enabled);
    return result(CfnShapes.object().put("StackId", s.record().stackId()));
  }

  private Reply describeStacks(Caller caller, QueryParams p) {
    String name = p.text("StackName");
    ObjectNode out = CfnShapes.object();
    ArrayNode list = out.putArray("Stacks");
    if (name != null) {
      list.add(CfnShapes.stack(service().find(caller, name)));
      return result(out);
    }
    Page<ServerStack> page = page(caller, LIVE, p, "DescribeStacks");
    page.items().forEach(s -> list.add(CfnShapes.stack(s)));
    out.put("NextToken", NextToken.after("DescribeStacks", page.offset(), page.items().size(),
        page.nextOffset() != null));
    return result(out);
  }

  private Reply listStacks(Caller caller, QueryParams p) {
    List<StackStatus> statuses = new ArrayList<>();
    for (String s : p.list("StackStatusFilter")) {
      try {
        statuses.add(StackStatus.valueOf(s));
      } catch (IllegalArgumentException e) {
        throw CfnError.validation("Value '" + s + "' at 'stackStatusFilter' failed to satisfy constraint: Member"
            + " must satisfy enum value set: " + Arrays.toString(StackStatus.values()));
      }
    }
    int offset = NextToken.offset(p, "ListStacks");
    StackService.SummaryPage page = service().summaries(caller, statuses, offset, NextToken.PAGE);
    ObjectNode out = CfnShapes.object();
    ArrayNode list = out.putArray("StackSummaries");
    page.items().forEach(s -> list.addPOJO(CfnShapes.summary(s)));
    out.put("NextToken", NextToken.after("ListStacks", offset, page.items().size(), page.more()));
    return result(out);
  }

  private Page<ServerStack> page(Caller caller, List<StackStatus> statuses, QueryParams p, String listing) {
    return service().list(caller, statuses, NextToken.offset(p, listing), NextToken.PAGE);
  }

  private Reply describeStackEvents(Caller caller, QueryParams p) {
    ServerStack s = service().find(caller, p.required("StackName"));
    List<StackEvent> events = new ArrayList<>(service().events(caller, s.key(), 0));
    java.util.Collections.reverse(events); // newest first, as CloudFormation lists them
    NextToken.Page<StackEvent> page = NextToken.page(events, p, "DescribeStackEvents:" + s.key());
    ObjectNode out = CfnShapes.object();
    ArrayNode list = out.putArray("StackEvents");
    page.items().forEach(e -> list.add(CfnShapes.event(e)));
    out.put("NextToken", page.nextToken());
    return result(out);
  }

  /**
   * DescribeStackResource(s) and ListStackResources: the metadata API that instances use, asked
   * about the caller's stack only (any other looks as if it did not exist).
   */
  private Reply resourceAction(Caller caller, QueryParams p) {
    String name = p.text("StackName");
    String physicalId = p.text("PhysicalResourceId");
    boolean byPhysicalId = name == null && physicalId != null && "DescribeStackResources".equals(p.text("Action"));
    if (name == null && !byPhysicalId) {
      throw "DescribeStackResources".equals(p.text("Action"))
          ? CfnError.validation("Either StackName or PhysicalResourceId must be specified.")
          : CfnError.missing("StackName");
    }
    if ("DescribeStackResource".equals(p.text("Action"))) {
      p.required("LogicalResourceId");
    }
    String scope = (byPhysicalId ? service().findByPhysicalId(caller, physicalId) : service().find(caller, name))
        .record().stackId();
    Map<String, String> params = new LinkedHashMap<>(p.values());
    params.put("StackName", scope);
    if (byPhysicalId) {
      params.remove("PhysicalResourceId"); // as CloudFormation: every resource of the stack that holds it
    }
    // JSON when asked (ContentType=JSON), as heat-cfntools' cfn-get-metadata does; else CloudFormation's XML.
    return new Reply.Ready(resources.handle(params, "JSON".equalsIgnoreCase(p.text("ContentType")), scope));
  }

  private Reply signalResource(Caller caller, QueryParams p) {
    String status = p.required("Status");
    Signal.Status parsed = switch (status) {
      case "SUCCESS" -> Signal.Status.SUCCESS;
      case "FAILURE" -> Signal.Status.FAILURE;
      default -> throw CfnError.validation("Value '" + status + "' at 'status' failed to satisfy constraint: Member"
          + " must satisfy enum value set: [SUCCESS, FAILURE]");
    };
    service().signal(caller, p.required("StackName"), p.required("LogicalResourceId"), p.required("UniqueId"), parsed);
    return result(null);
  }

  private Reply listExports(Caller caller, QueryParams p) {
    NextToken.Page<StackService.Export> page = NextToken.page(service().exports(caller), p, "ListExports");
    ObjectNode out = CfnShapes.object();
    ArrayNode list = out.putArray("Exports");
    page.items().forEach(e -> list.addObject().put("ExportingStackId", e.stackId()).put("Name", e.name())
        .put("Value", e.value()));
    out.put("NextToken", page.nextToken());
    return result(out);
  }

  private Reply listImports(Caller caller, QueryParams p) {
    String export = p.required("ExportName");
    List<String> importers = service().importers(caller, export);
    if (importers.isEmpty()) {
      throw CfnError.validation("Export '" + export + "' is not imported by any stack.");
    }
    NextToken.Page<String> page = NextToken.page(importers, p, "ListImports:" + export);
    ObjectNode out = CfnShapes.object();
    ArrayNode list = out.putArray("Imports");
    page.items().forEach(list::add);
    out.put("NextToken", page.nextToken());
    return result(out);
  }
}
