package org.stacktician.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.drift.StackDrift;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.server.ServerException;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.stacks.ServerStack;
import org.stacktician.server.stacks.StackService;
import org.stacktician.server.templates.Page;
import org.stacktician.server.users.Caller;

/**
 * The REST API's stacks: create, list, get, delete, events (with a since-cursor), resources, outputs, template,
 * termination protection, drift.
 */
final class StackRoutes {
  private StackRoutes() {}

  static void register(JavalinDefaultRoutingApi r, String base, ServerEngine.Holder stacks,
      Function<Context, Caller> caller, Function<Context, ObjectNode> body) {
    r.get(base + "/stacks", ctx -> {
      Page<ServerStack> page = stacks.service().list(caller.apply(ctx), statuses(ctx.queryParam("status")),
          RestApi.intParam(ctx, "offset", 0), RestApi.intParam(ctx, "limit", 50));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("items", page.items());
      out.put("total", page.total());
      out.put("offset", page.offset());
      out.put("limit", page.limit());
      out.put("nextOffset", page.nextOffset());
      RestApi.ok(ctx, out);
    });
    r.post(base + "/stacks", ctx -> RestApi.created(ctx, stacks.service().create(caller.apply(ctx),
        createInput(body.apply(ctx)))));
    r.get(base + "/stacks/{id}", ctx -> RestApi.ok(ctx, stacks.service().get(caller.apply(ctx), id(ctx))));
    r.delete(base + "/stacks/{id}", ctx -> RestApi.send(ctx, 202, stacks.service().delete(caller.apply(ctx),
        id(ctx))));
    r.get(base + "/stacks/{id}/events", ctx -> {
      long since = RestApi.intParam(ctx, "since", 0);
      List<StackEvent> events = stacks.service().events(caller.apply(ctx), id(ctx), since);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("items", events.stream().map(StackRoutes::event).toList());
      out.put("nextSince", events.isEmpty() ? since : events.get(events.size() - 1).sequence());
      RestApi.ok(ctx, out);
    });
    r.get(base + "/stacks/{id}/resources", ctx -> RestApi.ok(ctx, Map.of("items",
        stacks.service().resources(caller.apply(ctx), id(ctx)).stream().map(StackRoutes::resource).toList())));
    r.get(base + "/stacks/{id}/outputs", ctx -> RestApi.ok(ctx, Map.of("items",
        stacks.service().get(caller.apply(ctx), id(ctx)).record().outputs())));
    r.get(base + "/stacks/{id}/template", ctx -> RestApi.ok(ctx, Map.of("body",
        stacks.service().templateBody(stacks.service().get(caller.apply(ctx), id(ctx))))));
    r.post(base + "/stacks/{id}/drift", ctx -> {
      Caller c = caller.apply(ctx);
      // Accepted: the detection runs on the engine's scheduler; GET this path until it is no longer in progress.
      RestApi.send(ctx, 202, drift(stacks.service().detectDrift(c, stacks.service().get(c, id(ctx)).record()
          .stackId())));
    });
    r.get(base + "/stacks/{id}/drift", ctx -> RestApi.ok(ctx, drift(stacks.service().lastDrift(
        stacks.service().get(caller.apply(ctx), id(ctx))).orElseThrow(() -> new ServerException.NotFound(
            "stack " + id(ctx) + " has had no drift detection yet: POST to this path to detect its drift")))));
    r.put(base + "/stacks/{id}/termination-protection", ctx -> {
      Boolean enabled = Json.bool(body.apply(ctx), "enabled");
      if (enabled == null) {
        throw ServerException.Invalid.field("enabled", "give enabled: true or false");
      }
      Caller c = caller.apply(ctx);
      RestApi.ok(ctx, stacks.service().updateTerminationProtection(c,
          stacks.service().get(c, id(ctx)).record().stackId(), enabled));
    });
    UpdateRoutes.register(r, base, stacks, caller, body);
  }

