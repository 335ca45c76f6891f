package org.stacktician.engine.state;

/** A stack of that name already exists (and is not deleted). */
public final class StackAlreadyExistsException extends RuntimeException {
  public StackAlreadyExistsException(String stackName) {
    super("Stack [" + stackName + "] already exists");
  }
}
