package org.stacktician.engine.waitcondition;

/**
 * A signal the handle does not take: its stack or handle is gone (404), its wait condition can no
 * longer use it (410), or the handle already holds as many signals as it may (409). The callback
 * listener answers with {@link #httpStatus()} and the message.
 */
public final class SignalRefusedException extends RuntimeException {
  private final int httpStatus;

  public SignalRefusedException(int httpStatus, String message) {
    super(message);
    this.httpStatus = httpStatus;
  }

  /** The HTTP status the listener answers with. */
  public int httpStatus() {
    return httpStatus;
  }
}
