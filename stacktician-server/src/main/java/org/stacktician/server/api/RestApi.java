package org.stacktician.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.server.ServerException;
import org.stacktician.server.auth.AccessKey;
import org.stacktician.server.auth.AccessKeyStore;
import org.stacktician.server.auth.Authenticator;
import org.stacktician.server.auth.NewAccessKey;
import org.stacktician.server.clouds.CloudAccount;
import org.stacktician.server.clouds.CloudAccountStore;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.templates.LibraryTemplate;
import org.stacktician.server.templates.Page;
import org.stacktician.server.templates.TemplateLibrary;
import org.stacktician.server.templates.TemplateValidation;
import org.stacktician.server.templates.TemplateVersion;
import org.stacktician.server.users.Caller;
import org.stacktician.server.users.User;
import org.stacktician.server.users.UserStore;
import org.stacktician.template.TemplateError;

/**
 * The REST JSON API under {@value #BASE}: users (admins), access keys, cloud accounts and the
 * template library, each call authenticated by the user's access key ({@link Authenticator}) and
 * scoped to the caller. Errors are JSON {@code {status, code, message, errors}} with the statuses
 * of {@link ServerException}; the routes are described by {@value #OPENAPI}.
 */
public final class RestApi {
  public static final String BASE = "/api/v1";
  public static final String OPENAPI = BASE + "/openapi.json";
  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
  private static final String CALLER = "stacktician.caller";
  private static final String BODY = "stacktician.body";

  private final Authenticator auth;
  private final UserStore users;
  private final AccessKeyStore keys;
  private final CloudAccountStore clouds;
  private final TemplateLibrary templates;
  private final ServerEngine.Holder stacks;

  public RestApi(Authenticator auth, UserStore users, AccessKeyStore keys, CloudAccountStore clouds,
      TemplateLibrary templates, ServerEngine.Holder stacks) {
    this.auth = auth;
    this.users = users;
    this.keys = keys;
    this.clouds = clouds;
    this.templates = templates;
    this.stacks = stacks;
  }

