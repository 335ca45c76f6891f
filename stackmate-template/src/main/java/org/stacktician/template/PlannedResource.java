package org.stacktician.template;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A resource in a plan. {@code dependsOn} lists its direct dependencies among included resources
 * (DependsOn plus Ref/GetAtt/Sub references after conditions are applied); {@code properties} are
 * resolved as far as possible, with expressions that need a not-yet-created resource kept as the
 * intrinsic-function object. Excluded resources (false Condition) have empty properties.
 */
public record PlannedResource(
    String logicalId,
    String type,
    boolean included,
    List<String> dependsOn,
    ObjectNode properties,
    ResourceDefinition definition) {}
