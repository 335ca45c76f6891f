package org.stacktician.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stacktician.template.parameters.ParameterResolver;

/** Helpers shared by the template tests: load or fail, plan or fail, and parameter values that satisfy constraints. */
public final class TemplateFixtures {
  private TemplateFixtures() {}

  /** Loads a template that must be valid. */
  public static Template load(String text) {
    LoadResult result = TemplateLoader.load(text, "test");
    if (result instanceof LoadResult.Invalid invalid) {
      fail("expected a valid template but got: " + invalid.errors());
    }
    return ((LoadResult.Loaded) result).template();
  }

  /** Loads a template that must be invalid and returns its errors. */
  public static List<TemplateError> errors(String text) {
    LoadResult result = TemplateLoader.load(text, "test");
    assertThat(result).as("expected the template to be invalid").isInstanceOf(LoadResult.Invalid.class);
    return ((LoadResult.Invalid) result).errors();
  }

  /** Plans a template that must plan. */
  public static Plan plan(Template template, Map<String, String> parameters) {
    return plan(template, parameters, StackContext.forPlanning("test"));
  }

  /** Plans a template that must plan, with a given context. */
  public static Plan plan(Template template, Map<String, String> parameters, StackContext context) {
    PlanResult result = Planner.plan(template, new ParameterInput(parameters), context);
    if (result instanceof PlanResult.Rejected rejected) {
      fail("expected a plan but got: " + rejected.errors());
    }
    return ((PlanResult.Planned) result).plan();
  }

  /** Plans a template that must be rejected and returns the errors. */
  public static List<TemplateError> planErrors(Template template, Map<String, String> parameters) {
    PlanResult result = Planner.plan(template, new ParameterInput(parameters), StackContext.forPlanning("test"));
    assertThat(result).as("expected the plan to be rejected").isInstanceOf(PlanResult.Rejected.class);
    return ((PlanResult.Rejected) result).errors();
  }

  /** A value for every parameter without a Default, chosen from candidates to satisfy its constraints. */
  public static Map<String, String> satisfyingValues(Template template) {
    Map<String, String> values = new LinkedHashMap<>();
    for (ParameterDefinition p : template.parameters().values()) {
      if (p.defaultValue() != null) {
        continue;
      }
      List<String> candidates = new java.util.ArrayList<>(p.allowedValues());
      if (p.minValue() != null) {
        candidates.add(p.minValue().toPlainString());
      }
      candidates.addAll(List.of("Abc123", "abc", "10.1.1.1", "1", "abc.example.com", "Abcdefgh1!", "a-b_c"));
      String chosen = candidates.stream()
          .filter(c -> ParameterResolver.check(p, c).isEmpty())
          .findFirst()
          .orElseThrow(() -> new AssertionError("no candidate value satisfies parameter " + p.name()));
      values.put(p.name(), chosen);
    }
    return values;
  }
}
