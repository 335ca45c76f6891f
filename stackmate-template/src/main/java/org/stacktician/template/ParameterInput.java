package org.stacktician.template;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parameter values as the user gave them (raw strings; lists still comma-separated). */
public record ParameterInput(Map<String, String> values) {
  public ParameterInput {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** No values given. */
  public static ParameterInput none() {
    return new ParameterInput(Map.of());
  }
}
