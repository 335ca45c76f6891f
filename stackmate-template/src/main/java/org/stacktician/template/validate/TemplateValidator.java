package org.stacktician.template.validate;

import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.parse.ParsedDocument;

/** Structural and reference validation of a parsed template. */
public final class TemplateValidator {
  private TemplateValidator() {}

  public static LoadResult validate(ParsedDocument parsed, TemplateLimits limits) {
    return new LoadResult.Invalid(parsed.errors());
  }
}
