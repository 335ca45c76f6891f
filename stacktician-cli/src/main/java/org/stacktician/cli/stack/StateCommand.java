package org.stacktician.cli.stack;

import java.io.PrintWriter;
import org.stacktician.engine.StackOperationException;
import picocli.CommandLine.Mixin;

/**
 * A command that needs the state directory only, no cloud (describe, list, change sets, cancel-update-stack, plan):
 * the options they all take, and one run of each on the state (opened when the command first reads it), an operation
 * refused reported as {@code error: MESSAGE} (exit 1).
 */
abstract class StateCommand extends LocalCommand {
  @Mixin StateOptions state;

  @Override
  final int call(PrintWriter out, PrintWriter err) throws Exception {
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
  abstract int run(StackStore store, PrintWriter out, PrintWriter err) throws Exception;
}
