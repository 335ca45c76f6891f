package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;

/** A parameter's effective value (a string, or an array of strings for list types). */
public record ResolvedParameter(String name, String type, JsonNode value, boolean noEcho) {
  /** The mask shown instead of a NoEcho value. */
  public static final String MASK = "****";

  /** The value to display: the mask for NoEcho parameters. */
  public JsonNode displayValue() {
    return noEcho ? com.fasterxml.jackson.databind.node.TextNode.valueOf(MASK) : value;
  }
}
