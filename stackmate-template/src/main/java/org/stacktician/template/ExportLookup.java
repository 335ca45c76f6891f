package org.stacktician.template;

import java.util.Optional;

/**
 * Finds what other stacks publish: the value exported under a name, for {@code Fn::ImportValue},
 * and an output of a stack named directly, for {@code Fn::GetStackOutput}.
 */
public interface ExportLookup {
  /** The exported value, or empty when no stack exports that name. */
  Optional<String> find(String exportName);

  /**
   * The value of output {@code outputName} of the stack {@code stackNameOrId}, or empty when there
   * is no such stack (or output) where this lookup looks. A lookup that knows only exports finds none.
   */
  default Optional<String> stackOutput(String stackNameOrId, String outputName) {
    return Optional.empty();
  }
}
