package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.metadata.MetadataApi;
import org.stacktician.server.ServerException;
import org.stacktician.server.api.Responses;
import org.stacktician.server.api.SignedRequests;
import org.stacktician.server.auth.Authenticator;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.users.Caller;

/**
 * CloudFormation's Query API at {@value #PATH}: {@code Action=...&Version=2010-05-15} in a GET's
 * query or a form-encoded POST, signed with Signature Version 4 by the user's access key, answered
 * in CloudFormation's XML, refusals in AWS's {@code ErrorResponse}. A second protocol over the
 * same stack service as the REST API, so the AWS CLI and SDKs work with {@code --endpoint-url}.
 */
public final class CfnApi {
  public static final String PATH = "/cfn";
  /** The only API version: {@value}. */
  public static final String VERSION = "2010-05-15";
  /** The service a request's signature is scoped to: {@value}. */
  public static final String SERVICE = "cloudformation";
  private static final Logger LOG = LoggerFactory.getLogger(CfnApi.class);

  /** What an action answers: its result (null for actions that have none), or an answer made whole elsewhere. */
  sealed interface Reply {
    record Result(ObjectNode tree) implements Reply {}

    record Ready(MetadataApi.Response response) implements Reply {}
  }

  /** One action of the API. */
  @FunctionalInterface
  interface Action {
    Reply run(Caller caller, QueryParams params);
  }

  private final Authenticator auth;
  private final Map<String, Action> actions = new LinkedHashMap<>();

  public CfnApi(Authenticator auth, ServerEngine.Holder stacks) {
    this.auth = auth;
    StackActions.register(actions, stacks);
    TemplateActions.register(actions, stacks);
    ChangeSetActions.register(actions, stacks);
    DriftActions.register(actions, stacks);
    UpdateActions.register(actions, stacks);
  }

  /** The paths heat-cfntools (boto's CloudFormation connection with path {@code /v1}) sends its requests to. */
  public static final java.util.List<String> GUEST_PATHS = java.util.List.of("/v1", "/v1/");

  /**
   * Adds the API's routes: {@value #PATH} (with or without the trailing slash), a form post to the
   * server's root, where the AWS SDK for Java sends it (its endpoint override keeps no path), and
   * {@link #GUEST_PATHS}.
   */
  public void register(JavalinDefaultRoutingApi r) {
    r.get(PATH, this::handle);
    r.post(PATH, this::handle);
    r.post("/", this::handle);
    // Boto-based guest tools (heat-cfntools' cfn-get-metadata, cfn-init, cfn-hup) call path /v1 on the
    // host and port they are given, signed with the user's keys.
    for (String path : GUEST_PATHS) {
      r.get(path, this::handle);
      r.post(path, this::handle);
    }
  }

  /** The actions this server answers. */
  public java.util.Set<String> actions() {
    return java.util.Collections.unmodifiableSet(actions.keySet());
  }

  private void handle(Context ctx) {
    String requestId = requestId();
    ctx.header("x-amzn-RequestId", requestId);
    String action = null;
    try {
      byte[] body = SignedRequests.readBody(ctx);
      QueryParams params = QueryParams.parse(ctx.req().getQueryString(), body);
      // Boto (heat-cfntools) scopes its signature to a "service" named after the host's first label
      // ("localhost", "10" for 10.0.0.5), so the guest paths take any service; the rest of the
      // signature is checked all the same.
      String service = GUEST_PATHS.contains(ctx.path()) ? null : SERVICE;
      Caller caller = auth.authenticate(ctx.header("Authorization"), SignedRequests.sigV4Request(ctx), body, service);
      action = params.text("Action");
      if (action == null) {
        throw new CfnError("MissingAction", 400, "The request must contain the parameter Action.");
      }
      String version = params.text("Version");
      if (version == null) {
        throw new CfnError("MissingParameter", 400, "The request must contain the parameter Version ("
            + VERSION + ").");
      }
      if (!version.equals(VERSION)) {
        throw new CfnError("NoSuchVersion", 400, "The requested version (" + version
            + ") of service AmazonCloudFormation does not exist; this server speaks " + VERSION + ".");
      }
      Action a = actions.get(action);
      if (a == null) {
        throw new CfnError("InvalidAction", 400, "The action " + action + " is not valid for this web service;"
            + " this server answers " + String.join(", ", actions.keySet()) + ".");
      }
      switch (a.run(caller, params)) {
        case Reply.Result result -> Responses.write(ctx, 200, "text/xml",
            QueryXml.response(action, result.tree(), requestId).getBytes(StandardCharsets.UTF_8));
        case Reply.Ready ready -> Responses.write(ctx, ready.response().status(), ready.response().contentType(),
            ready.response().body().getBytes(StandardCharsets.UTF_8));
      }
    } catch (CfnError e) {
      refuse(ctx, e, requestId);
    } catch (ServerException e) {
      refuse(ctx, CfnError.of(e), requestId);
    } catch (RuntimeException e) {
      LOG.error("CloudFormation API {} failed", action, e);
      refuse(ctx, CfnError.internal(), requestId);
    }
  }

  /**
   * A request's id: a random (version 4) UUID, as AWS's look. From the thread's fast generator: it
   * names a request in logs and answers and guards nothing, so it need not cost a read of the
   * system's secure random source under a lock, as {@link UUID#randomUUID} does, on every request.
   */
  private static String requestId() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
        (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
  }

  private static void refuse(Context ctx, CfnError e, String requestId) {
    Responses.write(ctx, e.status(), "text/xml", QueryXml.error(e, requestId).getBytes(StandardCharsets.UTF_8));
  }
}
