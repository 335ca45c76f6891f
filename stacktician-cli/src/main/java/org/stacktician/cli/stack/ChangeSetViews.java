package org.stacktician.cli.stack;

import java.io.PrintWriter;
import org.stacktician.engine.change.ChangeSetRecord;

/** How the change-set commands print a change set's header as text. */
final class ChangeSetViews {
  private ChangeSetViews() {}

  /** Name, status (and reason), execution status, id, description and creation time. */
  static void header(PrintWriter out, ChangeSetRecord cs) {
    out.println("Change set " + StackViews.text(cs.changeSetName()) + " of stack " + StackViews.text(cs.stackName())
        + ": " + cs.status() + (cs.statusReason() == null ? "" : " (" + StackViews.text(cs.statusReason()) + ")")
        + ", execution " + cs.executionStatus());
    out.println("  id: " + StackViews.text(cs.changeSetId()));
    if (cs.description() != null) {
      out.println("  description: " + StackViews.text(cs.description()));
    }
    out.println("  created: " + StackViews.time(cs.createdAt()) + " UTC");
    if (!cs.changeSet().parameters().isEmpty()) {
      out.println("Parameters:");
      cs.changeSet().parameters().forEach(p -> out.println("  " + StackViews.text(p.key()) + " = "
          + StackViews.text(p.displayValue())));
    }
  }
}
