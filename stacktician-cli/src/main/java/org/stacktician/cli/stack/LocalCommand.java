package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.stacktician.cli.LoggingOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command of the local engine shares ({@link CloudCommand}, {@link StateCommand}): the logging options,
 * applied first, and one run with the command line's out and err.
 */
abstract class LocalCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    logging.apply();
    return call(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** The command's run once logging is set; returns the exit code. */
  abstract int call(PrintWriter out, PrintWriter err) throws Exception;
}
