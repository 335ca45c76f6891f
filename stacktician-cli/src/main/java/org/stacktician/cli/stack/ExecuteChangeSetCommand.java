package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.template.ErrorReport;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate execute-change-set}: update a stack as a stored change set says and watch its events. */
@Command(name = "execute-change-set", mixinStandardHelpOptions = true,
    description = {"Update a stack with a change set's template and parameter values (as update-stack does) and "
        + "stream the events until it is UPDATE_COMPLETE or rolled back. Only an AVAILABLE change set runs: one "
        + "made before another operation on the stack is OBSOLETE.",
        "Exit 0 only when the stack is UPDATE_COMPLETE; 1 when it rolled back or the change set cannot run."})
public final class ExecuteChangeSetCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin CloudOptions cloud;
  @Mixin StateOptions state;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Option(names = "--change-set-name", required = true, paramLabel = "CS", description = "The change set's name or id.")
  String changeSetName;

  @Option(names = "--disable-rollback", description = "When the update fails, leave the stack UPDATE_FAILED with "
      + "what it changed as it is, instead of rolling back.")
  boolean disableRollback;

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
        started = local.engine().executeChangeSet(stackName, changeSetName, disableRollback);
      } catch (StackOperationException e) {
        return StackViews.error(err, e.getMessage());
      } catch (StackValidationException e) {
        err.print("error: the change set was not executed; " + ErrorReport.text("change set " + changeSetName,
            e.errors()));
        err.flush();
        return ExitCodes.FAILED;
      }
      boolean text = !output.json();
      if (text) {
        out.println("Executing change set " + StackViews.text(changeSetName) + ": updating stack "
            + StackViews.text(started.stackName()) + " (" + local.cloudLabel() + ")");
      }
      return StackRun.finish(local, started, out, text, Duration.ofHours(13), StackStatus.UPDATE_COMPLETE);
    }
  }
}
