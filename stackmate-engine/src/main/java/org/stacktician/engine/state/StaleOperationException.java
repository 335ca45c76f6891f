package org.stacktician.engine.state;

/**
 * Changes made for an operation of a stack that is no longer the stack's running one (another
 * operation started since): they were not committed.
 */
public final class StaleOperationException extends RuntimeException {
  public StaleOperationException(String stackId, String expected, String actual) {
    super("changes for operation " + expected + " of stack " + stackId + " were refused: the stack's operation is now "
        + actual);
  }
}
