package org.stacktician.template;

import org.stacktician.template.plan.PlanBuilder;

/**
 * Binds a template to parameter values and a stack: validates and resolves parameters, evaluates
 * conditions, resolves everything knowable before creation, and orders resources into waves.
 */
public final class Planner {
  private Planner() {}

  /** Plans a loaded template; all parameter and condition errors are reported together. */
  public static PlanResult plan(Template template, ParameterInput input, StackContext context) {
    return PlanBuilder.plan(template, input, context);
  }
}
