package org.stacktician.engine.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  private final UrlSigner signer;
  private final SignalStore signals;
  private final MetadataApi metadata;
  private final CallbackNotifier notifier;
  private final Clock clock;

  /**
   * @param keys the secret that signed the URLs (the same source the engine's {@link UrlSigner} uses)
   * @param signals where received signals and responses go
   * @param resources the stacks' resources, for the metadata API
   * @param notifier told after each stored signal or response (may be null)
   * @param clock stamps received signals (null for the system clock)
   */
  public CallbackRoutes(SigningKeySource keys, SignalStore signals, StackResourceReader resources,
      CallbackNotifier notifier, Clock clock) {
    // Verification ignores the base URL, so any base does.
    this.signer = new UrlSigner(Objects.requireNonNull(keys, "keys"), java.net.URI.create("http://localhost/"));
    this.signals = Objects.requireNonNull(signals, "signals");
    this.metadata = new MetadataApi(Objects.requireNonNull(resources, "resources"));
    this.notifier = notifier == null ? CallbackNotifier.NONE : notifier;
    this.clock = clock == null ? Clock.systemUTC() : clock;
  }

  /** Adds the routes to a Javalin routing configuration. */
  public void register(JavalinDefaultRoutingApi routes) {
    for (HandlerType method : List.of(HandlerType.PUT, HandlerType.POST)) {
      routes.addHttpHandler(method, "/" + UrlSigner.WAIT_CONDITION + "/<rest>", this::signal);
      routes.addHttpHandler(method, "/" + UrlSigner.CUSTOM_RESOURCE + "/<rest>", this::customResourceResponse);
    }
    for (String path : List.of("/", "/v1", "/v1/")) {
      routes.get(path, this::queryApi);
      routes.post(path, this::queryApi);
    }
    routes.get("/metadata/{stack}/{logical}", ctx -> {
      MetadataApi.Response r = metadata.metadataPath(ctx.pathParam("stack"), ctx.pathParam("logical"));
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
    signals.record(stackId, handle, signal);
    LOG.info("signal {} from '{}' for handle {} of stack {}", signal.status(), signal.uniqueId(), handle, stackId);
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
    try {
      json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      plain(ctx, 400, "the custom resource response is not valid JSON: " + e.getOriginalMessage());
      return;
    }
    if (json == null || !json.isObject()) {
      plain(ctx, 400, "the custom resource response must be a JSON object with Status, Reason, PhysicalResourceId and Data");
      return;
    }
    String status = json.path("Status").asText("");
    Signal.Status parsed;
    switch (status.toUpperCase(Locale.ROOT)) {
      case "SUCCESS" -> parsed = Signal.Status.SUCCESS;
      case "FAILED", "FAILURE" -> parsed = Signal.Status.FAILURE;
      default -> {
        plain(ctx, 400, "the custom resource response's Status is '" + status + "'; expected SUCCESS or FAILED");
        return;
      }
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
    signals.record(stackId, key, new Signal(parsed, json.path("Reason").asText(""), requestId,
        json.toString(), clock.instant()));
    LOG.info("custom resource response {} for {} (request {}) of stack {}", parsed, logicalId, requestId, stackId);
    notifier.received(stackId, key);
    ctx.status(200).result("");
  }

  private void queryApi(Context ctx) {
    Map<String, String> params = new LinkedHashMap<>();
    if (ctx.method() == HandlerType.POST && ctx.contentType() != null
        && ctx.contentType().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      ctx.formParamMap().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
    }
    ctx.queryParamMap().forEach((k, v) -> params.putIfAbsent(k, v.isEmpty() ? "" : v.get(0)));
    if (params.isEmpty() && ctx.path().equals("/")) {
      plain(ctx, 200, "Stacktician callback listener: wait condition signals, custom resource responses, metadata API\n");
      return;
    }
    String accept = ctx.header("Accept");
    boolean json = "JSON".equalsIgnoreCase(params.get("ContentType"))
        || (accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json"));
    MetadataApi.Response r = metadata.handle(params, json);
    ctx.status(r.status()).contentType(r.contentType()).result(r.body());
  }

  private static void plain(Context ctx, int status, String message) {
    ctx.status(status).contentType("text/plain; charset=utf-8").result(message + "\n");
  }
}
