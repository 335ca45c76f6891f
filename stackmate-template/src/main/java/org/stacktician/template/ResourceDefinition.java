package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One entry of the template's Resources section, as written (intrinsic functions unresolved). */
public record ResourceDefinition(
    String logicalId,
    String type,
    ObjectNode properties,
    List<String> dependsOn,
    String condition,
    String deletionPolicy,
    String updateReplacePolicy,
    JsonNode creationPolicy,
    JsonNode updatePolicy,
    JsonNode metadata) {}
