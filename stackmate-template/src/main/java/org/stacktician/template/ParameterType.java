package org.stacktician.template;

import java.util.Optional;

/**
 * The parsed {@code Type} of a parameter. {@code cloudStack} names what a CloudStack-aware type
 * refers to (for example {@code Zone} by {@code NAME}) so that a later step can check the value
 * against the cloud; here such values are accepted as strings.
 */
public record ParameterType(String name, Base base, boolean list, Optional<CloudStackReference> cloudStack) {

  /** How the value is interpreted before any cloud lookup. */
  public enum Base {
    /** {@code String}, AWS-specific and CloudStack-aware types: any string. */
    STRING,
    /** {@code Number} and {@code List<Number>}: a decimal number. */
    NUMBER
  }

  /** Whether a CloudStack-aware parameter holds the object's id or its name. */
  public enum IdOrName { ID, NAME }

  /** A CloudStack object a parameter value must name, e.g. {@code CloudStack::Zone::Name}. */
  public record CloudStackReference(String noun, IdOrName by) {}

  /** True for {@code CommaDelimitedList}, {@code List<Number>} and every {@code List<...>} type. */
  public boolean isList() {
    return list;
  }
}
