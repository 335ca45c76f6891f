package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;

/** Prints a stack's events as they happen (text mode) until its operation ends. */
final class EventFollower {
  private EventFollower() {}

  /**
   * Follows the stack; prints each new event when {@code out} is not null; returns the final record
   * and collects every event seen into {@code seen}.
   */
  static StackRecord follow(StackEngine engine, String stackId, long afterSequence, PrintWriter out,
      List<StackEvent> seen, Duration limit) throws InterruptedException {
    long last = afterSequence;
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      StackRecord s = engine.describeStack(stackId).orElseThrow();
      List<StackEvent> fresh = new ArrayList<>(engine.events(stackId, last));
      for (StackEvent e : fresh) {
        if (out != null) {
          StackViews.eventRow(out, e);
        }
        seen.add(e);
        last = e.sequence();
      }
      if (out != null && !fresh.isEmpty()) {
        out.flush();
      }
      if (s.status().settled() && fresh.isEmpty()) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(100);
    }
  }
}
