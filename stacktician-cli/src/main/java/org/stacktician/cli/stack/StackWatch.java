package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import org.stacktician.engine.stack.StackRecord;

/** Streams a started operation's events as a table and prints the stack's summary (used by demo). */
public final class StackWatch {
  private StackWatch() {}

  public static StackRecord watch(LocalStackmate local, StackRecord started, PrintWriter out) throws InterruptedException {
    StackViews.eventHeader(out);
    StackRecord done = EventFollower.follow(local.engine(), started.stackId(), StackRun.lastSequenceBefore(local, started),
        out, new ArrayList<>(), Duration.ofMinutes(20));
    out.println();
    StackViews.summary(out, done);
    out.flush();
    return done;
  }
}
