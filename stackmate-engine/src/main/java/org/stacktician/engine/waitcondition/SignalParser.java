package org.stacktician.engine.waitcondition;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads the body cfn-signal PUTs to a handle URL: {@code {"Status": "SUCCESS"|"FAILURE",
 * "Reason": "...", "UniqueId": "...", "Data": "..."}} (CLOUDFORMATION.md, "WaitCondition and
 * handle"; ORIGINALS.md §6.3).
 */
public final class SignalParser {
  /** Largest body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** Largest Data value (UTF-8 bytes) kept per signal: CloudFormation's bound. */
  public static final int MAX_DATA_BYTES = 4096;
  private static final int MAX_ID_CHARS = 255;
  /** Exactly one JSON value: trailing text and repeated keys (which would make the body ambiguous) are refused. */
  private static final ObjectReader JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build().reader();

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
    JsonNode json = readObject(body, "signal body", "Status, Reason, UniqueId and Data");
    Signal.Status parsed = switch (status(json, "signal", "SUCCESS or FAILURE")) {
      case "SUCCESS" -> Signal.Status.SUCCESS;
      case "FAILURE" -> Signal.Status.FAILURE;
      case String other -> throw new InvalidSignalException("the signal's Status is '" + abbreviate(other)
          + "'; expected SUCCESS or FAILURE (in capitals, as cfn-signal sends them)");
    };
    String uniqueId = text(json, "UniqueId");
    if (uniqueId == null || uniqueId.isBlank()) {
      throw new InvalidSignalException("the signal has no UniqueId");
    }
    if (uniqueId.length() > MAX_ID_CHARS) {
      throw new InvalidSignalException("the signal's UniqueId is longer than " + MAX_ID_CHARS + " characters");
    }
    String data = text(json, "Data");
    if (data != null && data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
      throw new InvalidSignalException("the signal's Data is longer than " + MAX_DATA_BYTES
          + " bytes (CloudFormation's bound for one signal)");
    }
    return new Signal(parsed, text(json, "Reason"), uniqueId, data, receivedAt);
  }

  /**
   * Reads a callback body that must be exactly one JSON object (nothing after it, no key twice).
   *
   * @param what names the body in messages ("signal body", "custom resource response")
   * @param fields the fields expected, for the message when it is not an object
   */
  public static JsonNode readObject(byte[] body, String what, String fields) throws InvalidSignalException {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidSignalException("the " + what + " is not valid JSON (exactly one JSON object is expected): "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidSignalException("the " + what + " cannot be read: " + e.getMessage());
    }
    if (json == null || json.isMissingNode() || !json.isObject()) {
      throw new InvalidSignalException("the " + what + " must be a JSON object with " + fields);
    }
    return json;
  }

  /**
   * The Status field (a string), compared as CloudFormation compares it: the exact text, no case folding (a
   * case-insensitive match in some locales would take "ſuccess" for SUCCESS).
   */
  public static String status(JsonNode json, String what, String expected) throws InvalidSignalException {
    JsonNode v = json.get("Status");
    if (v == null || v.isNull()) {
      throw new InvalidSignalException("the " + what + " has no Status; expected " + expected);
    }
    if (!v.isTextual()) {
      throw new InvalidSignalException("the " + what + "'s Status must be the string " + expected + ", got "
          + abbreviate(v.toString()));
    }
    return v.textValue();
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
