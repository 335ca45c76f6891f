package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.stacktician.template.functions.Intrinsics;

/**
 * Resolves intrinsic functions for one planned stack: parameters, pseudo parameters, mappings and
 * conditions are fixed; resource references come from {@link ResourceValues} at each call, so the
 * engine can finish resolving a resource's properties (or an output, or Metadata) once its
 * dependencies exist. Thread-safe: holds no mutable state.
 */
public final class Evaluator {
  private final Intrinsics intrinsics;
  private final Template template;
  private final Map<String, Boolean> conditions;
  private final StackContext context;

  /** An evaluator over a template with resolved parameters, condition values and a stack context. */
  public Evaluator(Template template, Map<String, ResolvedParameter> parameters,
      Map<String, Boolean> conditions, StackContext context) {
    this.intrinsics = new Intrinsics(template, parameters, conditions, context);
    this.template = template;
    this.conditions = Map.copyOf(conditions);
    this.context = context;
  }

  /** The same evaluator with other parameter values (conditions unchanged), e.g. NoEcho values masked. */
  public Evaluator withParameters(Map<String, ResolvedParameter> parameters) {
    return new Evaluator(template, parameters, conditions, context);
  }

  /** The stack context pseudo parameters resolve from. */
  public StackContext context() {
    return context;
  }

  /**
   * Resolves {@code expression}; {@code path} (e.g. {@code Resources/Web/Properties}) locates it in
   * the template for error messages.
   */
  public Resolution resolve(JsonNode expression, String path, ResourceValues values) {
    return intrinsics.resolve(expression, path, values);
  }
}
