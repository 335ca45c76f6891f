package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.OutputOptions;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.change.ChangeSetJson;
import org.stacktician.engine.change.ChangeSetRecord;
import org.stacktician.engine.stack.StackRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate describe-change-set}: a stored change set, as text or the AWS CLI's JSON. */
@Command(name = "describe-change-set", mixinStandardHelpOptions = true,
    description = "Show a change set: its status and execution status (OBSOLETE once the stack was updated since), "
        + "parameters (NoEcho as ****) and each resource change with its details.")
public final class DescribeChangeSetCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin StateOptions state;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Option(names = "--change-set-name", required = true, paramLabel = "CS", description = "The change set's name or id.")
  String changeSetName;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (StackStore s = new StackStore(state)) {
      ChangeSetRecord cs;
      try {
        cs = s.changeSets().describe(stackName, changeSetName);
      } catch (StackOperationException e) {
        return StackViews.error(err, e.getMessage());
      }
      if (output.json()) {
        StackViews.printJson(out, ChangeSetJson.describe(cs));
      } else {
        Optional<StackRecord> stack = s.store().findStack(cs.stackId());
        ChangeSetViews.header(out, cs);
        out.print(PlanStackChanges.text(stack.orElseThrow(), cs.changeSet()));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
