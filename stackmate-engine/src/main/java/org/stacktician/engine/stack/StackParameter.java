package org.stacktician.engine.stack;

/** A resolved parameter value as stored with a stack; NoEcho values are never shown. */
public record StackParameter(String key, String value, boolean noEcho) {

  public String displayValue() {
    return noEcho ? "****" : value;
  }
}
