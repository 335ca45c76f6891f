package org.stacktician.cli.stack;

import java.io.PrintWriter;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.template.ErrorReport;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate execute-change-set}: update a stack as a stored change set says and watch its events. */
@Command(name = "execute-change-set", mixinStandardHelpOptions = true,
    description = {"Update a stack with a change set's template and parameter values (as update-stack does) and "
        + "stream the events until it is UPDATE_COMPLETE or rolled back. Only an AVAILABLE change set runs: one "
        + "made before another operation on the stack is OBSOLETE.",
        "Exit 0 only when the stack is UPDATE_COMPLETE; 1 when it rolled back or the change set cannot run."})
public final class ExecuteChangeSetCommand extends CloudCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Option(names = "--change-set-name", required = true, paramLabel = "CS", description = "The change set's name or id.")
  String changeSetName;

  @Option(names = "--disable-rollback", description = "When the update fails, leave the stack UPDATE_FAILED with "
      + "what it changed as it is, instead of rolling back.")
  boolean disableRollback;

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) throws InterruptedException {
    StackRecord started;
    try {
      started = local.engine().executeChangeSet(stackName, changeSetName, disableRollback);
    } catch (StackValidationException e) {
      err.print("error: the change set was not executed; " + ErrorReport.text("change set " + changeSetName,
          e.errors()));
      err.flush();
      return ExitCodes.FAILED;
    }
    return follow(local, started, out, "Executing change set " + StackViews.text(changeSetName) + ": updating stack "
        + StackViews.text(started.stackName()) + " (" + local.cloudLabel() + ")", StackStatus.UPDATE_COMPLETE);
  }
}
