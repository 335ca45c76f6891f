package org.stacktician.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/** Runs a started service (the server, the simulator) in the foreground until Ctrl-C or its latch is released. */
public final class Foreground {
  private Foreground() {}

  /**
   * Prints {@code banner}, then "Press Ctrl-C to stop.", and waits until {@code stop} is released
   * (by a test) or the JVM shuts down (Ctrl-C, TERM); the service is closed once either way.
   */
  public static void run(AutoCloseable service, CountDownLatch stop, String name, Runnable banner, PrintWriter out) {
    Thread hook = new Thread(() -> {
      close(service);
      stop.countDown();
    }, name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    banner.run();
    out.println("Press Ctrl-C to stop.");
    out.flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
        close(service);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run, and closes the service
      }
    }
  }

  /** The message of an exception's deepest cause (its class when it has none), for a one-line error. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static void close(AutoCloseable service) {
    try {
      service.close();
    } catch (Exception e) {
      // closing on the way out: nothing more to do with a failure
    }
  }
}
