package org.stacktician.engine.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.stacktician.engine.change.ChangeDetail.Evaluation;
import org.stacktician.engine.change.ChangeDetail.Source;
import org.stacktician.engine.change.Target.Attribute;
import org.stacktician.engine.change.Target.RequiresRecreation;
import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlanResult;
import org.stacktician.template.PlannedOutput;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.Planner;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;

/**
 * Computes a change set as CloudFormation does, with no cloud call: both templates are planned with
 * their parameter values; a resource only in the new plan is added, one only in the current plan
 * removed (a condition turning false removes it too), and one in both is modified when a property,
 * its Metadata or one of its policies differs. A property changed in the template is a Static
 * DirectModification; one whose expression is the same but whose parameters changed is a Dynamic
 * DirectModification plus a Static ParameterReference per parameter; a value that refers to a
 * resource that may be replaced ({@code Ref}) or modified ({@code Fn::GetAtt}) is a Dynamic
 * ResourceReference or ResourceAttribute. Whether a property change replaces the resource comes
 * from the handler's declared {@link UpdateRules}.
 */
public final class ChangeSetCalculator {
  /** CloudFormation's nested-stack type, listed as changed whenever it is kept (its template may have changed). */
  static final String NESTED_STACK = "AWS::CloudFormation::Stack";

  private final Function<String, UpdateRules> rules;
  private final Function<Plan, List<TemplateError>> check;

