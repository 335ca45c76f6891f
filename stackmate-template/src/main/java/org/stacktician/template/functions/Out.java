package org.stacktician.template.functions;

import com.fasterxml.jackson.databind.JsonNode;

/** An evaluated expression: the value (or the partial expression) and whether it is fully known. */
record Out(JsonNode node, boolean known) {
  static Out known(JsonNode node) {
    return new Out(node, true);
  }

  static Out unknown(JsonNode node) {
    return new Out(node, false);
  }
}
