package org.stacktician.cli;

import org.stacktician.cli.template.OutputFormat;
import picocli.CommandLine.Option;

/** The {@code -o/--output text|json} option every command that prints results shares. */
public final class OutputOptions {
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format = OutputFormat.text;

  /** True for {@code --output json}. */
  public boolean json() {
    return format == OutputFormat.json;
  }
}
