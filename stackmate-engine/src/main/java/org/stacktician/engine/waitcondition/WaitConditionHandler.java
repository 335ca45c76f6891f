package org.stacktician.engine.waitcondition;

import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.provider.PropertyUpdate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stacktician.engine.callback.UrlSigner;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.Values;

/**
 * {@code AWS::CloudFormation::WaitCondition}: waits, without holding a thread, until {@code
 * Count} SUCCESS signals with distinct UniqueIds reach its {@code Handle}; fails at the first
 * FAILURE signal (with the signal's reason) or when {@code Timeout} seconds have passed.
 * {@code Fn::GetAtt [Cond, Data]} is the JSON text of an object from each UniqueId to its Data.
 */
public final class WaitConditionHandler implements ResourceHandler {
  /**
   * CloudFormation does not update a wait condition ("Updates aren't supported"): a changed one is
   * a new wait condition, which needs a new handle.
   */
  private static final UpdateRules UPDATES = UpdateRules.REPLACE_ALL.otherwise(PropertyUpdate.REPLACEMENT
      .withNote("CloudFormation does not update wait conditions; give the new one a new handle"));

  @Override
  public UpdateRules updateRules() {
    return UPDATES;
  }

  /** CloudFormation's upper bound for Timeout (12 hours). */
  public static final long MAX_TIMEOUT_SECONDS = 43_200;
  private static final Duration FIRST_POLL = Duration.ofMillis(500);
  private static final Duration MAX_POLL = Duration.ofSeconds(5);

  @Override
  public List<PropertyError> validate(ObjectNode properties) {
    List<PropertyError> errors = new ArrayList<>();
    JsonNode handle = properties.get("Handle");
    if (handle == null || handle.isNull()) {
      errors.add(new PropertyError("Handle", "is required (a Ref to an AWS::CloudFormation::WaitConditionHandle)"));
    } else if (!Values.isUnresolved(handle) && !handle.isTextual()) {
      errors.add(new PropertyError("Handle", "must be the handle's URL (a Ref to the handle)"));
    }
    JsonNode timeout = properties.get("Timeout");
    if (timeout == null || timeout.isNull()) {
      errors.add(new PropertyError("Timeout", "is required (seconds, at most " + MAX_TIMEOUT_SECONDS + ")"));
    } else if (!Values.isUnresolved(timeout)) {
      Optional<Long> t = Values.asLong(timeout);
      if (t.isEmpty() || t.get() < 1 || t.get() > MAX_TIMEOUT_SECONDS) {
        errors.add(new PropertyError("Timeout", "must be a number of seconds from 1 to " + MAX_TIMEOUT_SECONDS
            + ", got " + timeout));
      }
    }
    JsonNode count = properties.get("Count");
    if (count != null && !count.isNull() && !Values.isUnresolved(count)) {
      Optional<Long> c = Values.asLong(count);
      if (c.isEmpty() || c.get() < 1) {
        errors.add(new PropertyError("Count", "must be a positive integer, got " + count));
      }
    }
    return errors;
  }

  @Override
  public ProgressEvent create(ResourceRequest request) {
    ObjectNode ctx = request.callbackContext();
    if (ctx == null || !ctx.has("deadline")) {
      List<PropertyError> errors = validate(request.properties());
      if (!errors.isEmpty()) {
        return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId() + ": " + errors.get(0));
      }
      Optional<UrlSigner> signer = request.context().urlSigner();
      if (signer.isEmpty()) {
        return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
            request.logicalId() + " needs the callback listener, but the engine runs without one");
      }
      String handleUrl = request.properties().get("Handle").asText();
      Optional<List<String>> segments = signer.get().verifiedSegments(UrlSigner.WAIT_CONDITION, handleUrl);
      if (segments.isEmpty() || segments.get().size() != 2) {
        return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, request.logicalId()
            + ": property 'Handle' is not a wait condition handle URL of this engine: " + handleUrl);
      }
      long timeout = Values.asLong(request.properties().get("Timeout")).orElseThrow();
      long count = Optional.ofNullable(request.properties().get("Count")).flatMap(Values::asLong).orElse(1L);
      ctx = JsonNodeFactory.instance.objectNode();
      ctx.put("handleStackId", segments.get().get(0));
      ctx.put("handle", segments.get().get(1));
      ctx.put("handleUrl", handleUrl);
      ctx.put("count", count);
      ctx.put("deadline", request.context().clock().millis() + timeout * 1000);
      ctx.put("polls", 0);
    }
    return poll(request, ctx.deepCopy());
  }

  private ProgressEvent poll(ResourceRequest request, ObjectNode ctx) {
    Optional<SignalStore> store = request.context().signalStore();
    if (store.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          request.logicalId() + " needs a signal store, but the engine runs without one");
    }
    List<Signal> signals = store.get().signals(ctx.get("handleStackId").asText(), ctx.get("handle").asText());
    long count = ctx.get("count").asLong();
    Map<String, String> data = new LinkedHashMap<>();
    for (Signal s : signals) {
      if (s.status() == Signal.Status.FAILURE) {
        return ProgressEvent.failed(ErrorCode.SIGNAL_FAILURE, "WaitCondition received failed message: '"
            + s.reason() + "' for uniqueId: " + s.uniqueId());
      }
      data.put(s.uniqueId(), s.data());
    }
    if (data.size() >= count) {
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      data.forEach(json::put);
      return ProgressEvent.success(ctx.get("handleUrl").asText(),
          Map.of("Data", TextNode.valueOf(json.toString())));
    }
    long now = request.context().clock().millis();
    long deadline = ctx.get("deadline").asLong();
    if (now >= deadline) {
      return ProgressEvent.failed(ErrorCode.TIMEOUT, "WaitCondition timed out. Received " + data.size()
          + " conditions when expecting " + count);
    }
    int polls = ctx.get("polls").asInt();
    ctx.put("polls", polls + 1);
    long delayMillis = Math.min(MAX_POLL.toMillis(), FIRST_POLL.toMillis() << Math.min(polls, 10));
    delayMillis = Math.max(1, Math.min(delayMillis, deadline - now));
    return ProgressEvent.inProgress(ctx, Duration.ofMillis(delayMillis),
        "waiting for " + (count - data.size()) + " more signal(s) on " + ctx.get("handle").asText());
  }

  @Override
  public ProgressEvent delete(ResourceRequest request) {
    return ProgressEvent.success(null);
  }
}
