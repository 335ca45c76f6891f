package org.stacktician.template.functions;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed string of an {@code Fn::Sub}: literal text and {@code ${Name}} variables.
 * {@code ${!Literal}} is literal text {@code ${Literal}}; an unterminated {@code ${} is literal too.
 */
public record SubTemplate(List<Part> parts) {
  /** One piece of the string. */
  public sealed interface Part {}

  /** Text copied as is. */
  public record Literal(String text) implements Part {}

  /** A variable: a Sub map key, parameter, pseudo parameter, resource, or {@code Resource.Attribute}. */
  public record Variable(String name) implements Part {}

  /** Splits {@code text} into literal and variable parts. */
  public static SubTemplate parse(String text) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("${", i);
      if (open < 0) {
        literal.append(text, i, text.length());
        break;
      }
      int close = text.indexOf('}', open + 2);
      if (close < 0) {
        literal.append(text, i, text.length());
        break;
      }
      literal.append(text, i, open);
      String inner = text.substring(open + 2, close);
      if (inner.startsWith("!")) {
        literal.append("${").append(inner, 1, inner.length()).append('}');
      } else {
        if (!literal.isEmpty()) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(new Variable(inner.trim()));
      }
      i = close + 1;
    }
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    return new SubTemplate(List.copyOf(parts));
  }

  /** Escapes a resolved value so that it reads back as literal text inside a Sub string. */
  public static String escape(String value) {
    return value.replace("${", "${!");
  }
}
