package org.stacktician.template.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One rule: its RuleCondition (null when it always applies) and its assertions, as written. */
public record RuleDefinition(String name, JsonNode condition, List<Assertion> assertions) {
  /** One entry of Assertions: the Assert expression and its AssertDescription (null when absent). */
  public record Assertion(JsonNode assertion, String description) {}

  public RuleDefinition {
    assertions = List.copyOf(assertions);
  }
}
