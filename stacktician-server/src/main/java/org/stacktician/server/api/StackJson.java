package org.stacktician.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import org.stacktician.engine.drift.DriftInformation;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
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
 * Absent values are null. Written straight to the generator: a list page holds up to 100 stacks,
 * and a bean serializer's reflective, per-field look-ups cost more than the writing itself.
 */
final class StackJson extends StdSerializer<ServerStack> {
  private static final Drift DRIFT = new Drift();
  private static final Output OUTPUT = new Output();

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
      g.writeStringField("key", o.key());
      g.writeStringField("value", o.displayValue());
      g.writeStringField("description", o.description());
      g.writeStringField("exportName", o.exportName());
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
      g.writeStringField("status", d.driftStatus());
      time(g, "lastCheckTimestamp", d.lastCheckTimestamp());
      g.writeEndObject();
    }
  }

  @Override
  public void serialize(ServerStack s, JsonGenerator g, SerializerProvider provider) throws IOException {
    StackRecord r = s.record();
    g.writeStartObject();
    g.writeStringField("id", s.key());
    g.writeStringField("stackId", r.stackId());
    g.writeStringField("name", r.stackName());
    g.writeStringField("status", r.status().name());
    g.writeStringField("statusReason", r.statusReason());
    g.writeStringField("description", r.description());
    g.writeArrayFieldStart("parameters");
    for (StackParameter p : r.parameters()) {
      g.writeStartObject();
      g.writeStringField("key", p.key());
      g.writeStringField("value", p.displayValue());
      g.writeBooleanField("noEcho", p.noEcho());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("outputs");
    for (StackOutput o : r.outputs()) {
      OUTPUT.serialize(o, g, provider);
    }
    g.writeEndArray();
    number(g, "timeoutMinutes", r.timeoutMinutes());
    g.writeBooleanField("disableRollback", r.disableRollback());
    g.writeBooleanField("terminationProtection", r.terminationProtection());
    g.writeStringField("ownerId", s.ownerId());
    g.writeStringField("cloudAccountId", s.cloudAccountId());
    g.writeStringField("cloudAccountName", s.cloudAccountName());
    g.writeStringField("templateId", s.library() == null ? null : s.library().templateId());
    number(g, "templateVersion", s.library() == null ? null : s.library().version());
    time(g, "createdAt", r.createdAt());
    time(g, "updatedAt", r.updatedAt());
    g.writeFieldName("drift");
    DRIFT.serialize(s.drift(), g, provider);
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String name, Integer value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, value.intValue());
    }
  }

  /** An instant as ISO-8601 text, as the API writes every instant ({@link IsoInstant}); null as null. */
  private static void time(JsonGenerator g, String name, Instant at) throws IOException {
    g.writeStringField(name, at == null ? null : IsoInstant.format(at));
  }
}
