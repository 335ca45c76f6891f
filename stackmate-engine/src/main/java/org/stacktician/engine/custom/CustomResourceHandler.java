package org.stacktician.engine.custom;

import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.provider.PropertyUpdate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.stacktician.engine.callback.UrlSigner;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.Values;
import org.stacktician.engine.waitcondition.Signal;
import org.stacktician.engine.waitcondition.SignalStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Custom::*} and {@code AWS::CloudFormation::CustomResource}: CloudFormation's
 * custom-resource protocol over HTTP. Each Create, Update or Delete POSTs CloudFormation's request
 * JSON ({@code RequestType, ResponseURL, StackId, RequestId, ResourceType, LogicalResourceId,
 * PhysicalResourceId, ResourceProperties, OldResourceProperties}) to the {@code ServiceToken}
 * URL, then waits, without holding a thread, for the service to PUT its answer ({@code Status,
 * Reason, PhysicalResourceId, Data, NoEcho}) to the signed {@code ResponseURL}. {@code
 * Fn::GetAtt [Res, Key]} reads {@code Data.Key}. Default time-out one hour ({@code ServiceTimeout}
 * seconds overrides it, as in CloudFormation).
 */
public final class CustomResourceHandler implements ResourceHandler {
  /**
   * As CloudFormation: a changed property is sent to the provider as an Update request; the provider
   * replaces the resource by answering with a new PhysicalResourceId. The ServiceToken cannot change.
   */
  private static final UpdateRules UPDATES = UpdateRules.of(java.util.Map.of(
      "ServiceToken", PropertyUpdate.REPLACEMENT.withNote("CloudFormation refuses to change a service token")))
      .otherwise(PropertyUpdate.noInterruption("Update request").withNote(
          "a new PhysicalResourceId in the answer replaces it"));

  @Override
  public UpdateRules updateRules() {
    return UPDATES;
  }

  /** As CloudFormation: what a custom resource's service made is not read back, so it is never checked for drift. */
  @Override
  public org.stacktician.engine.provider.ActualState readActual(ResourceRequest request) {
    return new org.stacktician.engine.provider.ActualState.NotChecked(
        "custom resources are not checked for drift (as CloudFormation): their service's resources cannot be read back");
  }

