package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stacktician.engine.drift.DriftJson;
import org.stacktician.engine.drift.ResourceDrift;
import org.stacktician.engine.drift.StackDrift;
import org.stacktician.server.cfn.CfnApi.Action;
import org.stacktician.server.cfn.CfnApi.Reply;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.stacks.ServerStack;
import org.stacktician.server.users.Caller;

/**
 * Drift: DetectStackDrift (answers the detection's id at once; the engine's scheduler runs it, so
 * DescribeStackDriftDetectionStatus shows DETECTION_IN_PROGRESS until it ends), DescribeStackDriftDetectionStatus and
 * DescribeStackResourceDrifts, shaped by the engine's {@link DriftJson} as the CLI's are.
 */
final class DriftActions {
  private final ServerEngine.Holder stacks;

  private DriftActions(ServerEngine.Holder stacks) {
    this.stacks = stacks;
  }

  static void register(Map<String, Action> actions, ServerEngine.Holder stacks) {
    DriftActions a = new DriftActions(stacks);
    actions.put("DetectStackDrift", a::detect);
    actions.put("DescribeStackDriftDetectionStatus", a::status);
    actions.put("DescribeStackResourceDrifts", a::resourceDrifts);
  }

  private Reply detect(Caller caller, QueryParams p) {
    String stack = p.required("StackName");
    if (!p.list("LogicalResourceIds").isEmpty()) {
      throw CfnError.validation("LogicalResourceIds is not supported by this server: DetectStackDrift checks every"
          + " resource of the stack (DetectStackResourceDrift is not served either)");
    }
    StackDrift drift = stacks.service().detectDrift(caller, stack);
    return new Reply.Result(CfnShapes.object().put("StackDriftDetectionId", drift.detectionId()));
  }

  private Reply status(Caller caller, QueryParams p) {
    StackDrift drift = stacks.service().driftDetection(caller, p.required("StackDriftDetectionId"));
    return new Reply.Result(DriftJson.status(drift));
  }

  private Reply resourceDrifts(Caller caller, QueryParams p) {
    ServerStack stack = stacks.service().find(caller, p.required("StackName"));
    List<String> statuses = p.list("StackResourceDriftStatusFilters");
    for (String s : statuses) {
      try {
        ResourceDrift.Status.valueOf(s);
      } catch (IllegalArgumentException e) {
        throw CfnError.validation("Value '" + s + "' at 'stackResourceDriftStatusFilters' failed to satisfy"
            + " constraint: Member must satisfy enum value set: [IN_SYNC, MODIFIED, DELETED, NOT_CHECKED]");
      }
    }
    List<JsonNode> drifts = new ArrayList<>();
    stacks.service().lastDrift(stack).ifPresent(d -> DriftJson.resourceDrifts(d).forEach(n -> {
      if (statuses.isEmpty() || statuses.contains(n.path("StackResourceDriftStatus").asText())) {
        drifts.add(complete((ObjectNode) n));
      }
    }));
    NextToken.Page<JsonNode> page = NextToken.page(drifts, p, "DescribeStackResourceDrifts:" + stack.key());
    ObjectNode out = CfnShapes.object();
    ArrayNode list = out.putArray("StackResourceDrifts");
    page.items().forEach(list::add);
    out.put("NextToken", page.nextToken());
    return new Reply.Result(out);
  }

  /** The model requires both values of a property difference: an absent one (a property removed or added) is empty. */
  private static ObjectNode complete(ObjectNode drift) {
    drift.path("PropertyDifferences").forEach(d -> {
      ObjectNode difference = (ObjectNode) d;
      if (!difference.has("ExpectedValue")) {
        difference.put("ExpectedValue", "");
      }
      if (!difference.has("ActualValue")) {
        difference.put("ActualValue", "");
      }
    });
    return drift;
  }
}
