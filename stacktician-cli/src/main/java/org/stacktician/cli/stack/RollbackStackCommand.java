package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.OutputOptions;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate rollback-stack}: roll back a stack whose create or update failed with --disable-rollback. */
@Command(name = "rollback-stack", mixinStandardHelpOptions = true,
    description = {"Roll back a stack that a failed update (or create) with --disable-rollback left UPDATE_FAILED "
        + "(CREATE_FAILED) and stream the events: to its last stable template and values (UPDATE_ROLLBACK_COMPLETE), "
        + "or, for a create, towards nothing (ROLLBACK_COMPLETE).",
        "Exit 0 only when the rollback completes."})
public final class RollbackStackCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin CloudOptions cloud;
  @Mixin StateOptions state;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Mixin OutputOptions output;

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
      StackRecord started;
      try {
        started = local.engine().rollbackStack(stackName);
      } catch (StackOperationException e) {
        return StackViews.error(err, e.getMessage());
      }
      boolean plain = !output.json();
      if (plain) {
        out.println("Rolling back stack " + StackViews.text(started.stackName()) + " (" + local.cloudLabel() + ")");
      }
      return StackRun.finish(local, started, out, plain, Duration.ofHours(13),
          started.status() == StackStatus.ROLLBACK_IN_PROGRESS ? StackStatus.ROLLBACK_COMPLETE
              : StackStatus.UPDATE_ROLLBACK_COMPLETE);
    }
  }
}
