package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;

/** One entry of the Outputs section as written; {@code exportName} is null when there is no Export. */
public record OutputDefinition(
    String name, JsonNode value, String description, String condition, JsonNode exportName) {}
