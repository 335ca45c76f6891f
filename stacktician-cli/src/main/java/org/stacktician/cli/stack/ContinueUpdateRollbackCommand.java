package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate continue-update-rollback}: retry the rollback of an UPDATE_ROLLBACK_FAILED stack. */
@Command(name = "continue-update-rollback", mixinStandardHelpOptions = true,
    description = {"Retry the rollback of a stack that is UPDATE_ROLLBACK_FAILED and stream the events; "
        + "--resources-to-skip names resources whose rollback keeps failing, which are then left as they are in the "
        + "cloud (UPDATE_COMPLETE) while the rest is rolled back.",
        "Exit 0 only when the stack ends UPDATE_ROLLBACK_COMPLETE."})
public final class ContinueUpdateRollbackCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin CloudOptions cloud;
  @Mixin StateOptions state;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Option(names = "--resources-to-skip", split = ",", paramLabel = "LOGICAL-ID",
      description = "Resources in UPDATE_FAILED to leave as they are instead of rolling them back.")
  List<String> skip = new ArrayList<>();

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
        started = local.engine().continueUpdateRollback(stackName, new LinkedHashSet<>(skip));
      } catch (StackOperationException e) {
        return StackViews.error(err, e.getMessage());
      }
      boolean plain = !output.json();
      if (plain) {
        out.println("Continuing the rollback of stack " + StackViews.text(started.stackName()) + " (" + local.cloudLabel() + ")");
      }
      return StackRun.finish(local, started, out, plain, Duration.ofHours(13), StackStatus.UPDATE_ROLLBACK_COMPLETE);
    }
  }
}
