package org.stacktician.cli;

import picocli.CommandLine.Command;

/** {@code stacktician}: the service side (the CloudStack simulator now, the server later). */
@Command(
    name = "stacktician",
    mixinStandardHelpOptions = true,
    version = "stacktician 0.1.0",
    description = "Stacktician service tools.",
    subcommands = {
      // one line per subcommand
      org.stacktician.cli.simulator.SimulatorCommand.class,
      picocli.CommandLine.HelpCommand.class,
    })
public final class StackticianCommand {}
