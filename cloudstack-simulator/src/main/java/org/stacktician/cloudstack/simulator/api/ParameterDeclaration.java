package org.stacktician.cloudstack.simulator.api;

/** One request parameter of a command as listApis describes it (type is CloudStack's, e.g. uuid, map, list). */
public record ParameterDeclaration(String name, String type, boolean required, int length) {
  /** CloudStack's default parameter length. */
  public static final int DEFAULT_LENGTH = 255;
}
