package org.stacktician.engine.stack;

/** A resolved parameter value as stored with a stack; NoEcho values are never shown. */
public record StackParameter(String key, String value, boolean noEcho) {

  /** A planned parameter as stored: list values joined with commas, as they were given. */
  public static StackParameter of(org.stacktician.template.ResolvedParameter p) {
    com.fasterxml.jackson.databind.JsonNode v = p.value();
    String text;
    if (v == null || v.isNull()) {
      text = "";
    } else if (v.isArray()) {
      java.util.List<String> parts = new java.util.ArrayList<>();
      v.forEach(x -> parts.add(x.asText()));
      text = String.join(",", parts);
    } else {
      text = v.asText();
    }
    return new StackParameter(p.name(), text, p.noEcho());
  }

  public String displayValue() {
    return noEcho ? "****" : value;
  }
}
