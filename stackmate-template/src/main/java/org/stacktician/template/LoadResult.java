package org.stacktician.template;

import java.util.List;

/** The outcome of {@link TemplateLoader#load}: a template, or every error found. */
public sealed interface LoadResult {
  /** The template parsed and passed structural validation. */
  record Loaded(Template template) implements LoadResult {}

  /** The template is invalid; {@code errors} lists every problem found, in template order. */
  record Invalid(List<TemplateError> errors) implements LoadResult {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }
}
