package org.stacktician.engine.stack;

import java.util.List;

/**
 * One version of a stack's template with its parameter values: what an operation moves the stack
 * to (create: version 1; an update: the next one; an update's rollback: the previous one).
 *
 * @param number 1 for the template a stack was created with, one more for each update
 */
public record TemplateVersion(int number, String templateBody, List<StackParameter> parameters) {
  public TemplateVersion {
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
  }
}
