package org.stacktician.cloudstack.simulator.commands;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.stacktician.cloudstack.simulator.api.CommandCatalog;

/** Handlers by command name, each with the server-side command class CloudStack reports in jobs ({@code cmd}). */
public final class CommandRegistry {
  /** A registered handler. */
  public record Registered(String command, String cmdClass, CommandHandler handler) {}

  private final CommandCatalog catalog;
  private final Map<String, Registered> handlers = new LinkedHashMap<>();

  public CommandRegistry(CommandCatalog catalog) {
    this.catalog = catalog;
  }

  /** Registers a handler; the command must be declared in the catalog. */
  public void register(String command, String cmdClass, CommandHandler handler) {
    if (catalog.command(command).isEmpty()) {
      throw new IllegalStateException("handler for undeclared command " + command);
    }
    if (handlers.putIfAbsent(command, new Registered(command, "org.apache.cloudstack.api.command.user." + cmdClass, handler)) != null) {
      throw new IllegalStateException("two handlers for " + command);
    }
  }

  /** Removes the handlers of commands this cloud does not offer: they are neither listed nor answered. */
  public void hide(java.util.Set<String> commands) {
    for (String command : commands) {
      if (handlers.remove(command) == null) {
        throw new IllegalArgumentException("cannot hide " + command + ": the simulator does not implement it");
      }
    }
  }

  public Optional<Registered> handler(String command) {
    return Optional.ofNullable(handlers.get(command));
  }

  public Map<String, Registered> all() {
    return handlers;
  }
}
