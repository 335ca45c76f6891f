package org.stacktician.template.parse;

import java.util.List;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;

/** Parses JSON or YAML template text into a tree with positions. */
public final class TemplateParser {
  private TemplateParser() {}

  public static ParsedDocument parse(String text, TemplateLimits limits) {
    return new ParsedDocument(null, null, List.of(TemplateError.of("", "not implemented yet")));
  }

  public static ParsedDocument parse(byte[] bytes, TemplateLimits limits) {
    return new ParsedDocument(null, null, List.of(TemplateError.of("", "not implemented yet")));
  }
}
