package org.stacktician.cloudstack.simulator.api;

import java.util.List;
import java.util.Optional;

/** A command the simulator implements: its listApis entry (parameters, async flag, response fields). */
public record CommandDeclaration(
    String name,
    String description,
    boolean async,
    String responseObject,
    List<ParameterDeclaration> parameters,
    List<ResponseField> responseFields) {

  public CommandDeclaration {
    parameters = List.copyOf(parameters);
    responseFields = List.copyOf(responseFields);
  }

  /** The declared parameter with this (lower-case, as CloudStack matches) name. */
  public Optional<ParameterDeclaration> parameter(String name) {
    for (ParameterDeclaration p : parameters) {
      if (p.name().equalsIgnoreCase(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
