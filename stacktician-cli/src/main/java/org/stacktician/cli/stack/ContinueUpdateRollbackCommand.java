package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate continue-update-rollback}: retry the rollback of an UPDATE_ROLLBACK_FAILED stack. */
@Command(name = "continue-update-rollback", mixinStandardHelpOptions = true,
    description = {"Retry the rollback of a stack that is UPDATE_ROLLBACK_FAILED and stream the events; "
        + "--resources-to-skip names resources whose rollback keeps failing, which are then left as they are in the "
        + "cloud (UPDATE_COMPLETE) while the rest is rolled back.",
        "Exit 0 only when the stack ends UPDATE_ROLLBACK_COMPLETE."})
public final class ContinueUpdateRollbackCommand extends CloudCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Option(names = "--resources-to-skip", split = ",", paramLabel = "LOGICAL-ID",
      description = "Resources in UPDATE_FAILED to leave as they are instead of rolling them back.")
  List<String> skip = new ArrayList<>();

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) throws InterruptedException {
    StackRecord started = local.engine().continueUpdateRollback(stackName, new LinkedHashSet<>(skip));
    return follow(local, started, out, "Continuing the rollback of stack " + StackViews.text(started.stackName())
        + " (" + local.cloudLabel() + ")", StackStatus.UPDATE_ROLLBACK_COMPLETE);
  }
}
