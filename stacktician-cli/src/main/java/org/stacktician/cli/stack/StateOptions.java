package org.stacktician.cli.stack;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local engine keeps its stacks: {@code --state-dir}, else STACKMATE_HOME, else ~/.stackmate. */
public final class StateOptions {
  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Directory of the local state database (default: $STACKMATE_HOME, else ~/.stackmate).")
  Path stateDir;

  /** Options for a given directory. */
  public static StateOptions at(Path dir) {
    StateOptions o = new StateOptions();
    o.stateDir = dir;
    return o;
  }

  /** The chosen directory. */
  public Path dir() {
    if (stateDir != null) {
      return stateDir;
    }
    String home = System.getenv("STACKMATE_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    return Path.of(System.getProperty("user.home"), ".stackmate");
  }
}
