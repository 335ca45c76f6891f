package org.stacktician.engine.state;

/** An export name is already exported by another stack. */
public final class ExportConflictException extends RuntimeException {
  public ExportConflictException(String exportName, String otherStack) {
    super("Export with name " + exportName + " is already exported by stack " + otherStack);
  }
}
