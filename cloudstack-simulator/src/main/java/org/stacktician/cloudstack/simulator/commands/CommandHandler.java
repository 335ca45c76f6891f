package org.stacktician.cloudstack.simulator.commands;

/** Runs one command under the cloud's lock. */
@FunctionalInterface
public interface CommandHandler {
  CommandOutcome handle(CommandContext ctx);
}
