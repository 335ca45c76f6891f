package org.stacktician.template.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One intrinsic function: evaluates its argument; {@code original} is the whole function object, kept when unknown. */
@FunctionalInterface
interface IntrinsicFunction {
  Out apply(JsonNode arg, ObjectNode original, NodePath path, Run run);
}
