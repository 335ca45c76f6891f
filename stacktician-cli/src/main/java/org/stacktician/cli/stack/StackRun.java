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
    return StackWatch.interruptible(local, started, () -> follow(local, started, out, text, limit, success));
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
