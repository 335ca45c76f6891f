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
}
