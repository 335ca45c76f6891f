package org.stacktician.template.plan;

import java.util.List;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.PlanResult;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;

/** Builds a plan. */
public final class PlanBuilder {
  private PlanBuilder() {}

  public static PlanResult plan(Template template, ParameterInput input, StackContext context) {
    return new PlanResult.Rejected(List.of(TemplateError.of("", "not implemented yet")));
  }
}
