package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.Optional;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stackmate watch-stack}: resume a stack a stopped process left in progress and follow it to its end. */
@Command(name = "watch-stack", mixinStandardHelpOptions = true,
    description = {"Resume a stack that a stopped or interrupted stackmate left in progress, and stream its events "
        + "until it settles; for a settled stack, print its summary.",
        "Exit 0 when the stack ends CREATE_COMPLETE, UPDATE_COMPLETE (an update) or DELETE_COMPLETE; 1 when it"
            + " failed or rolled back."})
public final class WatchStackCommand extends CloudCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stack;

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) throws InterruptedException {
    Optional<StackRecord> found = local.engine().describeStack(stack);
    if (found.isEmpty()) {
      err.println("error: Stack with id " + stack + " does not exist");
      err.flush();
      return ExitCodes.FAILED;
    }
    StackRecord current = found.get();
    local.engine().requireThisCloud(current);
    return follow(local, current, out, (current.status().inProgress() ? "Resuming stack " : "Stack ")
        + current.stackName() + " (" + current.status() + "; " + local.cloudLabel() + ")", successOf(current.status()));
  }

  /** The status that means the operation now under way (or last run) succeeded: an update's is UPDATE_COMPLETE. */
  static StackStatus successOf(StackStatus status) {
    if (status.name().startsWith("DELETE")) {
      return StackStatus.DELETE_COMPLETE;
    }
    return status.name().startsWith("UPDATE") ? StackStatus.UPDATE_COMPLETE : StackStatus.CREATE_COMPLETE;
  }
}