  /**
   * @param rules the update rules of a resource type ({@link UpdateRules#REPLACE_ALL} for an unknown one)
   * @param check the problems of the new plan's resources before any call (unknown types, bad properties)
   */
  public ChangeSetCalculator(Function<String, UpdateRules> rules, Function<Plan, List<TemplateError>> check) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.check = Objects.requireNonNull(check, "check");
  }

  /** A calculator that asks the registry's handlers for their update rules and checks properties as create does. */
  public static ChangeSetCalculator using(org.stacktician.engine.provider.registry.ProviderRegistry registry) {
    return new ChangeSetCalculator(type -> registry.handler(type)
        .map(org.stacktician.engine.provider.ResourceHandler::updateRules).orElse(UpdateRules.REPLACE_ALL),
        registry::check);
  }

  /**
   * The change set of updating {@code current} as {@code request} asks.
   *
   * @param context the stack's pseudo parameters and lookups (the same for both templates)
   */
  public ChangeSetResult compute(StackSnapshot current, UpdateRequest request, StackContext context) {
    String body = request.usePreviousTemplate() ? current.templateBody() : request.templateBody();
    List<TemplateError> errors = new ArrayList<>();
    Map<String, String> values = parameterValues(current, request, errors);
    if (!errors.isEmpty()) {
      return new ChangeSetResult.Rejected(errors);
    }
    Plan before = plan(current.templateBody(), "current template of " + current.stackName(), current.parameters(),
        context, errors);
    if (!errors.isEmpty()) {
      return new ChangeSetResult.Rejected(errors);
    }
    Plan after = plan(body, "template", values, context, errors);
    if (after == null) {
      return new ChangeSetResult.Rejected(errors);
    }
    errors.addAll(check.apply(after));
    if (!errors.isEmpty()) {
      return new ChangeSetResult.Rejected(errors);
    }
    return new Diff(before, after, current.physicalIds()).run(body, errors);
  }

  /** The values the update runs with: UsePreviousValue resolved; a parameter not given takes its default. */
  private static Map<String, String> parameterValues(StackSnapshot current, UpdateRequest request,
      List<TemplateError> errors) {
    Map<String, String> values = new LinkedHashMap<>();
    request.parameters().forEach((name, value) -> {
      switch (value) {
        case UpdateRequest.ParameterValue.Given g -> values.put(name, g.value());
        case UpdateRequest.ParameterValue.UsePrevious u -> {
          String previous = current.parameters().get(name);
          if (previous == null) {
            errors.add(TemplateError.of("Parameters/" + name, "Invalid input for parameter key " + name
                + ". Cannot specify usePreviousValue as true for a parameter key not in the previous template"));
          } else {
            values.put(name, previous);
          }
        }
      }
    });
    return values;
  }

  private static Plan plan(String body, String source, Map<String, String> values, StackContext context,
      List<TemplateError> errors) {
    LoadResult loaded = TemplateLoader.load(body, source);
    if (loaded instanceof LoadResult.Invalid invalid) {
      errors.addAll(invalid.errors());
      return null;
    }
    PlanResult planned = Planner.plan(((LoadResult.Loaded) loaded).template(), new ParameterInput(values), context);
    if (planned instanceof PlanResult.Rejected rejected) {
      errors.addAll(rejected.errors());
      return null;
    }
    return ((PlanResult.Planned) planned).plan();
  }

  /** One comparison of two plans. */
  private final class Diff {
    private final Plan before;
    private final Plan after;
    private final Map<String, String> physicalIds;
    private final Set<String> changedParameters = new LinkedHashSet<>();
    private final Map<String, ResourceChange> decided = new HashMap<>();

    Diff(Plan before, Plan after, Map<String, String> physicalIds) {
      this.before = before;
      this.after = after;
      this.physicalIds = physicalIds;
      for (ResolvedParameter p : after.parameters().values()) {
        ResolvedParameter old = before.parameters().get(p.name());
        if (old == null || !old.value().equals(p.value())) {
          changedParameters.add(p.name());
        }
      }
    }

    ChangeSetResult run(String body, List<TemplateError> errors) {
      List<String> typeChanged = new ArrayList<>();
      for (PlannedResource now : included(after).values()) {
        PlannedResource was = included(before).get(now.logicalId());
        if (was != null && !was.type().equals(now.type())) {
          typeChanged.add(now.logicalId());
        }
      }
      if (!typeChanged.isEmpty()) {
        errors.add(TemplateError.of("Resources/" + typeChanged.getFirst() + "/Type", "Update of resource type is not "
            + "permitted. The new template modifies resource type of the following resources: " + typeChanged));
        return new ChangeSetResult.Rejected(errors);
      }
      // dependencies before dependents, so that a replacement is known when its dependents are compared
      for (List<String> wave : after.waves()) {
        for (String id : wave) {
          PlannedResource was = included(before).get(id);
          if (was != null) {
            modification(was, after.resources().get(id), errors).ifPresent(c -> decided.put(id, c));
          }
        }
      }
      if (!errors.isEmpty()) {
        return new ChangeSetResult.Rejected(errors);
      }
      List<ResourceChange> changes = new ArrayList<>();
      for (PlannedResource was : included(before).values()) {
        if (!included(after).containsKey(was.logicalId())) {
          changes.add(ResourceChange.remove(was.logicalId(), physicalIds.get(was.logicalId()), was.type()));
        } else if (decided.containsKey(was.logicalId())) {
          changes.add(decided.get(was.logicalId()));
        }
      }
      for (PlannedResource now : included(after).values()) {
        if (!included(before).containsKey(now.logicalId())) {
          changes.add(ResourceChange.add(now.logicalId(), now.type()));
        }
      }
      List<StackParameter> values = after.parameters().values().stream()
          .map(StackParameter::of).toList();
      return new ChangeSetResult.Computed(new ChangeSet(changes, body, values, outputsChange()));
    }

    private java.util.Optional<ResourceChange> modification(PlannedResource was, PlannedResource now,
        List<TemplateError> errors) {
      UpdateRules typeRules = rules.apply(now.type());
      ResourceDefinition oldDef = was.definition();
      ResourceDefinition newDef = now.definition();
      List<ChangeDetail> details = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      oldDef.properties().fieldNames().forEachRemaining(names::add);
      newDef.properties().fieldNames().forEachRemaining(names::add);
      was.properties().fieldNames().forEachRemaining(names::add);
      now.properties().fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        boolean tags = name.equals("Tags") || name.equals("tags");
        Target target = new Target(tags ? Attribute.TAGS : Attribute.PROPERTIES, tags ? null : name,
            RequiresRecreation.of(typeRules.property(name).behavior()));
        compare(target, oldDef.properties().get(name), newDef.properties().get(name), was.properties().get(name),
            now.properties().get(name), details);
      }
      compare(new Target(Attribute.METADATA, null, RequiresRecreation.NEVER), oldDef.metadata(), newDef.metadata(),
          resolve(before, oldDef.metadata()), resolve(after, newDef.metadata()), details);
      policy(Attribute.CREATION_POLICY, oldDef.creationPolicy(), newDef.creationPolicy(), details);
      policy(Attribute.UPDATE_POLICY, oldDef.updatePolicy(), newDef.updatePolicy(), details);
      policy(Attribute.DELETION_POLICY, text(oldDef.deletionPolicy()), text(newDef.deletionPolicy()), details);
      policy(Attribute.UPDATE_REPLACE_POLICY, text(oldDef.updateReplacePolicy()), text(newDef.updateReplacePolicy()),
          details);
      if (details.isEmpty() && now.type().equals(NESTED_STACK)) {
        details.add(new ChangeDetail(new Target(Attribute.PROPERTIES, null, RequiresRecreation.NEVER),
            Evaluation.DYNAMIC, Source.AUTOMATIC, null));
      }
      if (details.isEmpty()) {
        return java.util.Optional.empty();
      }
      ResourceChange change = ResourceChange.modify(now.logicalId(), physicalIds.get(now.logicalId()), now.type(),
          details);
      if (change.replacement() == ResourceChange.Replacement.TRUE) {
        keepsUniqueName(now, was, typeRules, errors);
      }
      return java.util.Optional.of(change);
    }

    /** The details of one attribute (or property): static changes, then changes its references may bring. */
    private void compare(Target target, JsonNode oldRaw, JsonNode newRaw, JsonNode oldValue, JsonNode newValue,
        List<ChangeDetail> details) {
      if (!same(oldValue, newValue)) {
        Set<String> causes = new LinkedHashSet<>();
        if (same(oldRaw, newRaw) && newRaw != null) {
          for (String name : References.withConditions(newRaw, after.template())) {
            if (changedParameters.contains(name)) {
              causes.add(name);
            }
          }
        }
        if (causes.isEmpty()) {
          details.add(new ChangeDetail(target, Evaluation.STATIC, Source.DIRECT_MODIFICATION, null));
        } else {
          details.add(new ChangeDetail(target, Evaluation.DYNAMIC, Source.DIRECT_MODIFICATION, null));
          causes.forEach(p -> details.add(new ChangeDetail(target, Evaluation.STATIC, Source.PARAMETER_REFERENCE, p)));
        }
      }
      if (newValue == null) {
        return;
      }
      for (String ref : References.of(newValue)) {
        int dot = ref.indexOf('.');
        String id = dot < 0 ? ref : ref.substring(0, dot);
        ResourceChange changed = decided.get(id);
        if (changed == null) {
          continue;
        }
        if (dot < 0 && changed.mayBeReplaced()) {
          details.add(new ChangeDetail(target, Evaluation.DYNAMIC, Source.RESOURCE_REFERENCE, id));
        } else if (dot > 0) {
          details.add(new ChangeDetail(target, Evaluation.DYNAMIC, Source.RESOURCE_ATTRIBUTE, ref));
        }
      }
    }

    private void policy(Attribute attribute, JsonNode was, JsonNode now, List<ChangeDetail> details) {
      if (!same(was, now)) {
        details.add(new ChangeDetail(new Target(attribute, null, RequiresRecreation.NEVER), Evaluation.STATIC,
            Source.DIRECT_MODIFICATION, null));
      }
    }

    /**
     * CloudFormation cannot replace a resource whose unique name stays the same: the new one would
     * collide with the old one, which is deleted only afterwards.
     */
    private void keepsUniqueName(PlannedResource now, PlannedResource was, UpdateRules typeRules,
        List<TemplateError> errors) {
      now.properties().fields().forEachRemaining(e -> {
        if (typeRules.uniqueName(e.getKey()) && e.getValue().isValueNode() && same(e.getValue(),
            was.properties().get(e.getKey()))) {
          errors.add(TemplateError.of("Resources/" + now.logicalId() + "/Properties/" + e.getKey(),
              "CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename "
                  + e.getValue().asText() + " and update the stack again."));
        }
      });
    }

    private boolean outputsChange() {
      Map<String, PlannedOutput> a = before.outputs();
      Map<String, PlannedOutput> b = after.outputs();
      if (!a.keySet().equals(b.keySet())) {
        return true;
      }
      for (PlannedOutput o : b.values()) {
        PlannedOutput old = a.get(o.name());
        if (!same(old.value(), o.value()) || !same(old.export(), o.export())
            || !Objects.equals(old.description(), o.description())) {
          return true;
        }
      }
      return false;
    }
  }

  private static Map<String, PlannedResource> included(Plan plan) {
    Map<String, PlannedResource> out = new LinkedHashMap<>();
    plan.resources().values().stream().filter(PlannedResource::included).forEach(r -> out.put(r.logicalId(), r));
    return out;
  }

  /** An expression resolved as far as the plan can (references to resources kept). */
  private static JsonNode resolve(Plan plan, JsonNode expression) {
    if (expression == null) {
      return null;
    }
    return switch (plan.evaluator().resolve(expression, "Metadata", ResourceValues.NONE)) {
      case Resolution.Resolved r -> r.value() instanceof MissingNode ? null : r.value();
      case Resolution.Deferred d -> d.partial();
      case Resolution.Failed f -> expression;
    };
  }

  private static boolean same(JsonNode a, JsonNode b) {
    boolean aEmpty = a == null || a.isNull() || a.isMissingNode();
    boolean bEmpty = b == null || b.isNull() || b.isMissingNode();
    return aEmpty || bEmpty ? aEmpty == bEmpty : a.equals(b);
  }

  private static JsonNode text(String value) {
    return value == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
  }

}
