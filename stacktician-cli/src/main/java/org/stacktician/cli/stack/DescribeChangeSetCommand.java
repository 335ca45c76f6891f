package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.Optional;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.OutputOptions;
import org.stacktician.engine.change.ChangeSetJson;
import org.stacktician.engine.change.ChangeSetRecord;
import org.stacktician.engine.stack.StackRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate describe-change-set}: a stored change set, as text or the AWS CLI's JSON. */
@Command(name = "describe-change-set", mixinStandardHelpOptions = true,
    description = "Show a change set: its status and execution status (OBSOLETE once the stack was updated since), "
        + "parameters (NoEcho as ****) and each resource change with its details.")
public final class DescribeChangeSetCommand extends StateCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Option(names = "--change-set-name", required = true, paramLabel = "CS", description = "The change set's name or id.")
  String changeSetName;

  @Mixin OutputOptions output;

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    ChangeSetRecord cs = s.changeSets().describe(stackName, changeSetName);
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
