package org.stacktician.engine.metadata;

import java.util.List;
import java.util.Optional;

/** Read-only view of stack resources for the metadata API; the engine's state store implements it. */
public interface StackResourceReader {

  /** One resource of the stack named (or with the id) {@code stackNameOrId}; empty if either is unknown. */
  Optional<StackResourceView> describe(String stackNameOrId, String logicalId);

  /**
   * All resources of the stack named (or with the id) {@code stackNameOrId}, in template order;
   * empty when the stack is unknown.
   */
  List<StackResourceView> list(String stackNameOrId);
}
