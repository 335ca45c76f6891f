package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/** Watches a started operation to its end and prints the events table and the summary (or JSON). */
final class StackRun {
  private StackRun() {}

  static int finish(LocalStackmate local, StackRecord started, PrintWriter out, boolean text, Duration limit,
      StackStatus success) throws InterruptedException {
    // Ctrl-C or a TERM while following: say where the stack stands and how to pick it up again.
    Thread hook = new Thread(() -> interrupted(local, started), "stackmate-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return follow(local, started, out, text, limit, success);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }

  private static void interrupted(LocalStackmate local, StackRecord started) {
    org.stacktician.cli.Interruption.begin();
    String status;
    try {
      status = local.engine().describeStack(started.stackId()).map(s -> s.status().name()).orElse("unknown");
    } catch (RuntimeException e) {
      status = started.status().name(); // the database is already closed: the status this operation began with
    }
    System.out.flush();
    System.err.println();
    if (local.simulator() != null) {
      System.err.println("Interrupted: stack " + started.stackName() + " is left " + status
          + " on the embedded simulator, whose cloud ends with this process.");
    } else {
      System.err.println("Interrupted: stack " + started.stackName() + " is left " + status + "; it goes on when"
          + " stackmate next works on this state directory. To follow it to its end: stackmate watch-stack "
          + started.stackName() + " (with the same cloud options).");
    }
    System.err.flush();
  }

  private static int follow(LocalStackmate local, StackRecord started, PrintWriter out, boolean text, Duration limit,
      StackStatus success) throws InterruptedException {
    List<StackEvent> seen = new ArrayList<>();
    long after = lastSequenceBefore(local, started);
    if (text) {
      StackViews.eventHeader(out);
    }
    StackRecord done = EventFollower.follow(local.engine(), started.stackId(), after, text ? out : null, seen, limit);
    if (text) {
      out.println();
      StackViews.summary(out, done);
      if (local.simulator() != null) {
        out.println("(" + local.cloudLabel() + ")");
      }
    } else {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.set("Stack", StackViews.stack(done));
      root.set("StackEvents", StackViews.events(seen));
      root.put("Simulated", local.simulator() != null);
      StackViews.printJson(out, root);
    }
    out.flush();
    return done.status() == success ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** Events of this operation only: those after the one before its start event. */
  static long lastSequenceBefore(LocalStackmate local, StackRecord started) {
    long after = 0;
    long previous = 0;
    for (StackEvent e : local.engine().events(started.stackId(), 0)) {
      if (e.aboutStack() && e.status().equals(started.status().name())) {
        after = previous;
      }
      previous = e.sequence();
    }
    return after;
  }
}
