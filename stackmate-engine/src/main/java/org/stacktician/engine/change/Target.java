package org.stacktician.engine.change;

import java.util.Objects;
import org.stacktician.engine.provider.UpdateBehavior;

/**
 * What a change detail changes (CloudFormation's {@code ResourceTargetDefinition}).
 *
 * @param name the property name when {@code attribute} is {@link Attribute#PROPERTIES}, else null
 * @param requiresRecreation whether changing it replaces the resource
 */
public record Target(Attribute attribute, String name, RequiresRecreation requiresRecreation) {
  public Target {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(requiresRecreation, "requiresRecreation");
  }

  /** The part of a resource a change is in (CloudFormation's {@code ResourceAttribute}, also its change-set Scope). */
  public enum Attribute {
    PROPERTIES, METADATA, CREATION_POLICY, UPDATE_POLICY, DELETION_POLICY, UPDATE_REPLACE_POLICY, TAGS;

    /** CloudFormation's spelling, e.g. {@code DeletionPolicy}. */
    public String awsName() {
      return AwsNames.of(this);
    }
  }

  /** Whether a change replaces the resource. */
  public enum RequiresRecreation {
    NEVER, CONDITIONALLY, ALWAYS;

    /** CloudFormation's spelling, e.g. {@code Conditionally}. */
    public String awsName() {
      return AwsNames.of(this);
    }

    /** What an update rule's behaviour means for recreation. */
    public static RequiresRecreation of(UpdateBehavior behavior) {
      return switch (behavior) {
        case NO_INTERRUPTION, SOME_INTERRUPTION -> NEVER;
        case CONDITIONAL_REPLACEMENT -> CONDITIONALLY;
        case REPLACEMENT -> ALWAYS;
      };
    }
  }
}
