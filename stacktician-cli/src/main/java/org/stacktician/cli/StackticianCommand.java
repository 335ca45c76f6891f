package org.stacktician.cli;

import picocli.CommandLine.Command;

/** {@code stacktician}: the service side (the server and the CloudStack simulator). */
@Command(
    name = "stacktician",
    mixinStandardHelpOptions = true,
    version = "stacktician 0.1.0",
    description = "Stacktician service tools.",
    subcommands = {
      // one line per subcommand
      org.stacktician.cli.simulator.SimulatorCommand.class,
      org.stacktician.cli.server.ServerCommand.class,
      picocli.CommandLine.HelpCommand.class,
    })
public final class StackticianCommand {}
