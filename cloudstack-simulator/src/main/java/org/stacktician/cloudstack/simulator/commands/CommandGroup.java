package org.stacktician.cloudstack.simulator.commands;

/** A feature's set of command handlers. */
public interface CommandGroup {
  void register(CommandRegistry registry);
}