  /** Adds the API's routes, its authentication and its error mapping. */
  public void register(JavalinDefaultRoutingApi r) {
    r.get(OPENAPI, this::openApi);
    r.before(BASE + "/*", this::authenticate);

    r.get(BASE + "/me", ctx -> ok(ctx, user(caller(ctx).user())));
    r.put(BASE + "/me/password", this::changePassword);
    r.get(BASE + "/users", ctx -> {
      requireAdmin(ctx);
      ok(ctx, Map.of("items", users.list().stream().map(RestApi::user).toList()));
    });
    r.post(BASE + "/users", this::createUser);
    r.get(BASE + "/users/{id}", ctx -> ok(ctx, user(visibleUser(ctx))));
    r.delete(BASE + "/users/{id}", this::deleteUser);

    r.get(BASE + "/access-keys", ctx -> ok(ctx, Map.of("items", keys.list(caller(ctx)).stream().map(RestApi::key)
        .toList())));
    r.post(BASE + "/access-keys", ctx -> created(ctx, newKey(keys.create(caller(ctx).id(),
        Json.text(body(ctx), "description")))));
    r.get(BASE + "/access-keys/{id}", ctx -> ok(ctx, key(keys.get(caller(ctx), ctx.pathParam("id")))));
    r.delete(BASE + "/access-keys/{id}", ctx -> ok(ctx, key(keys.revoke(caller(ctx), ctx.pathParam("id")))));

    r.get(BASE + "/cloud-accounts", ctx -> ok(ctx, Map.of("items", clouds.list(caller(ctx)).stream()
        .map(RestApi::cloud).toList())));
    r.post(BASE + "/cloud-accounts", ctx -> {
      Boolean isDefault = Json.bool(body(ctx), "default");
      created(ctx, cloud(withDefault(ctx, clouds.create(caller(ctx), cloudInput(ctx)), isDefault)));
    });
    r.get(BASE + "/cloud-accounts/{id}", ctx -> ok(ctx, cloud(clouds.get(caller(ctx), ctx.pathParam("id")))));
    r.put(BASE + "/cloud-accounts/{id}", ctx -> {
      Boolean isDefault = Json.bool(body(ctx), "default");
      ok(ctx, cloud(withDefault(ctx, clouds.update(caller(ctx), ctx.pathParam("id"), cloudInput(ctx)), isDefault)));
    });
    r.get(BASE + "/cloud-accounts/{id}/catalog", ctx -> ok(ctx, catalog(clouds.get(caller(ctx),
        ctx.pathParam("id")))));
    r.post(BASE + "/cloud-accounts/{id}/catalog", ctx -> ok(ctx, catalog(clouds.refreshCatalog(caller(ctx),
        ctx.pathParam("id")))));
    r.delete(BASE + "/cloud-accounts/{id}", ctx -> {
      CloudAccount account = clouds.get(caller(ctx), ctx.pathParam("id"));
      if (stacks.service().accountInUse(account.id())) {
        throw new ServerException.Conflict(ServerException.Conflict.INVALID_STATE, "cloud account " + account.name()
            + " still has stacks; delete them first");
      }
      clouds.delete(caller(ctx), account.id());
      ctx.status(204);
    });

    r.get(BASE + "/templates", this::listTemplates);
    r.post(BASE + "/templates", ctx -> created(ctx, entry(templates.create(caller(ctx), templateInput(ctx)), false)));
    r.post(BASE + "/templates/validate", this::validate);
    r.get(BASE + "/templates/{id}", ctx -> ok(ctx, entry(templates.get(caller(ctx), ctx.pathParam("id")), true)));
    r.put(BASE + "/templates/{id}", ctx -> ok(ctx, entry(templates.update(caller(ctx), ctx.pathParam("id"),
        templateInput(ctx)), false)));
    r.delete(BASE + "/templates/{id}", ctx -> {
      templates.delete(caller(ctx), ctx.pathParam("id"));
      ctx.status(204);
    });
    r.get(BASE + "/templates/{id}/versions", ctx -> ok(ctx, Map.of("items", templates.versions(caller(ctx),
        ctx.pathParam("id")).stream().map(v -> version(v, false)).toList())));
    r.get(BASE + "/templates/{id}/versions/{version}", ctx -> ok(ctx, entry(templates.get(caller(ctx),
        ctx.pathParam("id"), versionNumber(ctx.pathParam("version"))), true)));

    StackRoutes.register(r, BASE, stacks, RestApi::caller, RestApi::body);

    r.exception(ServerException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage(),
        e instanceof ServerException.Invalid invalid ? invalid.errors() : List.of()));
    r.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), codeOf(e.getStatus()),
        e.getStatus() == 404 ? "no route " + ctx.method() + " " + ctx.path() : e.getMessage(), List.of()));
    r.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, "InternalFailure", "the server failed to answer this request; its log has the details", List.of());
    });
  }

  // --------------------------------------------------------------------------------- auth

  private void authenticate(Context ctx) {
    if (ctx.path().equals(OPENAPI)) {
      return;
    }
    byte[] body = SignedRequests.readBody(ctx);
    ctx.attribute(BODY, body);
    ctx.attribute(CALLER, auth.authenticate(ctx.header("Authorization"), SignedRequests.sigV4Request(ctx), body));
  }

  static Caller caller(Context ctx) {
    return ctx.attribute(CALLER);
  }

  static ObjectNode body(Context ctx) {
    byte[] body = ctx.attribute(BODY);
    return Json.object(body == null ? new byte[0] : body);
  }

  // --------------------------------------------------------------------------------- users

  private void createUser(Context ctx) {
    requireAdmin(ctx);
    ObjectNode b = body(ctx);
    User u = users.create(Json.text(b, "name"), Json.text(b, "password"), Boolean.TRUE.equals(Json.bool(b, "admin")),
        false);
    NewAccessKey key = keys.create(u.id(), "first key, made with the user");
    Map<String, Object> out = new LinkedHashMap<>(user(u));
    out.put("accessKey", newKey(key));
    created(ctx, out);
  }

  private void deleteUser(Context ctx) {
    requireAdmin(ctx);
    User u = visibleUser(ctx);
    if (u.id().equals(caller(ctx).id())) {
      throw ServerException.Invalid.field("id", "you cannot delete yourself; another admin can");
    }
    users.delete(u.id());
    keys.forgetUser(u.id());
    ctx.status(204);
  }

  private void changePassword(Context ctx) {
    ObjectNode b = body(ctx);
    Caller c = caller(ctx);
    if (!users.passwordMatches(c.id(), Json.text(b, "currentPassword"))) {
      throw ServerException.Invalid.field("currentPassword", "the current password is not right");
    }
    users.setPassword(c.id(), Json.text(b, "newPassword"));
    ctx.status(204);
  }

  private User visibleUser(Context ctx) {
    String id = ctx.pathParam("id");
    return users.find(id).filter(u -> caller(ctx).sees(u.id()))
        .orElseThrow(() -> new ServerException.NotFound("no user " + id));
  }

  /** Admin-only routes do not exist for others (404, as another user's things). */
  private static void requireAdmin(Context ctx) {
    if (!caller(ctx).admin()) {
      throw new ServerException.NotFound("no route " + ctx.method() + " " + ctx.path());
    }
  }

  // --------------------------------------------------------------------------------- clouds, templates

  private static CloudAccountStore.Input cloudInput(Context ctx) {
    ObjectNode b = body(ctx);
    return new CloudAccountStore.Input(Json.text(b, "name"), Json.text(b, "endpoint"), Json.text(b, "apiKey"),
        Json.text(b, "secretKey"));
  }

  /** The body's {@code default} (true or false) applied to an account; absent (null), it stays as it is. */
  private CloudAccount withDefault(Context ctx, CloudAccount a, Boolean isDefault) {
    return isDefault == null ? a : clouds.makeDefault(caller(ctx), a.id(), isDefault);
  }

  private static TemplateLibrary.Input templateInput(Context ctx) {
    ObjectNode b = body(ctx);
    return new TemplateLibrary.Input(Json.text(b, "name"), Json.text(b, "description"), Json.text(b, "category"),
        Json.bool(b, "public"), Json.text(b, "body"));
  }

  private void listTemplates(Context ctx) {
    String visibility = ctx.queryParam("visibility");
    Boolean isPublic = null;
    if (visibility != null) {
      isPublic = switch (visibility) {
        case "public" -> true;
        case "private" -> false;
        default -> throw ServerException.Invalid.field("visibility", "visibility is public or private, not '"
            + visibility + "'");
      };
    }
    String owner = ctx.queryParam("owner");
    if (owner != null && !owner.equals("me")) {
      throw ServerException.Invalid.field("owner", "owner can only be 'me'");
    }
    TemplateLibrary.Filter filter = new TemplateLibrary.Filter(ctx.queryParam("name"), ctx.queryParam("category"),
        isPublic, owner != null);
    Page<LibraryTemplate> page = templates.list(caller(ctx), filter, intParam(ctx, "offset", 0),
        intParam(ctx, "limit", 50));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", page.items().stream().map(RestApi::template).toList());
    out.put("total", page.total());
    out.put("offset", page.offset());
    out.put("limit", page.limit());
    out.put("nextOffset", page.nextOffset());
    ok(ctx, out);
  }

  private void validate(Context ctx) {
    String body = Json.text(body(ctx), "body");
    if (body == null || body.isBlank()) {
      throw ServerException.Invalid.field("body", "give the template body (JSON or YAML) in the field body");
    }
    TemplateValidation.Result result = TemplateValidation.validate(body, "template");
    if (!result.valid()) {
      throw new ServerException.Invalid("the template is not valid: " + result.errors().size()
          + (result.errors().size() == 1 ? " error" : " errors"), result.errors());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("valid", true);
    out.put("errors", List.of());
    out.put("description", result.template().description());
    ok(ctx, out);
  }

  static int intParam(Context ctx, String name, int fallback) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ServerException.Invalid.field(name, name + " must be a whole number, not '" + v + "'");
    }
  }

  private static int versionNumber(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ServerException.NotFound("no version " + text);
    }
  }

  // --------------------------------------------------------------------------------- shapes

  static Map<String, Object> user(User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.id());
    m.put("name", u.name());
    m.put("admin", u.admin());
    m.put("demo", u.demo());
    m.put("createdAt", u.createdAt());
    return m;
  }

  static Map<String, Object> key(AccessKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accessKeyId", k.accessKeyId());
    m.put("userId", k.userId());
    m.put("description", k.description());
    m.put("status", k.status());
    m.put("createdAt", k.createdAt());
    m.put("revokedAt", k.revokedAt());
    return m;
  }

  static Map<String, Object> newKey(NewAccessKey k) {
    Map<String, Object> m = key(k.key());
    m.put("secretAccessKey", k.secretAccessKey());
    return m;
  }

  static Map<String, Object> cloud(CloudAccount a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("userId", a.userId());
    m.put("name", a.name());
    m.put("endpoint", a.endpoint());
    m.put("apiKeyHint", a.apiKeyHint());
    m.put("simulated", a.simulated());
    m.put("default", a.defaultAccount());
    m.put("catalogId", a.catalogId());
    m.put("catalogCheckedAt", a.catalogCheckedAt());
    m.put("label", a.label());
    m.put("createdAt", a.createdAt());
    m.put("updatedAt", a.updatedAt());
    return m;
  }

  /** An account's cloud's catalog: its key, version, API count and the CloudStack:: types it gives. */
  private Map<String, Object> catalog(CloudAccount a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cloudAccountId", a.id());
    m.put("catalogId", a.catalogId());
    m.put("checkedAt", a.catalogCheckedAt());
    if (a.catalogId() != null) {
      clouds.catalogs().summary(a.catalogId()).ifPresent(s -> {
        m.put("cloudStackVersion", s.cloudStackVersion());
        m.put("apiCount", s.apiCount());
      });
      m.put("resourceTypes", new java.util.TreeSet<>(clouds.catalogs().types(a.catalogId()).types().keySet()));
    } else {
      m.put("resourceTypes", List.of());
    }
    return m;
  }

  static Map<String, Object> template(LibraryTemplate t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("ownerId", t.ownerId());
    m.put("name", t.name());
    m.put("description", t.description());
    m.put("category", t.category());
    m.put("public", t.isPublic());
    m.put("latestVersion", t.latestVersion());
    m.put("createdAt", t.createdAt());
    m.put("updatedAt", t.updatedAt());
    return m;
  }

  static Map<String, Object> version(TemplateVersion v, boolean withBody) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("valid", v.valid());
    m.put("errors", v.errors());
    m.put("createdAt", v.createdAt());
    if (withBody) {
      m.put("body", v.body());
    }
    return m;
  }

  private static Map<String, Object> entry(TemplateLibrary.Entry e, boolean withBody) {
    Map<String, Object> m = template(e.template());
    m.put("version", version(e.version(), withBody));
    return m;
  }

  // --------------------------------------------------------------------------------- responses

  private void openApi(Context ctx) throws IOException {
    try (InputStream in = RestApi.class.getResourceAsStream("/openapi/stacktician-api-v1.json")) {
      Responses.write(ctx, 200, "application/json", in.readAllBytes());
    }
  }

  static void ok(Context ctx, Object body) {
    send(ctx, 200, body);
  }

  static void created(Context ctx, Object body) {
    send(ctx, 201, body);
  }

  static void send(Context ctx, int status, Object body) {
    Responses.write(ctx, status, "application/json", out -> Json.MAPPER.writeValue(out, body));
  }

  private static void error(Context ctx, int status, String code, String message, List<TemplateError> errors) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("code", code);
    m.put("message", message);
    if (status == 400) {
      m.put("valid", false);
    }
    m.put("errors", new ArrayList<>(errors));
    send(ctx, status, m);
  }

  private static String codeOf(int status) {
    return switch (status) {
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 413 -> "RequestTooLarge";
      default -> status >= 500 ? "InternalFailure" : "BadRequest";
    };
  }
}
