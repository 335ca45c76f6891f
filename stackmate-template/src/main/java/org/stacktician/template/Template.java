package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A structurally valid template: every section read into its model, maps in template order,
 * intrinsic functions still unresolved, and the source map for positions.
 */
public record Template(
    String formatVersion,
    String description,
    JsonNode metadata,
    Map<String, ParameterDefinition> parameters,
    ObjectNode mappings,
    Map<String, JsonNode> conditions,
    Map<String, ResourceDefinition> resources,
    Map<String, OutputDefinition> outputs,
    SourceMap sourceMap) {}
