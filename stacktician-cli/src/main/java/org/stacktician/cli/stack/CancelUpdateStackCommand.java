package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.time.Instant;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.CancelUpdate;
import org.stacktician.engine.stack.StackRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stackmate cancel-update-stack}: roll back an update in progress. */
@Command(name = "cancel-update-stack", mixinStandardHelpOptions = true,
    description = {"Cancel an update in progress: the stack goes to UPDATE_ROLLBACK_IN_PROGRESS and back to its "
        + "previous template and values. Needs only the state: the process running the update (update-stack) rolls "
        + "it back; if none runs, the next stackmate command that opens this state with its cloud does.",
        "Exit 0 when the cancel is recorded; 1 when the stack is not UPDATE_IN_PROGRESS."})
public final class CancelUpdateStackCommand extends StateCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Override
  int run(StackStore store, PrintWriter out, PrintWriter err) {
    StackRecord rolling = CancelUpdate.request(store.store(), stackName, Instant.now());
    out.println("Stack " + rolling.stackName() + " is " + rolling.status() + ": its update was cancelled and is"
        + " being rolled back (watch it with: stackmate watch-stack " + rolling.stackName() + ")");
    out.flush();
    return ExitCodes.OK;
  }
}
