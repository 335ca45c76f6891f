package org.stacktician.cli;

import picocli.CommandLine;

/**
 * Entry point of the one executable jar. The wrapper scripts choose the tool with the system
 * property {@code stacktician.tool}: {@code stackmate} (local engine, the default) or {@code
 * stacktician} (service-side tools such as the simulator).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // First thing: H2 reads its bind address once, and the state store's shared-file server must stay on loopback.
    org.stacktician.engine.state.H2StateFile.restrictToLoopback();
    System.exit(run(args));
  }

  /** Runs a tool and returns its exit code (used by tests, which must not call System.exit). */
  public static int run(String... args) {
    String tool = System.getProperty("stacktician.tool", "stackmate");
    Object root = "stacktician".equals(tool) ? new StackticianCommand() : new StackmateCommand();
    return newCommandLine(root).execute(args);
  }

  /** A command line with the project's common settings: clear errors, exit codes, no stack traces. */
  public static CommandLine newCommandLine(Object root) {
    CommandLine cl = new CommandLine(root);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(new CliErrors());
    return cl;
  }
}
