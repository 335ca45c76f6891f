package org.stacktician.engine.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.stacktician.engine.metadata.MetadataApi;
import org.stacktician.engine.metadata.StackResourceReader;
import org.stacktician.engine.waitcondition.Signal;
import org.stacktician.engine.waitcondition.SignalParser;
import org.stacktician.engine.waitcondition.SignalRefusedException;
import org.stacktician.engine.waitcondition.SignalStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP routes booting instances and custom-resource services call back to: signed
 * wait-condition handle URLs ({@code PUT /waitcondition/<stack>/<handle>?signature=}), signed
 * custom-resource response URLs ({@code PUT /custom-resource/<stack>/<logical>/<request>?signature=}),
 * and the metadata API ({@code GET|POST /?Action=DescribeStackResource...}, also under {@code /v1/}
 * where boto-based clients such as heat-cfntools send it, and the original's {@code
 * /metadata/<stack>/<logical>}). {@link CallbackServer} serves them in CLI mode; the server
 * mounts the same routes with {@link #register(JavalinDefaultRoutingApi)}.
 */
public final class CallbackRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackRoutes.class);

  private final UrlSigner signer;
  private final SignalStore signals;
  private final MetadataApi metadata;
  private final CallbackNotifier notifier;
  private final Clock clock;

  /** Who may read stack metadata (which often holds passwords for cfn-init). */
  public enum MetadataAccess {
    /** Anyone who reaches the listener (the original's behaviour; fine on loopback). */
    OPEN,
    /**
     * Only requests for one stack that carry its credential: the per-stack URL ({@link
     * UrlSigner#metadataUrl}) or its access key ({@link UrlSigner#metadataAccessKey}) in a SigV4
     * {@code Authorization} header or an {@code AWSAccessKeyId} parameter.
     */
    STACK_CREDENTIALS;

    /** OPEN for a listener bound to loopback only, STACK_CREDENTIALS for anything guests can reach. */
    public static MetadataAccess defaultFor(CallbackServer.Config config) {
      String host = config.bindHost();
      boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")
          || host.startsWith("127.");
      return loopback ? OPEN : STACK_CREDENTIALS;
    }
  }

  private final MetadataAccess access;
  private final StackResourceReader resources;

  /**
   * @param keys the secret that signed the URLs (the same source the engine's {@link UrlSigner} uses)
   * @param signals where received signals and responses go
   * @param resources the stacks' resources, for the metadata API
   * @param notifier told after each stored signal or response (may be null)
   * @param clock stamps received signals (null for the system clock)
   * @param access who may read metadata: {@link MetadataAccess#STACK_CREDENTIALS} whenever the
   *     listener is reachable from guests ({@link MetadataAccess#defaultFor} picks by bind address);
   *     there is no default, so a server cannot leave metadata open by omission
   */
  public CallbackRoutes(SigningKeySource keys, SignalStore signals, StackResourceReader resources,
      CallbackNotifier notifier, Clock clock, MetadataAccess access) {
    this.access = Objects.requireNonNull(access, "access");
    this.resources = resources;
    // Verification ignores the base URL, so any base does.
    this.signer = new UrlSigner(Objects.requireNonNull(keys, "keys"), java.net.URI.create("http://localhost/"));
    this.signals = Objects.requireNonNull(signals, "signals");
    this.metadata = new MetadataApi(Objects.requireNonNull(resources, "resources"));
    this.notifier = notifier == null ? CallbackNotifier.NONE : notifier;
    this.clock = clock == null ? Clock.systemUTC() : clock;
  }

  /** Adds every route (callbacks and the metadata API at {@code /} and {@code /v1/}) to a Javalin routing configuration. */
  public void register(JavalinDefaultRoutingApi routes) {
    registerCallbacks(routes);
    for (String path : List.of("/", "/v1", "/v1/")) {
      routes.get(path, this::queryApi);
      routes.post(path, this::queryApi);
    }
  }

  /**
   * Adds the routes under their own paths only: signals, custom-resource responses, the per-stack
   * metadata URLs and {@code /metadata/<stack>/<logical>}. A server whose CloudFormation Query
   * API owns {@code /} adds these and answers the metadata actions there with {@link #queryApi}.
   */
  public void registerCallbacks(JavalinDefaultRoutingApi routes) {
    for (HandlerType method : List.of(HandlerType.PUT, HandlerType.POST)) {
      routes.addHttpHandler(method, "/" + UrlSigner.WAIT_CONDITION + "/<rest>", this::signal);
      routes.addHttpHandler(method, "/" + UrlSigner.CUSTOM_RESOURCE + "/<rest>", this::customResourceResponse);
    }
    routes.get("/" + UrlSigner.METADATA + "/<rest>", this::stackScopedQueryApi);
    routes.post("/" + UrlSigner.METADATA + "/<rest>", this::stackScopedQueryApi);
    routes.get("/metadata/{stack}/{logical}", ctx -> {
      String stack = ctx.pathParam("stack");
      String scope = null;
      if (access == MetadataAccess.STACK_CREDENTIALS) {
        scope = credentialScope(ctx, stack);
        if (scope == null) {
          respond(ctx, MetadataApi.accessDenied(true, denial(stack)));
          return;
        }
      }
      MetadataApi.Response r = metadata.handle(Map.of("Action", "DescribeStackResource", "StackName", stack,
          "LogicalResourceId", ctx.pathParam("logical")), true, scope);
      ctx.status(r.status() == 400 ? 404 : r.status()).contentType(r.contentType()).result(r.body());
    });
  }

  private List<String> segmentsAfter(Context ctx, String kind) {
    String raw = ctx.req().getRequestURI();
    String marker = "/" + kind + "/";
    int at = raw.indexOf(marker);
    return UrlSigner.decodeSegments(Arrays.asList(raw.substring(at + marker.length()).split("/", -1)));
  }

  private boolean tooLarge(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    return length > SignalParser.MAX_BODY_BYTES;
  }

  private void signal(Context ctx) {
    List<String> segments = segmentsAfter(ctx, UrlSigner.WAIT_CONDITION);
    if (segments.size() != 2 || !signer.verify(UrlSigner.WAIT_CONDITION, segments,
        ctx.queryParam(UrlSigner.SIGNATURE_PARAMETER))) {
      plain(ctx, 403, "this wait condition handle URL is not valid (unknown handle or bad signature)");
      return;
    }
    if (!accepts(ctx, () -> signals.checkAccepts(segments.get(0), segments.get(1)))) {
      return;
    }
    if (tooLarge(ctx)) {
      plain(ctx, 413, "the signal body is larger than " + SignalParser.MAX_BODY_BYTES + " bytes");
      return;
    }
    Signal signal;
    try {
      signal = SignalParser.parse(ctx.bodyAsBytes(), clock.instant());
    } catch (SignalParser.InvalidSignalException e) {
      plain(ctx, 400, e.getMessage());
      return;
    }
    String stackId = segments.get(0);
    String handle = segments.get(1);
    if (!store(ctx, stackId, handle, signal)) {
      return;
    }
    // The UniqueId comes from the guest: no control characters into the log.
    LOG.info("signal {} from '{}' for handle {} of stack {}", signal.status(),
        org.stacktician.engine.stack.TerminalText.safe(signal.uniqueId()), handle, stackId);
    notifier.received(stackId, handle);
    ctx.status(200).result("");
  }

  private void customResourceResponse(Context ctx) {
    List<String> segments = segmentsAfter(ctx, UrlSigner.CUSTOM_RESOURCE);
    if (segments.size() != 3 || !signer.verify(UrlSigner.CUSTOM_RESOURCE, segments,
        ctx.queryParam(UrlSigner.SIGNATURE_PARAMETER))) {
      plain(ctx, 403, "this custom resource response URL is not valid (unknown request or bad signature)");
      return;
    }
    if (!accepts(ctx, () -> signals.checkAcceptsResponse(segments.get(0), segments.get(1)))) {
      return;
    }
    if (tooLarge(ctx)) {
      plain(ctx, 413, "the response body is larger than " + SignalParser.MAX_BODY_BYTES + " bytes");
      return;
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > SignalParser.MAX_BODY_BYTES) {
      plain(ctx, 413, "the response body is larger than " + SignalParser.MAX_BODY_BYTES + " bytes");
      return;
    }
    String stackId = segments.get(0);
    String logicalId = segments.get(1);
    String requestId = segments.get(2);
    JsonNode json;
    Signal.Status parsed;
    try {
      json = SignalParser.readObject(body, "custom resource response", "Status, Reason, PhysicalResourceId and Data");
      parsed = switch (SignalParser.status(json, "custom resource response", "SUCCESS or FAILED")) {
        case "SUCCESS" -> Signal.Status.SUCCESS;
        case "FAILED" -> Signal.Status.FAILURE;
        case String other -> throw new SignalParser.InvalidSignalException("the custom resource response's Status is '"
            + (other.length() > 40 ? other.substring(0, 40) + "..." : other) + "'; expected SUCCESS or FAILED (in capitals, as CloudFormation requires)");
      };
    } catch (SignalParser.InvalidSignalException e) {
      plain(ctx, 400, e.getMessage());
      return;
    }
    for (Map.Entry<String, String> expected : Map.of("RequestId", requestId, "LogicalResourceId", logicalId,
        "StackId", stackId).entrySet()) {
      JsonNode given = json.get(expected.getKey());
      if (given != null && !given.isNull() && !given.asText().equals(expected.getValue())) {
        plain(ctx, 400, "the custom resource response's " + expected.getKey() + " '" + given.asText()
            + "' does not match the request's '" + expected.getValue() + "'");
        return;
      }
    }
    JsonNode data = json.get("Data");
    if (data != null && !data.isNull() && !data.isObject()) {
      plain(ctx, 400, "the custom resource response's Data must be a JSON object");
      return;
    }
    String key = SignalStore.customResourceKey(logicalId, requestId);
    if (!store(ctx, stackId, key, new Signal(parsed, json.path("Reason").asText(""), requestId,
        json.toString(), clock.instant()))) {
      return;
    }
    LOG.info("custom resource response {} for {} (request {}) of stack {}", parsed, logicalId, requestId, stackId);
    notifier.received(stackId, key);
    ctx.status(200).result("");
  }

  /**
   * Runs a {@link SignalStore} check of whether anything will read what is sent; answers its refusal
   * (or 503 when the store cannot say just now, so the sender may retry) and returns false.
   */
  private boolean accepts(Context ctx, Runnable check) {
    try {
      check.run();
      return true;
    } catch (SignalRefusedException e) {
      plain(ctx, e.httpStatus(), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      LOG.warn("could not look up {}: {}", ctx.path(), e.getMessage());
      plain(ctx, 503, "the stack could not be looked up just now; send it again");
      return false;
    }
  }

  /** Stores a signal; answers 503 (and returns false) when the store fails, so the sender may retry. */
  private boolean store(Context ctx, String stackId, String key, Signal signal) {
    try {
      signals.record(stackId, key, signal);
      return true;
    } catch (SignalRefusedException e) {
      plain(ctx, e.httpStatus(), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      LOG.warn("could not store a signal for {} of stack {}: {}", key, stackId, e.getMessage());
      plain(ctx, 503, "the signal could not be stored just now; send it again");
      return false;
    }
  }

  /**
   * Answers a Query API request for DescribeStackResource, DescribeStackResources or
   * ListStackResources (JSON or XML, with the configured {@link MetadataAccess}).
   */
  public void queryApi(Context ctx) {
    Map<String, String> params = params(ctx);
    if (params.isEmpty() && ctx.path().equals("/")) {
      plain(ctx, 200, "Stacktician callback listener: wait condition signals, custom resource responses, metadata API\n");
      return;
    }
    boolean json = wantsJson(ctx, params);
    String scope = null;
    if (access == MetadataAccess.STACK_CREDENTIALS) {
      String stack = params.getOrDefault("StackName", "");
      scope = credentialScope(ctx, stack);
      if (scope == null) {
        respond(ctx, MetadataApi.accessDenied(json, denial(stack)));
        return;
      }
    }
    respond(ctx, metadata.handle(params, json, scope));
  }

  private static String denial(String stack) {
    return "reading the metadata of stack '" + stack + "' needs that stack's metadata URL or access key";
  }

  /** {@code /metadata-api/<stackId>/<signature>/?Action=...}: the per-stack URL, valid for its stack only. */
  private void stackScopedQueryApi(Context ctx) {
    List<String> segments = segmentsAfter(ctx, UrlSigner.METADATA);
    if (segments.size() == 3 && segments.get(2).isEmpty()) {
      segments = segments.subList(0, 2);
    }
    Map<String, String> params = params(ctx);
    boolean json = wantsJson(ctx, params);
    if (segments.size() != 2 || !signer.verify(UrlSigner.METADATA, List.of(segments.get(0)), segments.get(1))) {
      respond(ctx, MetadataApi.accessDenied(json, "this metadata URL is not valid (unknown stack or bad signature)"));
      return;
    }
    respond(ctx, metadata.handle(params, json, segments.get(0)));
  }

  /**
   * The id of the stack {@code stackNameOrId} when the request carries its access key (SigV4
   * {@code Credential=<key>/...} or {@code AWSAccessKeyId=<key>}); null otherwise.
   */
  private String credentialScope(Context ctx, String stackNameOrId) {
    String key = accessKey(ctx);
    if (key == null || stackNameOrId == null || stackNameOrId.isBlank()) {
      return null;
    }
    List<org.stacktician.engine.metadata.StackResourceView> stack = resources.list(stackNameOrId);
    if (stack.isEmpty()) {
      return null;
    }
    String stackId = stack.get(0).stackId();
    byte[] expected = signer.metadataAccessKey(stackId).getBytes(StandardCharsets.US_ASCII);
    return java.security.MessageDigest.isEqual(expected, key.getBytes(StandardCharsets.US_ASCII)) ? stackId : null;
  }

  private static String accessKey(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null) {
      int at = auth.indexOf("Credential=");
      if (at >= 0) {
        int end = auth.indexOf('/', at);
        if (end > at) {
          return auth.substring(at + "Credential=".length(), end).trim();
        }
      }
    }
    String q = ctx.queryParam("AWSAccessKeyId");
    return q == null || q.isBlank() ? null : q;
  }

  private Map<String, String> params(Context ctx) {
    Map<String, String> params = new LinkedHashMap<>();
    if (ctx.method() == HandlerType.POST && ctx.contentType() != null
        && ctx.contentType().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      ctx.formParamMap().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
    }
    ctx.queryParamMap().forEach((k, v) -> params.putIfAbsent(k, v.isEmpty() ? "" : v.get(0)));
    return params;
  }

  private static boolean wantsJson(Context ctx, Map<String, String> params) {
    String accept = ctx.header("Accept");
    return "JSON".equalsIgnoreCase(params.get("ContentType"))
        || (accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json"));
  }

  private static void respond(Context ctx, MetadataApi.Response r) {
    ctx.status(r.status()).contentType(r.contentType()).result(r.body());
  }

  private static void plain(Context ctx, int status, String message) {
    ctx.status(status).contentType("text/plain; charset=utf-8").result(message + "\n");
  }
}
