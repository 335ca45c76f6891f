package org.stacktician.engine.waitcondition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Reads the body cfn-signal PUTs to a handle URL: {@code {"Status": "SUCCESS"|"FAILURE",
 * "Reason": "...", "UniqueId": "...", "Data": "..."}} (CLOUDFORMATION.md, "WaitCondition and
 * handle"; ORIGINALS.md §6.3).
 */
public final class SignalParser {
  /** Largest body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** Largest Data value kept per signal. */
  public static final int MAX_DATA_CHARS = 32 * 1024;
  private static final int MAX_ID_CHARS = 255;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SignalParser() {}

  /** A body that is not a valid signal; the message says what is wrong. */
  public static final class InvalidSignalException extends Exception {
    public InvalidSignalException(String message) {
      super(message);
    }
  }

  /** Parses one signal body. */
  public static Signal parse(byte[] body, Instant receivedAt) throws InvalidSignalException {
    if (body == null || body.length == 0) {
      throw new InvalidSignalException("the signal body is empty; expected JSON with Status, Reason, UniqueId and Data");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new InvalidSignalException("the signal body has " + body.length + " bytes; at most " + MAX_BODY_BYTES + " are accepted");
    }
    JsonNode json;
    try {
      json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new InvalidSignalException("the signal body is not valid JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw new InvalidSignalException("the signal body must be a JSON object with Status, Reason, UniqueId and Data");
    }
    String status = text(json, "Status");
    if (status == null) {
      throw new InvalidSignalException("the signal has no Status; expected SUCCESS or FAILURE");
    }
    Signal.Status parsed;
    switch (status.toUpperCase(Locale.ROOT)) {
      case "SUCCESS" -> parsed = Signal.Status.SUCCESS;
      case "FAILURE", "FAILED" -> parsed = Signal.Status.FAILURE;
      default -> throw new InvalidSignalException("the signal's Status is '" + abbreviate(status) + "'; expected SUCCESS or FAILURE");
    }
    String uniqueId = text(json, "UniqueId");
    if (uniqueId == null || uniqueId.isBlank()) {
      throw new InvalidSignalException("the signal has no UniqueId");
    }
    if (uniqueId.length() > MAX_ID_CHARS) {
      throw new InvalidSignalException("the signal's UniqueId is longer than " + MAX_ID_CHARS + " characters");
    }
    String data = text(json, "Data");
    if (data != null && data.length() > MAX_DATA_CHARS) {
      throw new InvalidSignalException("the signal's Data is longer than " + MAX_DATA_CHARS + " characters");
    }
    return new Signal(parsed, text(json, "Reason"), uniqueId, data, receivedAt);
  }

  private static String text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
