package org.stacktician.template;

import java.util.List;
import java.util.Map;

/**
 * A template bound to parameters and a stack: resolved parameters (NoEcho values unmasked; mask
 * them when showing), condition values, every resource (included or not) in template order, the
 * execution waves of included resources, the outputs whose condition holds, and the evaluator the
 * engine uses to finish resolving expressions as resources come into existence.
 */
public record Plan(
    Template template,
    Map<String, ResolvedParameter> parameters,
    Map<String, Boolean> conditions,
    Map<String, PlannedResource> resources,
    List<List<String>> waves,
    Map<String, PlannedOutput> outputs,
    Evaluator evaluator) {

  /**
   * This plan made safe to show: NoEcho parameters appear as {@code ****}, and so does anything
   * resolved from them.
   */
  public Plan redacted() {
    return org.stacktician.template.plan.PlanRedaction.redact(this);
  }
}
