package org.stacktician.engine;

import java.util.List;
import org.stacktician.template.TemplateError;

/** A stack was not started because its name, template or parameters are invalid; lists every problem. */
public final class StackValidationException extends RuntimeException {
  private final transient List<TemplateError> errors;

  public StackValidationException(List<TemplateError> errors) {
    super(errors.size() == 1 ? errors.get(0).toString()
        : errors.size() + " problems: " + errors.stream().map(TemplateError::toString).toList());
    this.errors = List.copyOf(errors);
  }

  public List<TemplateError> errors() {
    return errors;
  }
}
