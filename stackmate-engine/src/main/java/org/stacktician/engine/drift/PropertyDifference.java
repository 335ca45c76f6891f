package org.stacktician.engine.drift;

import java.util.Objects;

/**
 * One property that differs (CloudFormation's {@code PropertyDifference}).
 *
 * @param propertyPath a JSON pointer into the properties, e.g. {@code /displayname} or {@code /SecurityGroupIngress/1}
 * @param expectedValue the template's value as JSON text (NoEcho values masked); null for ADD
 * @param actualValue the cloud's value as JSON text (NoEcho values masked); null for REMOVE
 */
public record PropertyDifference(String propertyPath, String expectedValue, String actualValue, Type differenceType) {
  public PropertyDifference {
    Objects.requireNonNull(propertyPath, "propertyPath");
    Objects.requireNonNull(differenceType, "differenceType");
  }

  /** CloudFormation's {@code DifferenceType}. */
  public enum Type {
    /** The cloud has a value (a list item) the template does not. */
    ADD,
    /** The template has a value the cloud no longer has. */
    REMOVE,
    /** Both have a value and they differ. */
    NOT_EQUAL
  }
}
