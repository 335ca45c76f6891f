package org.stacktician.engine;

/** An operation was refused: the stack does not exist, is busy, or is needed by another stack. */
public final class StackOperationException extends RuntimeException {
  public StackOperationException(String message) {
    super(message);
  }
}
