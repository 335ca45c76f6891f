package org.stacktician.template;

import java.util.Optional;

/** Finds the value another stack exported under a name, for {@code Fn::ImportValue}. */
public interface ExportLookup {
  /** The exported value, or empty when no stack exports that name. */
  Optional<String> find(String exportName);
}
