package org.stacktician.engine.change;

import java.util.List;
import java.util.Objects;

/**
 * What an update does to one resource (CloudFormation's {@code ResourceChange}).
 *
 * @param physicalResourceId null for an added resource (and for one that was never created)
 * @param replacement for {@link Action#MODIFY} only (null otherwise): the strongest of the details
 * @param scope the attributes the details change, in order, without repeats (empty unless Modify)
 * @param details the reasons, empty unless Modify
 */
public record ResourceChange(Action action, String logicalResourceId, String physicalResourceId, String resourceType,
    Replacement replacement, List<Target.Attribute> scope, List<ChangeDetail> details) {

  public ResourceChange {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(logicalResourceId, "logicalResourceId");
    scope = List.copyOf(scope);
    details = List.copyOf(details);
  }

  /** A resource the new template adds. */
  public static ResourceChange add(String logicalId, String type) {
    return new ResourceChange(Action.ADD, logicalId, null, type, null, List.of(), List.of());
  }

  /** A resource the new template no longer has. */
  public static ResourceChange remove(String logicalId, String physicalId, String type) {
    return new ResourceChange(Action.REMOVE, logicalId, physicalId, type, null, List.of(), List.of());
  }

  /** A changed resource; replacement and scope follow from the details. */
  public static ResourceChange modify(String logicalId, String physicalId, String type, List<ChangeDetail> details) {
    List<Target.Attribute> scope = details.stream().map(d -> d.target().attribute()).distinct().toList();
    return new ResourceChange(Action.MODIFY, logicalId, physicalId, type, Replacement.of(details), scope, details);
  }

  /** True when the resource may get a new physical id (replacement True or Conditional). */
  public boolean mayBeReplaced() {
    return replacement == Replacement.TRUE || replacement == Replacement.CONDITIONAL;
  }

  /** What happens to the resource. */
  public enum Action {
    ADD, MODIFY, REMOVE;

    public String awsName() {
      return AwsNames.of(this);
    }
  }

  /** Whether a modified resource is replaced: True, False, or Conditional (known only at run time). */
  public enum Replacement {
    TRUE, FALSE, CONDITIONAL;

    public String awsName() {
      return AwsNames.of(this);
    }

    /**
     * As CloudFormation decides it: True when a change that always recreates is known statically,
     * Conditional when one is dynamic or recreates only conditionally, else False.
     */
    static Replacement of(List<ChangeDetail> details) {
      Replacement result = FALSE;
      for (ChangeDetail d : details) {
        Target.RequiresRecreation r = d.target().requiresRecreation();
        if (r == Target.RequiresRecreation.ALWAYS && d.evaluation() == ChangeDetail.Evaluation.STATIC) {
          return TRUE;
        }
        if (r != Target.RequiresRecreation.NEVER) {
          result = CONDITIONAL;
        }
      }
      return result;
    }
  }
}
