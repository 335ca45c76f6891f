package org.stacktician.engine.change;

import java.util.Locale;

/** CloudFormation's spelling of an enum constant: {@code RESOURCE_REFERENCE} is {@code ResourceReference}. */
final class AwsNames {
  private AwsNames() {}

  static String of(Enum<?> constant) {
    StringBuilder sb = new StringBuilder();
    for (String part : constant.name().split("_")) {
      sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return sb.toString();
  }

  /** The constant whose CloudFormation spelling is {@code text}; IllegalArgumentException when none is. */
  static <E extends Enum<E>> E parse(Class<E> type, String text) {
    for (E constant : type.getEnumConstants()) {
      if (of(constant).equals(text)) {
        return constant;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a " + type.getSimpleName());
  }
}
