package org.stacktician.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A real {@code stackmate} process (its own JVM), its output (stdout and stderr) going to a file, for tests. */
public record CliProcess(Process process, Path log) {

  /** Starts {@code stackmate args...} with the test's class path. */
  public static CliProcess start(Path log, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dstacktician.tool=stackmate", Main.class.getName()));
    cmd.addAll(args);
    return new CliProcess(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
  }

  /** The bytes written so far. */
  public byte[] output() throws IOException {
    return Files.readAllBytes(log);
  }

  /** Waits until the output shows {@code pattern}; fails if the process ends first or the time runs out. */
  public void awaitOutput(Pattern pattern, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!pattern.matcher(Files.readString(log)).find()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("never printed " + pattern + (process.isAlive() ? "" : " (ended)") + ":\n"
            + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  /** Waits for the process to end and returns its exit code. */
  public int await(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("stackmate did not end within " + limit);
    }
    return process.exitValue();
  }
}
