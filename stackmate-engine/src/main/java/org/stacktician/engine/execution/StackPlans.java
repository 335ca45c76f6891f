package org.stacktician.engine.execution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.stacktician.engine.exports.StoreExportLookup;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.state.StateStore;
import org.stacktician.template.CloudObjects;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;

/**
 * Plans of running stacks, by stack and template version. A plan is made from the stored template
 * and parameters of that version, so any process can rebuild it after a restart; it is cached while
 * the stack's operation runs.
 */
public final class StackPlans {
  private final StateStore store;
  private final CloudEnvironment environment;
  private final Function<String, CloudObjects> cloudObjects;
  private final ConcurrentHashMap<String, Plan> cache = new ConcurrentHashMap<>();

  public StackPlans(StateStore store, CloudEnvironment environment) {
    this(store, environment, accountKey -> null);
  }

  /**
   * Plans whose rules ask {@code cloudObjects} (by the stack's account key; null: no cloud) about the
   * objects CloudStack-aware parameters name, when a stack's operation starts.
   */
  public StackPlans(StateStore store, CloudEnvironment environment, Function<String, CloudObjects> cloudObjects) {
    this.store = store;
    this.environment = environment;
    this.cloudObjects = cloudObjects;
  }

  /** The outcome of planning: a plan with the exports it imported, or the errors. */
  public sealed interface Outcome {
    record Planned(Plan plan, java.util.Set<String> imports) implements Outcome {}

    record Rejected(List<TemplateError> errors) implements Outcome {}
  }

  /**
   * Loads and plans a template for a stack whose operation starts (create, update): its {@code
   * Fn::ImportValue}s see the exports of the stacks of {@code scope} in {@code cloudKey}'s cloud, and its rules are
   * checked with that cloud's objects ({@code Fn::RefAll}, {@code Fn::ValueOf}, {@code Fn::ValueOfAll}).
   */
  public Outcome plan(String templateBody, String sourceName, String stackName, String stackId,
      Map<String, String> parameters, String cloudKey, String scope) {
    return plan(templateBody, sourceName, stackName, stackId, parameters, cloudKey, scope, cloudObjects.apply(cloudKey));
  }

  /** Plans with the rules' cloud objects given (null: the rules that need the cloud are not decided). */
  private Outcome plan(String templateBody, String sourceName, String stackName, String stackId,
      Map<String, String> parameters, String cloudKey, String scope, CloudObjects objects) {
    LoadResult loaded = TemplateLoader.load(templateBody, sourceName);
    if (loaded instanceof LoadResult.Invalid invalid) {
      return new Outcome.Rejected(invalid.errors());
    }
    var template = ((LoadResult.Loaded) loaded).template();
    StoreExportLookup exports = new StoreExportLookup(store, cloudKey, scope);
    StackContext context = context(stackName, stackId).withExports(exports).withCloudObjects(objects);
    PlanResult result = Planner.plan(template, new ParameterInput(parameters), context);
    if (result instanceof PlanResult.Rejected rejected) {
      return new Outcome.Rejected(rejected.errors());
    }
    return new Outcome.Planned(((PlanResult.Planned) result).plan(), exports.imported());
  }

  /** The plan of a stored stack's current template version, from the cache or re-planned. */
  public Plan planOf(StackRecord stack) {
    return planOf(stack, stack.templateVersion());
  }

  /** The plan of one template version of a stored stack (current or previous), from the cache or re-planned. */
  public Plan planOf(StackRecord stack, int version) {
    String key = key(stack.stackId(), version);
    Plan cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    var tv = stack.version(version).orElseThrow(() -> new IllegalStateException("stack " + stack.stackName()
        + " no longer has template version " + version + " (it has " + stack.templateVersion() + ")"));
    Map<String, String> params = new LinkedHashMap<>();
    for (StackParameter p : tv.parameters()) {
      params.put(p.key(), p.value());
    }
    // The rules were checked with the cloud when the operation started; a re-plan (after a restart)
    // neither asks the cloud again nor fails because the cloud has changed since.
    Outcome outcome = plan(tv.templateBody(), stack.stackName(), stack.stackName(), stack.stackId(), params,
        stack.accountKey(), stack.scope(), null);
    if (outcome instanceof Outcome.Rejected rejected) {
      throw new IllegalStateException("template version " + version + " of stack " + stack.stackName()
          + " no longer plans: " + rejected.errors().stream().map(TemplateError::message).toList());
    }
    Plan plan = ((Outcome.Planned) outcome).plan();
    cache.put(key, plan);
    return plan;
  }

  /** Keeps the plan just made of a stack's template version (its operation is about to run). */
  public void remember(String stackId, int version, Plan plan) {
    cache.put(key(stackId, version), plan);
  }

  /** Drops every cached plan of a stack (its operation ended). */
  public void forget(String stackId) {
    cache.keySet().removeIf(k -> k.startsWith(stackId + "@"));
  }

  private static String key(String stackId, int version) {
    return stackId + "@" + version;
  }

  /** A stored stack's pseudo parameters, with the exports of stacks in its cloud for its Fn::ImportValues. */
  public StackContext contextOf(StackRecord stack) {
    return context(stack.stackName(), stack.stackId())
        .withExports(new StoreExportLookup(store, stack.accountKey(), stack.scope()));
  }

  StackContext context(String stackName, String stackId) {
    return new StackContext(stackName, stackId, environment.region(), environment.accountId(),
        StackContext.CLOUDSTACK_PARTITION, environment.urlSuffix(), List.of(), environment.stackMateApiUrl(stackId),
        environment.availabilityZones(), null);
  }
}
