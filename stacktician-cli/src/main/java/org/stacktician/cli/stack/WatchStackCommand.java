package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.OutputOptions;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate watch-stack}: resume a stack a stopped process left in progress and follow it to its end. */
@Command(name = "watch-stack", mixinStandardHelpOptions = true,
    description = {"Resume a stack that a stopped or interrupted stackmate left in progress, and stream its events "
        + "until it settles; for a settled stack, print its summary.",
        "Exit 0 when the stack ends CREATE_COMPLETE or DELETE_COMPLETE; 1 when it failed or rolled back."})
public final class WatchStackCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin CloudOptions cloud;
  @Mixin StateOptions state;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stack;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LocalStackmate opened = LocalStackmate.openOrReport(cloud, state, err);
    if (opened == null) {
      return ExitCodes.FAILED;
    }
    try (LocalStackmate local = opened) {
      Optional<StackRecord> found = local.engine().describeStack(stack);
      if (found.isEmpty()) {
        err.println("error: Stack with id " + stack + " does not exist");
        err.flush();
        return ExitCodes.FAILED;
      }
      StackRecord current = found.get();
      try {
        local.engine().requireThisCloud(current);
      } catch (org.stacktician.engine.StackOperationException e) {
        err.println("error: " + org.stacktician.engine.stack.TerminalText.lines(e.getMessage()));
        err.flush();
        return ExitCodes.FAILED;
      }
      boolean text = !output.json();
      if (text) {
        out.println((current.status().inProgress() ? "Resuming stack " : "Stack ") + current.stackName() + " ("
            + current.status() + "; " + local.cloudLabel() + ")");
      }
      return StackRun.finish(local, current, out, text, Duration.ofHours(13), successOf(current.status()));
    }
  }

  /** The status that means the operation now under way (or last run) succeeded. */
  static StackStatus successOf(StackStatus status) {
    return status.name().startsWith("DELETE") ? StackStatus.DELETE_COMPLETE : StackStatus.CREATE_COMPLETE;
  }
}
