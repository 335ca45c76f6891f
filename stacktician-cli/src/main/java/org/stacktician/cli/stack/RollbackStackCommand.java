package org.stacktician.cli.stack;

import java.io.PrintWriter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stackmate rollback-stack}: roll back a stack whose create or update failed with --disable-rollback. */
@Command(name = "rollback-stack", mixinStandardHelpOptions = true,
    description = {"Roll back a stack that a failed update (or create) with --disable-rollback left UPDATE_FAILED "
        + "(CREATE_FAILED) and stream the events: to its last stable template and values (UPDATE_ROLLBACK_COMPLETE), "
        + "or, for a create, towards nothing (ROLLBACK_COMPLETE).",
        "Exit 0 only when the rollback completes."})
public final class RollbackStackCommand extends CloudCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) throws InterruptedException {
    StackRecord started = local.engine().rollbackStack(stackName);
    return follow(local, started, out, "Rolling back stack " + StackViews.text(started.stackName()) + " ("
        + local.cloudLabel() + ")", started.status() == StackStatus.ROLLBACK_IN_PROGRESS
        ? StackStatus.ROLLBACK_COMPLETE : StackStatus.UPDATE_ROLLBACK_COMPLETE);
  }
}