  static String id(Context ctx) {
    return ctx.pathParam("id");
  }

  private static List<StackStatus> statuses(String text) {
    List<StackStatus> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String s : text.split(",")) {
      try {
        out.add(StackStatus.valueOf(s.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw ServerException.Invalid.field("status", "'" + s + "' is not a stack status (e.g. CREATE_COMPLETE)");
      }
    }
    return out;
  }

  private static StackService.CreateInput createInput(ObjectNode b) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameterValues(b, false).forEach((k, v) -> parameters.put(k, ((UpdateRequest.ParameterValue.Given) v).value()));
    return new StackService.CreateInput(Json.text(b, "name"), Json.text(b, "templateId"),
        Json.integer(b, "templateVersion"), Json.text(b, "templateBody"), parameters,
        new StackService.AccountChoice(Json.text(b, "cloudAccountId"), null), Json.integer(b, "timeoutMinutes"),
        Boolean.TRUE.equals(Json.bool(b, "disableRollback")),
        Boolean.TRUE.equals(Json.bool(b, "enableTerminationProtection")));
  }

  /**
   * The body's {@code parameters}: names to values (strings; numbers and booleans as their text), or, for an
   * update ({@code usePrevious}), {@code {"usePreviousValue": true}} to keep a parameter's value.
   */
  static Map<String, UpdateRequest.ParameterValue> parameterValues(ObjectNode b, boolean usePrevious) {
    Map<String, UpdateRequest.ParameterValue> parameters = new LinkedHashMap<>();
    JsonNode p = b.get("parameters");
    if (p == null || p.isNull()) {
      return parameters;
    }
    if (!p.isObject()) {
      throw ServerException.Invalid.field("parameters", "parameters must be an object of names to string values");
    }
    p.properties().forEach(e -> {
      JsonNode v = e.getValue();
      if (usePrevious && v.isObject() && v.size() == 1 && v.path("usePreviousValue").asBoolean(false)) {
        parameters.put(e.getKey(), new UpdateRequest.ParameterValue.UsePrevious());
      } else if (v.isValueNode() && !v.isNull()) {
        parameters.put(e.getKey(), new UpdateRequest.ParameterValue.Given(v.asText()));
      } else {
        throw ServerException.Invalid.field("parameters/" + e.getKey(), "a parameter's value must be a string"
            + (usePrevious ? ", or {\"usePreviousValue\": true} to keep its value" : ""));
      }
    });
    return parameters;
  }

  /** A stack's drift detection as the REST API shows it. */
  static Map<String, Object> drift(StackDrift d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stackId", d.stackId());
    m.put("stackName", d.stackName());
    m.put("detectionId", d.detectionId());
    m.put("stackDriftStatus", d.stackDriftStatus().name());
    m.put("detectionStatus", d.detectionStatus().name());
    m.put("detectionStatusReason", d.detectionStatusReason());
    m.put("detectedAt", d.detectedAt());
    m.put("driftedResources", d.driftedStackResourceCount());
    m.put("resourceDrifts", d.resourceDrifts());
    return m;
  }

  static Map<String, Object> event(StackEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sequence", e.sequence());
    m.put("eventId", e.eventId());
    m.put("logicalId", e.logicalId());
    m.put("physicalId", e.physicalId());
    m.put("resourceType", e.resourceType());
    m.put("timestamp", e.timestamp());
    m.put("status", e.status());
    m.put("statusReason", e.statusReason());
    return m;
  }

  static Map<String, Object> resource(StackService.Resource resource) {
    ResourceRecord r = resource.record();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("logicalId", r.logicalId());
    m.put("type", r.type());
    m.put("physicalId", r.physicalId());
    m.put("status", r.status() == null ? null : r.status().name());
    m.put("statusReason", r.statusReason());
    m.put("updatedAt", r.updatedAt());
    m.put("drift", resource.drift());
    return m;
  }
}
