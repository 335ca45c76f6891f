package org.stacktician.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * The process is being stopped (Ctrl-C, TERM) while a command works: H2's own shutdown hook closes
 * the state database under the running engine, whose threads then fail. Once {@link #begin} has
 * run, those failures are neither logged, printed nor reported; the command's hook has said what
 * matters.
 */
public final class Interruption {
  private static volatile boolean underway;

  private Interruption() {}

  /** Silences logging and error reports for the rest of the process's life. */
  public static void begin() {
    underway = true;
    // Worker threads that die on the closed database would otherwise print their traces.
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> { });
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
    }
  }

  /** True once the process is being stopped. */
  public static boolean underway() {
    return underway;
  }
}
