package org.stacktician.engine.provider;

/**
 * A problem with one resource property found before any cloud call.
 *
 * @param property the property's name as written in the template (path-like for nested
 *     values, e.g. {@code SecurityGroupIngress[0].IpProtocol})
 * @param message what is wrong, e.g. "is required" or "must be an integer, got 'abc'"
 */
public record PropertyError(String property, String message) {
  @Override
  public String toString() {
    return "property '" + property + "' " + message;
  }
}
