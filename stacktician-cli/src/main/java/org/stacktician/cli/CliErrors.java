package org.stacktician.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns an unexpected exception into one readable line and exit code 2; the trace goes to the debug log. */
final class CliErrors implements IExecutionExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(CliErrors.class);

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    if (Interruption.underway()) {
      return ExitCodes.FAILED; // the state database closed under the stopping process; its hook has spoken
    }
    log.debug("command failed", ex);
    // Messages quote what came from outside (CloudStack's error texts, names): no control characters.
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName()
        : org.stacktician.engine.stack.TerminalText.lines(ex.getMessage());
    cmd.getErr().println(cmd.getColorScheme().errorText("error: " + message));
    return ExitCodes.INTERNAL_ERROR;
  }
}
