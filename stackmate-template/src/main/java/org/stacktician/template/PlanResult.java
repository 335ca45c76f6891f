package org.stacktician.template;

import java.util.List;

/** The outcome of {@link Planner#plan}: a plan, or every parameter/template error found. */
public sealed interface PlanResult {
  /** Planning succeeded. */
  record Planned(Plan plan) implements PlanResult {}

  /** Parameters or template are invalid for this stack. */
  record Rejected(List<TemplateError> errors) implements PlanResult {
    public Rejected {
      errors = List.copyOf(errors);
    }
  }
}
