package org.stacktician.engine.stack;

/** An evaluated output; {@code noEcho} values are masked by whoever shows them. */
public record StackOutput(String key, String value, String description, String exportName, boolean noEcho) {

  /** The value as it may be shown to a person. */
  public String displayValue() {
    return noEcho ? "****" : value;
  }
}
