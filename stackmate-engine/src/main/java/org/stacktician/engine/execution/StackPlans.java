package org.stacktician.engine.execution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.stacktician.engine.exports.StoreExportLookup;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.state.StateStore;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;

/**
 * Plans of running stacks. A plan is made from the stored template and parameters, so any process
 * can rebuild it after a restart; it is cached while the stack's operation runs.
 */
public final class StackPlans {
  private final StateStore store;
  private final CloudEnvironment environment;
  private final ConcurrentHashMap<String, Plan> cache = new ConcurrentHashMap<>();

  public StackPlans(StateStore store, CloudEnvironment environment) {
    this.store = store;
    this.environment = environment;
  }

  /** The outcome of planning: a plan with the exports it imported, or the errors. */
  public sealed interface Outcome {
    record Planned(Plan plan, java.util.Set<String> imports) implements Outcome {}

    record Rejected(List<TemplateError> errors) implements Outcome {}
  }

  /**
   * Loads and plans a template for a stack (used at create time and when re-planning); its
   * {@code Fn::ImportValue}s see the exports of stacks in {@code cloudKey}'s cloud.
   */
  public Outcome plan(String templateBody, String sourceName, String stackName, String stackId,
      Map<String, String> parameters, String cloudKey) {
    LoadResult loaded = TemplateLoader.load(templateBody, sourceName);
    if (loaded instanceof LoadResult.Invalid invalid) {
      return new Outcome.Rejected(invalid.errors());
    }
    var template = ((LoadResult.Loaded) loaded).template();
    StoreExportLookup exports = new StoreExportLookup(store, cloudKey);
    StackContext context = context(stackName, stackId).withExports(exports);
    PlanResult result = Planner.plan(template, new ParameterInput(parameters), context);
    if (result instanceof PlanResult.Rejected rejected) {
      return new Outcome.Rejected(rejected.errors());
    }
    return new Outcome.Planned(((PlanResult.Planned) result).plan(), exports.imported());
  }

  /** The plan of a stored stack, from the cache or re-planned. */
  public Plan planOf(StackRecord stack) {
    Plan cached = cache.get(stack.stackId());
    if (cached != null) {
      return cached;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (StackParameter p : stack.parameters()) {
      params.put(p.key(), p.value());
    }
    Outcome outcome = plan(stack.templateBody(), stack.stackName(), stack.stackName(), stack.stackId(), params,
        stack.accountKey());
    if (outcome instanceof Outcome.Rejected rejected) {
      throw new IllegalStateException("the stored template of stack " + stack.stackName() + " no longer plans: "
          + rejected.errors().stream().map(TemplateError::message).toList());
    }
    Plan plan = ((Outcome.Planned) outcome).plan();
    cache.put(stack.stackId(), plan);
    return plan;
  }

  public void remember(String stackId, Plan plan) {
    cache.put(stackId, plan);
  }

  public void forget(String stackId) {
    cache.remove(stackId);
  }

  StackContext context(String stackName, String stackId) {
    return new StackContext(stackName, stackId, environment.region(), environment.accountId(),
        StackContext.CLOUDSTACK_PARTITION, environment.urlSuffix(), List.of(), environment.stackMateApiUrl(stackId),
        environment.availabilityZones(), null);
  }
}
