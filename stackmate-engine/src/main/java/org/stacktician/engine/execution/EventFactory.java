package org.stacktician.engine.execution;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.stacktician.cloudstack.client.Redaction;
import org.stacktician.engine.custom.CustomResourceHandler;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;

/**
 * Makes the events of status transitions. NoEcho values (the stack's NoEcho parameters and the
 * Data of custom resources that answered {@code NoEcho: true}) are masked in properties and
 * reasons with the client's {@link Redaction}, the one masking of such values.
 */
public final class EventFactory {
  private EventFactory() {}

  /** The event of a stack status change. */
  public static StackEvent stack(StackRecord s, Instant at) {
    return new StackEvent(0, UUID.randomUUID().toString(), s.stackId(), s.stackName(), s.stackName(), s.stackId(),
        StackEvent.STACK_TYPE, at, s.status().name(), s.statusReason(), null);
  }

  /** The event of a resource status change, with {@code secrets} masked in its properties and reason. */
  public static StackEvent resource(StackRecord s, ResourceRecord r, Instant at, Collection<String> secrets) {
    String properties = r.properties() == null ? null : Redaction.mask(r.properties().toString(), secrets);
    return new StackEvent(0, UUID.randomUUID().toString(), s.stackId(), s.stackName(), r.logicalId(), r.physicalId(),
        r.type(), at, r.status().name(), Redaction.mask(r.statusReason(), secrets), properties);
  }

  /**
   * The values to mask for a stack: its NoEcho parameters and the Data values of its custom
   * resources that answered NoEcho, longest first (a secret that contains another is hidden whole).
   */
  public static List<String> noEchoValues(StackRecord s, Collection<ResourceRecord> resources) {
    List<String> values = new ArrayList<>();
    s.parameters().stream().filter(p -> p.noEcho()).map(p -> p.value()).forEach(values::add);
    for (ResourceRecord r : resources) {
      Map<String, JsonNode> attributes = r.attributes();
      if (attributes == null || !attributes.containsKey(CustomResourceHandler.NO_ECHO_ATTRIBUTE)) {
        continue;
      }
      attributes.forEach((key, value) -> {
        if (!key.equals(CustomResourceHandler.NO_ECHO_ATTRIBUTE) && value != null && !value.isNull()) {
          values.add(value.isValueNode() ? value.asText() : value.toString());
        }
      });
    }
    return values.stream().filter(v -> v != null && !v.isEmpty()).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }
}
