package org.stacktician.engine.state;

/** The state database could not be opened, read or written. */
public final class StateStoreException extends RuntimeException {
  public StateStoreException(String message) {
    super(message);
  }

  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