  private static final Logger LOG = LoggerFactory.getLogger(CustomResourceHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** CloudFormation's default (and largest) wait for a custom resource's answer. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 3600;
  private static final int MAX_DELIVERY_ATTEMPTS = 3;
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_POLL = Duration.ofSeconds(5);
  private static final int MAX_REQUEST_BYTES = 256 * 1024;

  @Override
  public List<PropertyError> validate(ObjectNode properties) {
    List<PropertyError> errors = new ArrayList<>();
    JsonNode token = properties.get("ServiceToken");
    if (token == null || token.isNull()) {
      errors.add(new PropertyError("ServiceToken", "is required (the http(s) URL of the custom resource service)"));
    } else if (!Values.isUnresolved(token)) {
      String problem = urlProblem(token);
      if (problem != null) {
        errors.add(new PropertyError("ServiceToken", problem));
      }
    }
    JsonNode timeout = properties.get("ServiceTimeout");
    if (timeout != null && !timeout.isNull() && !Values.isUnresolved(timeout)) {
      Optional<Long> t = Values.asLong(timeout);
      if (t.isEmpty() || t.get() < 1 || t.get() > DEFAULT_TIMEOUT_SECONDS) {
        errors.add(new PropertyError("ServiceTimeout", "must be a number of seconds from 1 to 3600, got " + timeout));
      }
    }
    return errors;
  }

  private static String urlProblem(JsonNode token) {
    if (!token.isTextual()) {
      return "must be an http(s) URL, got " + token;
    }
    try {
      URI uri = URI.create(token.asText());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        return "must be an http(s) URL, got '" + token.asText() + "'";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "is not a valid URL: " + e.getMessage();
    }
  }

  @Override
  public ProgressEvent create(ResourceRequest request) {
    return run("Create", request);
  }

  @Override
  public ProgressEvent update(ResourceRequest request) {
    return run("Update", request);
  }

  @Override
  public ProgressEvent delete(ResourceRequest request) {
    if (request.firstCall() && request.physicalId() == null) {
      return ProgressEvent.success(null);
    }
    return run("Delete", request);
  }

  /**
   * After a Create that failed, timed out or was cancelled once the service had the request, the
   * resource the service may have made: CloudFormation sends it a Delete on rollback with the
   * PhysicalResourceId of the failed answer (a generated one when there was no answer).
   */
  @Override
  public ProgressEvent read(ResourceRequest request) {
    ObjectNode ctx = request.callbackContext();
    if (ctx == null || !ctx.has("requestId") || !ctx.path("delivered").asBoolean()) {
      return ProgressEvent.failed(ErrorCode.NOT_FOUND, "the custom resource service never received a Create request");
    }
    String requestId = ctx.get("requestId").asText();
    String physicalId = "";
    Optional<SignalStore> store = request.context().signalStore();
    List<Signal> answers = store.isEmpty() ? List.of()
        : store.get().signals(request.stack().stackId(), SignalStore.customResourceKey(request.logicalId(), requestId));
    if (!answers.isEmpty()) {
      try {
        physicalId = JSON.readTree(answers.get(answers.size() - 1).data()).path("PhysicalResourceId").asText("");
      } catch (JsonProcessingException e) {
        // an unreadable answer names nothing: the generated id stands in
      }
    }
    return ProgressEvent.success(physicalId.isEmpty() ? generatedId(request, requestId) : physicalId);
  }

  /** The physical id of a custom resource whose service named none, as CloudFormation makes one up. */
  private static String generatedId(ResourceRequest request, String uniqueId) {
    return request.stack().stackName() + "-" + request.logicalId() + "-" + uniqueId.substring(0, 8);
  }

  private ProgressEvent run(String requestType, ResourceRequest request) {
    if (request.properties() == null) {
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId()
          + ": no properties were recorded, so there is no ServiceToken to send the " + requestType + " request to");
    }
    Optional<UrlSigner> signer = request.context().urlSigner();
    Optional<SignalStore> store = request.context().signalStore();
    if (signer.isEmpty() || store.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, request.logicalId()
          + ": custom resources need the callback listener, but the engine runs without one");
    }
    ObjectNode ctx = request.callbackContext() == null ? null : request.callbackContext().deepCopy();
    if (ctx == null || !ctx.has("requestId")) {
      List<PropertyError> errors = validate(request.properties());
      if (!errors.isEmpty()) {
        return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId() + ": " + errors.get(0));
      }
      long timeout = Optional.ofNullable(request.properties().get("ServiceTimeout"))
          .flatMap(Values::asLong).orElse(DEFAULT_TIMEOUT_SECONDS);
      ctx = JsonNodeFactory.instance.objectNode();
      ctx.put("requestId", UUID.randomUUID().toString());
      ctx.put("deadline", request.context().clock().millis() + timeout * 1000);
      ctx.put("timeoutSeconds", timeout);
      ctx.put("attempts", 0);
      ctx.put("delivered", false);
      ctx.put("polls", 0);
    }
    String requestId = ctx.get("requestId").asText();
    if (!ctx.get("delivered").asBoolean()) {
      return deliver(requestType, request, ctx, signer.get().customResourceResponseUrl(
          request.stack().stackId(), request.logicalId(), requestId));
    }
    List<Signal> answers = store.get().signals(request.stack().stackId(),
        SignalStore.customResourceKey(request.logicalId(), requestId));
    if (!answers.isEmpty()) {
      return answer(requestType, request, answers.get(answers.size() - 1));
    }
    long now = request.context().clock().millis();
    long deadline = ctx.get("deadline").asLong();
    if (now >= deadline) {
      return ProgressEvent.failed(ErrorCode.TIMEOUT, "Failed to receive a response from the custom resource service "
          + serviceHost(request) + " within " + ctx.get("timeoutSeconds").asLong() + " seconds (" + requestType
          + " request " + requestId + ")");
    }
    int polls = ctx.get("polls").asInt();
    ctx.put("polls", polls + 1);
    long delay = Math.max(1, Math.min(Math.min(MAX_POLL.toMillis(), 250L << Math.min(polls, 10)), deadline - now));
    return ProgressEvent.inProgress(ctx, Duration.ofMillis(delay),
        "waiting for the custom resource service's answer to " + requestType + " request " + requestId);
  }

  private ProgressEvent deliver(String requestType, ResourceRequest request, ObjectNode ctx, URI responseUrl) {
    ObjectNode body = JSON.createObjectNode();
    body.put("RequestType", requestType);
    body.put("ServiceToken", request.properties().path("ServiceToken").asText());
    body.put("ResponseURL", responseUrl.toString());
    body.put("StackId", request.stack().stackId());
    body.put("RequestId", ctx.get("requestId").asText());
    body.put("ResourceType", request.type());
    body.put("LogicalResourceId", request.logicalId());
    if (!requestType.equals("Create")) {
      body.put("PhysicalResourceId", request.physicalId());
    }
    body.set("ResourceProperties", SentProperties.of(request.properties()));
    if (requestType.equals("Update") && request.previousProperties() != null) {
      body.set("OldResourceProperties", SentProperties.of(request.previousProperties()));
    }
    String text = body.toString();
    if (text.length() > MAX_REQUEST_BYTES) {
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId()
          + ": the custom resource request would be larger than " + MAX_REQUEST_BYTES + " bytes");
    }
    int attempt = ctx.get("attempts").asInt() + 1;
    ctx.put("attempts", attempt);
    String problem;
    try {
      HttpResponse<String> response = request.context().httpClient().send(
          HttpRequest.newBuilder(URI.create(request.properties().get("ServiceToken").asText()))
              .timeout(SEND_TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(text))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        ctx.put("delivered", true);
        LOG.debug("sent {} request {} for {} to {}", requestType, ctx.get("requestId").asText(),
            request.logicalId(), serviceHost(request));
        return ProgressEvent.inProgress(ctx, Duration.ofMillis(250),
            "sent the " + requestType + " request to the custom resource service");
      }
      problem = "it answered HTTP " + response.statusCode() + abbreviate(response.body());
    } catch (IOException e) {
      problem = "it could not be reached: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "the call was interrupted";
    }
    String message = request.logicalId() + ": could not send the " + requestType
        + " request to the custom resource service " + serviceHost(request) + ": " + problem;
    if (attempt >= MAX_DELIVERY_ATTEMPTS) {
      return ProgressEvent.failed(ErrorCode.NETWORK_FAILURE, message + " (after " + attempt + " attempts)");
    }
    return ProgressEvent.inProgress(ctx, Duration.ofSeconds(attempt * 2L), message + "; retrying");
  }

  private static String abbreviate(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String b = body.strip();
    return ": " + (b.length() > 200 ? b.substring(0, 200) + "..." : b);
  }

  private static String serviceHost(ResourceRequest request) {
    try {
      URI uri = URI.create(request.properties().path("ServiceToken").asText());
      return uri.getScheme() + "://" + uri.getAuthority();
    } catch (IllegalArgumentException e) {
      return "(invalid ServiceToken)";
    }
  }

  private ProgressEvent answer(String requestType, ResourceRequest request, Signal answer) {
    JsonNode body;
    try {
      body = JSON.readTree(answer.data());
    } catch (JsonProcessingException e) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "stored custom resource response is unreadable");
    }
    if (answer.status() == Signal.Status.FAILURE) {
      return ProgressEvent.failed(ErrorCode.SIGNAL_FAILURE,
          "Received response status [FAILED] from custom resource. Message returned: " + answer.reason());
    }
    if (requestType.equals("Delete")) {
      return ProgressEvent.success(null);
    }
    String physicalId = body.path("PhysicalResourceId").asText("");
    if (physicalId.isEmpty()) {
      physicalId = request.physicalId() != null ? request.physicalId() : generatedId(request, answer.uniqueId());
    }
    Map<String, JsonNode> attributes = new LinkedHashMap<>();
    JsonNode data = body.get("Data");
    if (data != null && data.isObject()) {
      data.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue()));
    }
    if (body.path("NoEcho").asBoolean(false) || "true".equalsIgnoreCase(body.path("NoEcho").asText())) {
      // CloudFormation masks such values wherever they are shown; the marker tells the engine.
      attributes.put(NO_ECHO_ATTRIBUTE, com.fasterxml.jackson.databind.node.BooleanNode.TRUE);
    }
    return ProgressEvent.success(physicalId, attributes);
  }

  /** Attribute present (true) when the service answered {@code NoEcho: true}: its Data must be masked when shown. */
  public static final String NO_ECHO_ATTRIBUTE = "stacktician:noEcho";
}
