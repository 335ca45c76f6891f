package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.engine.StackOperationException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that needs the state directory only, no cloud (describe, list, change sets, cancel-update-stack): the
 * options they all take, and one run of each on the opened state, an operation refused reported as {@code error:
 * MESSAGE} (exit 1).
 */
abstract class StateCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin StateOptions state;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (StackStore store = new StackStore(state)) {
      return run(store, out, err);
    } catch (StackOperationException e) {
      return StackViews.error(err, e.getMessage());
    }
  }

  /**
   * The command's work on the opened state; returns the exit code.
   *
   * @throws StackOperationException when the operation is refused (reported as {@code error: MESSAGE})
   */
  abstract int run(StackStore store, PrintWriter out, PrintWriter err);
}
