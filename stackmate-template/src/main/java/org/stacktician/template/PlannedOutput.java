package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;

/** An output whose condition holds; {@code value} and {@code export} may still hold intrinsic functions. */
public record PlannedOutput(String name, JsonNode value, JsonNode export, String description) {}
