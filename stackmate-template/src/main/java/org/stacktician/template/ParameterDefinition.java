package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * One entry of the Parameters section. Constraints that are absent are null (or an empty list for
 * {@code allowedValues}); {@code defaultValue} is null when there is no Default.
 */
public record ParameterDefinition(
    String name,
    String type,
    JsonNode defaultValue,
    boolean noEcho,
    String description,
    List<String> allowedValues,
    String allowedPattern,
    Integer minLength,
    Integer maxLength,
    BigDecimal minValue,
    BigDecimal maxValue,
    String constraintDescription,
    ParameterType parsedType) {}
