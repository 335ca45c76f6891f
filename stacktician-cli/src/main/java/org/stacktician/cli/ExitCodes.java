package org.stacktician.cli;

/** Exit codes of every command: 0 success, 1 the user's input or the operation failed, 2 an internal or usage error. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int INTERNAL_ERROR = 2;

  private ExitCodes() {}
}
