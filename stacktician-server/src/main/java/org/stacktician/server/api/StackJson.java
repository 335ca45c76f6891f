package org.stacktician.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import org.stacktician.engine.drift.DriftInformation;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.server.stacks.ServerStack;

/**
 * The REST API's JSON of a stack, written field by field (NoEcho values masked): {@code id} (its
 * key in REST paths), {@code stackId}, {@code name}, {@code status}, {@code statusReason},
 * {@code description}, {@code parameters} ({@code key}, {@code value}, {@code noEcho}),
 * {@code outputs} ({@code key}, {@code value}, {@code description}, {@code exportName}),
 * {@code timeoutMinutes}, {@code disableRollback}, {@code terminationProtection}, {@code ownerId},
 * {@code cloudAccountId}, {@code cloudAccountName}, {@code templateId} and {@code templateVersion}
 * (the library template version its current template came from; null for a body),
 * {@code createdAt}, {@code updatedAt}, {@code drift} ({@code status}, {@code lastCheckTimestamp}).
 * Absent values are null. Written straight to the generator with names encoded once: a list page
 * holds up to 100 stacks, and a bean serializer's reflective, per-field look-ups and names encoded
 * for every value cost more than the values themselves.
 */
final class StackJson extends StdSerializer<ServerStack> {
  private static final Drift DRIFT = new Drift();
  private static final Output OUTPUT = new Output();
  // Field names encoded once (a generator would encode a String name again for every value).
  private static final SerializableString ID = name("id");
  private static final SerializableString STACK_ID = name("stackId");
  private static final SerializableString NAME = name("name");
  private static final SerializableString STATUS = name("status");
  private static final SerializableString STATUS_REASON = name("statusReason");
  private static final SerializableString DESCRIPTION = name("description");
  private static final SerializableString PARAMETERS = name("parameters");
  private static final SerializableString KEY = name("key");
  private static final SerializableString VALUE = name("value");
  private static final SerializableString NO_ECHO = name("noEcho");
  private static final SerializableString OUTPUTS = name("outputs");
  private static final SerializableString EXPORT_NAME = name("exportName");
  private static final SerializableString TIMEOUT_MINUTES = name("timeoutMinutes");
  private static final SerializableString DISABLE_ROLLBACK = name("disableRollback");
  private static final SerializableString TERMINATION_PROTECTION = name("terminationProtection");
  private static final SerializableString OWNER_ID = name("ownerId");
  private static final SerializableString CLOUD_ACCOUNT_ID = name("cloudAccountId");
  private static final SerializableString CLOUD_ACCOUNT_NAME = name("cloudAccountName");
  private static final SerializableString TEMPLATE_ID = name("templateId");
  private static final SerializableString TEMPLATE_VERSION = name("templateVersion");
  private static final SerializableString CREATED_AT = name("createdAt");
  private static final SerializableString UPDATED_AT = name("updatedAt");
  private static final SerializableString DRIFT_FIELD = name("drift");
  private static final SerializableString LAST_CHECK_TIMESTAMP = name("lastCheckTimestamp");
  /** Each status's name, encoded once. */
  private static final SerializableString[] STATUSES = Arrays.stream(StackStatus.values())
      .map(status -> name(status.name())).toArray(SerializableString[]::new);

  StackJson() {
    super(ServerStack.class);
  }

  /** A stack output: {@code key}, {@code value} (a NoEcho value masked), {@code description}, {@code exportName}. */
  static final class Output extends StdSerializer<StackOutput> {
    Output() {
      super(StackOutput.class);
    }

    @Override
    public void serialize(StackOutput o, JsonGenerator g, SerializerProvider provider) throws IOException {
      g.writeStartObject();
      text(g, KEY, o.key());
      text(g, VALUE, o.displayValue());
      text(g, DESCRIPTION, o.description());
      text(g, EXPORT_NAME, o.exportName());
      g.writeEndObject();
    }
  }

  /** A stack's or resource's drift information: the status its last detection found and when that detection started. */
  static final class Drift extends StdSerializer<DriftInformation> {
    Drift() {
      super(DriftInformation.class);
    }

    @Override
    public void serialize(DriftInformation d, JsonGenerator g, SerializerProvider provider) throws IOException {
      g.writeStartObject();
      text(g, STATUS, d.driftStatus());
      time(g, LAST_CHECK_TIMESTAMP, d.lastCheckTimestamp());
      g.writeEndObject();
    }
  }

  @Override
  public void serialize(ServerStack s, JsonGenerator g, SerializerProvider provider) throws IOException {
    StackRecord r = s.record();
    g.writeStartObject();
    text(g, ID, s.key());
    text(g, STACK_ID, r.stackId());
    text(g, NAME, r.stackName());
    g.writeFieldName(STATUS);
    g.writeString(STATUSES[r.status().ordinal()]);
    text(g, STATUS_REASON, r.statusReason());
    text(g, DESCRIPTION, r.description());
    g.writeFieldName(PARAMETERS);
    g.writeStartArray();
    for (StackParameter p : r.parameters()) {
      g.writeStartObject();
      text(g, KEY, p.key());
      text(g, VALUE, p.displayValue());
      g.writeFieldName(NO_ECHO);
      g.writeBoolean(p.noEcho());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeFieldName(OUTPUTS);
    g.writeStartArray();
    for (StackOutput o : r.outputs()) {
      OUTPUT.serialize(o, g, provider);
    }
    g.writeEndArray();
    number(g, TIMEOUT_MINUTES, r.timeoutMinutes());
    g.writeFieldName(DISABLE_ROLLBACK);
    g.writeBoolean(r.disableRollback());
    g.writeFieldName(TERMINATION_PROTECTION);
    g.writeBoolean(r.terminationProtection());
    text(g, OWNER_ID, s.ownerId());
    text(g, CLOUD_ACCOUNT_ID, s.cloudAccountId());
    text(g, CLOUD_ACCOUNT_NAME, s.cloudAccountName());
    text(g, TEMPLATE_ID, s.library() == null ? null : s.library().templateId());
    number(g, TEMPLATE_VERSION, s.library() == null ? null : s.library().version());
    time(g, CREATED_AT, r.createdAt());
    time(g, UPDATED_AT, r.updatedAt());
    g.writeFieldName(DRIFT_FIELD);
    DRIFT.serialize(s.drift(), g, provider);
    g.writeEndObject();
  }

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }

  /**
   * A text field. The value goes through a char array: Jackson writes a String's characters one
   * {@code charAt} at a time, an array's in a tighter loop (a page of stacks is mostly such text).
   */
  private static void text(JsonGenerator g, SerializableString name, String value) throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      char[] chars = value.toCharArray();
      g.writeString(chars, 0, chars.length);
    }
  }

  private static void number(JsonGenerator g, SerializableString name, Integer value) throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      g.writeNumber(value.intValue());
    }
  }

  /** An instant as ISO-8601 text, as the API writes every instant ({@link Json.InstantText}); null as null. */
  private static void time(JsonGenerator g, SerializableString name, Instant at) throws IOException {
    g.writeFieldName(name);
    if (at == null) {
      g.writeNull();
    } else {
      Json.InstantText.write(g, at);
    }
  }
}
