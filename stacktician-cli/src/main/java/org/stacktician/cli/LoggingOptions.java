package org.stacktician.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The {@code -v} / {@code --log-level} options every command shares; a picocli mixin. */
public final class LoggingOptions {
  @Option(names = {"-v", "--verbose"}, description = "More log output (-v info, -vv debug, -vvv trace).")
  boolean[] verbose = new boolean[0];

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "Log level for Stacktician: error, warn, info, debug or trace (default: warn, or STACKTICIAN_LOG_LEVEL).")
  String logLevel;

  /** Applies the chosen level to the root logger; called by each command before it works. */
  public void apply() {
    String chosen = logLevel;
    if (chosen == null && verbose.length > 0) {
      chosen = switch (verbose.length) {
        case 1 -> "info";
        case 2 -> "debug";
        default -> "trace";
      };
    }
    if (chosen == null) {
      chosen = System.getenv("STACKTICIAN_LOG_LEVEL");
    }
    if (chosen == null) {
      return;
    }
    Level level = Level.toLevel(chosen, null);
    if (level == null) {
      throw new IllegalArgumentException("unknown log level '" + chosen + "': use error, warn, info, debug or trace");
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
    }
  }
}
