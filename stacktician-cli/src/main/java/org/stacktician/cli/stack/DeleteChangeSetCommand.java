package org.stacktician.cli.stack;

import java.io.PrintWriter;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.change.ChangeSetRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate delete-change-set}: forget a change set (the stack is not changed). */
@Command(name = "delete-change-set", mixinStandardHelpOptions = true,
    description = "Delete a change set; its stack is not changed. Refused while the change set is being executed.")
public final class DeleteChangeSetCommand extends StateCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Option(names = "--change-set-name", required = true, paramLabel = "CS", description = "The change set's name or id.")
  String changeSetName;

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    ChangeSetRecord deleted = s.changeSets().delete(stackName, changeSetName);
    out.println("Deleted change set " + StackViews.text(deleted.changeSetName()) + " of stack "
        + StackViews.text(deleted.stackName()) + ".");
    out.flush();
    return ExitCodes.OK;
  }
}
