package org.stacktician.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of a CLI command with its stdout and stderr captured, for tests. */
public record CliRun(int exit, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs {@code stackmate args...}. */
  public static CliRun stackmate(String... args) {
    return run(new StackmateCommand(), args);
  }

  /** Runs {@code stacktician args...}. */
  public static CliRun stacktician(String... args) {
    return run(new StackticianCommand(), args);
  }

  private static CliRun run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** Standard output read as JSON. */
  public JsonNode json() throws IOException {
    return JSON.readTree(out);
  }
}
