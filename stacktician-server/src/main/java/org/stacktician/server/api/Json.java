package org.stacktician.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.time.Instant;
import org.stacktician.server.ServerException;

/** The REST API's JSON: instants as ISO-8601 text, stacks as {@link StackJson} writes them, request bodies read field by field with clear errors. */
final class Json {
  // Jackson recycles its buffers per thread by default; every request has a virtual thread of its
  // own, so that would allocate fresh buffers each time: a shared pool recycles them across requests.
  static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
          .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build())
      .registerModule(new SimpleModule().addSerializer(new InstantText())
          .addSerializer(new StackJson()).addSerializer(new StackJson.Output())
          .addSerializer(new StackJson.Drift()))
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  /** An instant as {@link IsoInstant} writes it. */
  static final class InstantText extends StdSerializer<Instant> {
    InstantText() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant at, com.fasterxml.jackson.core.JsonGenerator g, SerializerProvider provider)
        throws java.io.IOException {
      write(g, at);
    }

    /** Writes {@code at} as a string value. */
    static void write(com.fasterxml.jackson.core.JsonGenerator g, Instant at) throws java.io.IOException {
      char[] text = new char[IsoInstant.MAX_LENGTH];
      g.writeString(text, 0, IsoInstant.write(text, at));
    }
  }

  /** A request body that must be a JSON object (an empty body is an empty object). */
  static ObjectNode object(byte[] body) {
    if (body.length == 0) {
      return MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ServerException.Invalid.field("", "the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")"));
    } catch (java.io.IOException e) {
      throw ServerException.Invalid.field("", "cannot read the body: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw ServerException.Invalid.field("", "the body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** A text field, or null when absent or null. */
  static String text(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ServerException.Invalid.field(field, field + " must be a string");
    }
    return v.asText();
  }

  /** A whole-number field, or null when absent or null. */
  static Integer integer(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw ServerException.Invalid.field(field, field + " must be a whole number");
    }
    return v.asInt();
  }

  /** A boolean field, or null when absent or null. */
  static Boolean bool(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw ServerException.Invalid.field(field, field + " must be true or false");
    }
    return v.asBoolean();
  }
}
