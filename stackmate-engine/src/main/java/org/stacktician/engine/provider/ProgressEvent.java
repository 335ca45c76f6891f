package org.stacktician.engine.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** What a handler call reports: still working, done, or failed. */
public sealed interface ProgressEvent {

  /** Still working: call the same operation again after {@code delay} with {@code callbackContext}. */
  record InProgress(ObjectNode callbackContext, Duration delay, String message) implements ProgressEvent {
    public InProgress {
      Objects.requireNonNull(callbackContext, "callbackContext");
      Objects.requireNonNull(delay, "delay");
    }
  }

  /**
   * Done. {@code physicalId} is what {@code Ref} returns (null for a delete); {@code attributes}
   * are what {@code Fn::GetAtt} reads.
   */
  record Success(String physicalId, Map<String, JsonNode> attributes) implements ProgressEvent {
    public Success {
      attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
  }

  /** Failed, with a message a person can act on. */
  record Failed(ErrorCode code, String message) implements ProgressEvent {
    public Failed {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  static InProgress inProgress(ObjectNode callbackContext, Duration delay, String message) {
    return new InProgress(callbackContext, delay, message);
  }

  static InProgress inProgress(Duration delay, String message) {
    return new InProgress(JsonNodeFactory.instance.objectNode(), delay, message);
  }

  static Success success(String physicalId, Map<String, JsonNode> attributes) {
    return new Success(physicalId, attributes);
  }

  static Success success(String physicalId) {
    return new Success(physicalId, Map.of());
  }

  static Failed failed(ErrorCode code, String message) {
    return new Failed(code, message);
  }
}
