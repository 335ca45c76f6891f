package org.stacktician.engine.execution;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;

/** Makes the events of status transitions; NoEcho parameter values are masked in properties. */
final class EventFactory {
  private EventFactory() {}

  static StackEvent stack(StackRecord s, Instant at) {
    return new StackEvent(0, UUID.randomUUID().toString(), s.stackId(), s.stackName(), s.stackName(), s.stackId(),
        StackEvent.STACK_TYPE, at, s.status().name(), s.statusReason(), null);
  }

  static StackEvent resource(StackRecord s, ResourceRecord r, Instant at, Collection<String> secrets) {
    String properties = r.properties() == null ? null : mask(r.properties().toString(), secrets);
    return new StackEvent(0, UUID.randomUUID().toString(), s.stackId(), s.stackName(), r.logicalId(), r.physicalId(),
        r.type(), at, r.status().name(), r.statusReason(), properties);
  }

  static String mask(String text, Collection<String> secrets) {
    String out = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        out = out.replace(secret, "****");
      }
    }
    return out;
  }

  static List<String> noEchoValues(StackRecord s) {
    return s.parameters().stream().filter(p -> p.noEcho()).map(p -> p.value()).toList();
  }
}
