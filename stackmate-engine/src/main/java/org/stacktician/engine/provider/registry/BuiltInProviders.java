package org.stacktician.engine.provider.registry;

import java.util.List;
import java.util.Map;
import org.stacktician.engine.aws.AwsProvider;
import org.stacktician.engine.cloudstack.CloudStackProvider;
import org.stacktician.engine.custom.CustomResourceProvider;
import org.stacktician.engine.provider.ResourceProvider;
import org.stacktician.engine.waitcondition.WaitConditionProvider;

/** The providers that ship with the engine, and the original StackMate's type aliases. */
final class BuiltInProviders {
  private BuiltInProviders() {}

  static List<ResourceProvider> all() {
    return List.of(new CloudStackProvider(), new AwsProvider(), new WaitConditionProvider(), new CustomResourceProvider());
  }

  /** Old type names that the original's templates use, mapped to the current ones. */
  static Map<String, String> aliases() {
    return Map.of(
        "StackMate::WaitCondition", "AWS::CloudFormation::WaitCondition",
        "StackMate::WaitConditionHandle", "AWS::CloudFormation::WaitConditionHandle");
  }
}
