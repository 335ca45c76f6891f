package org.stacktician.engine.change;

import java.util.Objects;

/**
 * One reason a resource changes (CloudFormation's {@code ResourceChangeDetail}).
 *
 * @param causingEntity the parameter name ({@link Source#PARAMETER_REFERENCE}), the logical id
 *     ({@link Source#RESOURCE_REFERENCE}) or {@code LogicalId.Attribute} ({@link
 *     Source#RESOURCE_ATTRIBUTE}); null otherwise
 */
public record ChangeDetail(Target target, Evaluation evaluation, Source changeSource, String causingEntity) {
  public ChangeDetail {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(evaluation, "evaluation");
    Objects.requireNonNull(changeSource, "changeSource");
  }

  /** Static: the new value is known now; Dynamic: it is only known when the update runs. */
  public enum Evaluation {
    STATIC, DYNAMIC;

    public String awsName() {
      return AwsNames.of(this);
    }
  }

  /** What caused the change (CloudFormation's {@code ChangeSource}). */
  public enum Source {
    RESOURCE_REFERENCE, PARAMETER_REFERENCE, RESOURCE_ATTRIBUTE, DIRECT_MODIFICATION, AUTOMATIC;

    public String awsName() {
      return AwsNames.of(this);
    }
  }
}
