package org.stacktician.engine.provider.registry;

/** A provider or plugin could not be loaded, or two providers claim the same type. */
public final class PluginLoadException extends RuntimeException {
  public PluginLoadException(String message) {
    super(message);
  }

  public PluginLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
