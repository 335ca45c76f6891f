package org.stacktician.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.stacktician.engine.change.ChangeSetJson;
import org.stacktician.engine.change.ChangeSetRecord;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.server.ServerException;
import org.stacktician.server.stacks.LibraryVersion;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.stacks.ServerStack;
import org.stacktician.server.stacks.StackService;
import org.stacktician.server.users.Caller;

/**
 * The REST API's stack updates: update (a new body, a library template, or the previous template; parameters or
 * {@code usePreviousValue}), change sets (create, list, get, delete, execute), cancel-update,
 * continue-update-rollback and rollback; each the stack service's call that the CloudFormation API makes too.
 */
final class UpdateRoutes {
  private final ServerEngine.Holder stacks;
  private final Function<Context, Caller> caller;
  private final Function<Context, ObjectNode> body;

  private UpdateRoutes(ServerEngine.Holder stacks, Function<Context, Caller> caller,
      Function<Context, ObjectNode> body) {
    this.stacks = stacks;
    this.caller = caller;
    this.body = body;
  }

  static void register(JavalinDefaultRoutingApi r, String base, ServerEngine.Holder stacks,
      Function<Context, Caller> caller, Function<Context, ObjectNode> body) {
    UpdateRoutes u = new UpdateRoutes(stacks, caller, body);
    String stack = base + "/stacks/{id}";
    r.put(stack, ctx -> {
      ObjectNode b = u.body.apply(ctx);
      Update update = u.update(ctx, b);
      accepted(ctx, u.service().update(u.caller.apply(ctx), u.stackId(ctx),
          update.request().withDisableRollback(disableRollback(b)), update.library()));
    });
    r.post(stack + "/cancel-update", ctx -> accepted(ctx, u.service().cancelUpdate(u.caller.apply(ctx),
        u.stackId(ctx))));
    r.post(stack + "/continue-update-rollback", ctx -> accepted(ctx, u.service().continueUpdateRollback(
        u.caller.apply(ctx), u.stackId(ctx), resourcesToSkip(u.body.apply(ctx)))));
    r.post(stack + "/rollback", ctx -> accepted(ctx, u.service().rollback(u.caller.apply(ctx), u.stackId(ctx))));
    r.get(stack + "/change-sets", ctx -> {
      ServerStack s = u.stack(ctx);
      RestApi.ok(ctx, Map.of("items", u.service().changeSets(s).stream().map(UpdateRoutes::summary).toList()));
    });
    r.post(stack + "/change-sets", u::createChangeSet);
    r.get(stack + "/change-sets/{name}", ctx -> RestApi.ok(ctx, detail(u.changeSet(ctx))));
    r.delete(stack + "/change-sets/{name}", ctx -> {
      u.service().deleteChangeSet(u.caller.apply(ctx), u.stack(ctx), ctx.pathParam("name"));
      ctx.status(204);
    });
    r.post(stack + "/change-sets/{name}/execute", ctx -> accepted(ctx, u.service().executeChangeSet(
        u.caller.apply(ctx), u.changeSet(ctx), disableRollback(u.body.apply(ctx)))));
  }

  private StackService service() {
    return stacks.service();
  }

  private ServerStack stack(Context ctx) {
    return service().get(caller.apply(ctx), StackRoutes.id(ctx));
  }

  /** The stack's id (its ARN) for the service's calls that take a name or id. */
  private String stackId(Context ctx) {
    return stack(ctx).record().stackId();
  }

  private ChangeSetRecord changeSet(Context ctx) {
    return service().changeSet(caller.apply(ctx), stack(ctx), ctx.pathParam("name"));
  }

  private void createChangeSet(Context ctx) {
    ObjectNode b = body.apply(ctx);
    String name = Json.text(b, "name");
    if (name == null || name.isBlank()) {
      throw ServerException.Invalid.field("name", "give the change set's name");
    }
    Caller c = caller.apply(ctx);
    Update update = update(ctx, b);
    ChangeSetRecord cs = service().createChangeSet(c, stackId(ctx), name, update.request(), update.library(),
        Json.text(b, "description"));
    RestApi.created(ctx, detail(cs));
  }

  /** A failed update stops UPDATE_FAILED, leaving what it made, when the body says {@code "disableRollback": true}. */
  private static boolean disableRollback(ObjectNode b) {
    return Boolean.TRUE.equals(Json.bool(b, "disableRollback"));
  }

  /** An update's request, and the library template version its new template is (null: a body or the previous one). */
  private record Update(UpdateRequest request, LibraryVersion library) {}

  /** An update's template (body, library template, or the previous one) and parameter values. */
  private Update update(Context ctx, ObjectNode b) {
    boolean previous = Boolean.TRUE.equals(Json.bool(b, "usePreviousTemplate"));
    String templateId = Json.text(b, "templateId");
    String templateBody = Json.text(b, "templateBody");
    Integer version = Json.integer(b, "templateVersion");
    StackService.ChosenTemplate chosen = null;
    if (previous) {
      if (templateId != null || templateBody != null) {
        throw ServerException.Invalid.field("usePreviousTemplate", "give usePreviousTemplate, templateId or"
            + " templateBody: only one");
      }
    } else {
      chosen = service().template(caller.apply(ctx), templateId, version, templateBody);
    }
    return new Update(new UpdateRequest(chosen == null ? null : chosen.body(), StackRoutes.parameterValues(b, true)),
        chosen == null ? null : chosen.library());
  }

  private static Set<String> resourcesToSkip(ObjectNode b) {
    Set<String> out = new LinkedHashSet<>();
    JsonNode skip = b.get("resourcesToSkip");
    if (skip == null || skip.isNull()) {
      return out;
    }
    if (!skip.isArray()) {
      throw ServerException.Invalid.field("resourcesToSkip", "resourcesToSkip must be a list of logical ids");
    }
    for (JsonNode id : skip) {
      if (!id.isTextual()) {
        throw ServerException.Invalid.field("resourcesToSkip", "resourcesToSkip must be a list of logical ids");
      }
      out.add(id.asText());
    }
    return out;
  }

  private static void accepted(Context ctx, ServerStack s) {
    RestApi.send(ctx, 202, s);
  }

  static Map<String, Object> summary(ChangeSetRecord cs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", cs.changeSetId());
    m.put("name", cs.changeSetName());
    m.put("stackId", cs.stackId());
    m.put("stackName", cs.stackName());
    m.put("description", cs.description());
    m.put("status", cs.status().name());
    m.put("statusReason", cs.statusReason());
    m.put("executionStatus", cs.executionStatus().name());
    m.put("createdAt", cs.createdAt());
    return m;
  }

  /** A change set with its parameter values (NoEcho as {@code ****}) and its changes in CloudFormation's shape. */
  static Map<String, Object> detail(ChangeSetRecord cs) {
    Map<String, Object> m = summary(cs);
    m.put("parameters", cs.changeSet().parameters().stream()
        .map(p -> Map.of("key", p.key(), "value", p.displayValue())).toList());
    m.put("changes", ChangeSetJson.changes(cs.changeSet()));
    return m;
  }
}
