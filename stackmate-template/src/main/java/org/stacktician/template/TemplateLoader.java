package org.stacktician.template;

import org.stacktician.template.parse.TemplateParser;
import org.stacktician.template.validate.TemplateValidator;

/**
 * Loads a template: parses JSON or YAML (keeping positions), then validates its structure,
 * references and dependency graph. Never throws on bad input: every problem becomes a
 * {@link TemplateError} in {@link LoadResult.Invalid}.
 */
public final class TemplateLoader {
  private TemplateLoader() {}

  /** Loads with {@link TemplateLimits#defaults()}. */
  public static LoadResult load(String text, String sourceName) {
    return load(text, sourceName, TemplateLimits.defaults());
  }

  /**
   * Loads template text. {@code sourceName} (e.g. a file name) identifies the template to the
   * caller; errors themselves carry a path and line:column, and the caller adds the file name.
   */
  public static LoadResult load(String text, String sourceName, TemplateLimits limits) {
    var parsed = TemplateParser.parse(text, limits);
    return TemplateValidator.validate(parsed, limits);
  }

  /** Loads raw bytes, rejecting invalid UTF-8 with the position of the first bad byte. */
  public static LoadResult load(byte[] bytes, String sourceName, TemplateLimits limits) {
    var parsed = TemplateParser.parse(bytes, limits);
    return TemplateValidator.validate(parsed, limits);
  }

  /** Loads raw bytes with default limits. */
  public static LoadResult load(byte[] bytes, String sourceName) {
    return load(bytes, sourceName, TemplateLimits.defaults());
  }
}
