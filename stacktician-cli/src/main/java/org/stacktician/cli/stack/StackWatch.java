package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import org.stacktician.engine.stack.StackRecord;

/**
 * Follows a stack's operation: streams its events as a table and prints its summary (demo,
 * delete-stack waiting on an operation), and makes any following interruptible with a clear word.
 */
public final class StackWatch {
  private StackWatch() {}

  /** Work that follows a stack until it settles. */
  @FunctionalInterface
  public interface Following<T> {
    T run() throws InterruptedException;
  }

  /**
   * Runs {@code following} so that Ctrl-C or a TERM meanwhile says where the stack stands and how
   * to pick it up again, instead of the traces of the engine's threads dying on the closed state.
   */
  public static <T> T interruptible(LocalStackmate local, StackRecord stack, Following<T> following)
      throws InterruptedException {
    Thread hook = new Thread(() -> interrupted(local, stack), "stackmate-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return following.run();
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

  /** Streams a started operation's events to its end and prints the summary; interruptible. */
  public static StackRecord watch(LocalStackmate local, StackRecord started, PrintWriter out) throws InterruptedException {
    return interruptible(local, started, () -> follow(local, started, out));
  }

  private static StackRecord follow(LocalStackmate local, StackRecord started, PrintWriter out)
      throws InterruptedException {
    StackViews.eventHeader(out);
    StackRecord done = EventFollower.follow(local.engine(), started.stackId(), StackRun.lastSequenceBefore(local, started),
        out, new ArrayList<>(), Duration.ofMinutes(20));
    out.println();
    StackViews.summary(out, done);
    out.flush();
    return done;
  }
}
