package org.stacktician.engine.provider;

/**
 * What changing one property of an existing resource costs, as CloudFormation documents each
 * property ("Update requires: ..."). {@link #CONDITIONAL_REPLACEMENT} is CloudFormation's
 * {@code RequiresRecreation: Conditionally}: whether the resource is replaced is only known when
 * the update runs (a custom resource's provider may answer with a new physical id).
 */
public enum UpdateBehavior {
  NO_INTERRUPTION("no interruption"),
  SOME_INTERRUPTION("some interruption"),
  CONDITIONAL_REPLACEMENT("replacement decided at run time"),
  REPLACEMENT("replacement");

  private final String label;

  UpdateBehavior(String label) {
    this.label = label;
  }

  /** How people read it: "no interruption", "some interruption", "replacement". */
  public String label() {
    return label;
  }
}
