package org.stacktician.engine.provider;

/**
 * A problem with one resource property found before any cloud call.
 *
 * @param property the property's name as written in the template (path-like for nested
 *     values, e.g. {@code SecurityGroupIngress[0].IpProtocol})
 * @param message what is wrong, e.g. "is required" or "must be an integer, got 'abc'"
 * @param about whether the problem is the property's name (known whatever its value) or its value
 *     (which may not be known before creation)
 */
public record PropertyError(String property, String message, About about) {
  /** What a problem is about. */
  public enum About { NAME, VALUE }

  /** A problem with a property's value (or a missing property). */
  public PropertyError(String property, String message) {
    this(property, message, About.VALUE);
  }

  /** A problem with the property's name itself: unknown to the type, repeated, not usable here. */
  public static PropertyError ofName(String property, String message) {
    return new PropertyError(property, message, About.NAME);
  }

  @Override
  public String toString() {
    return "property '" + property + "' " + message;
  }
}
