package org.stacktician.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --plugins DIR} option: a directory of provider plugin jars whose resource types join
 * the built-in ones, for the commands that run stacks and for those that check templates.
 */
public final class PluginOptions {
  @Option(names = "--plugins", paramLabel = "DIR", description = "Directory of provider plugin jars.")
  Path dir;

  /** The plugins directory, or null when none was given. */
  public Path dir() {
    return dir;
  }
}
