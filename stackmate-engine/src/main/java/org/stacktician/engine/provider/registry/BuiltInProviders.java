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

  /**
   * Old type names that the original's templates use, mapped to the current ones: the
   * {@code StackMate::} wait condition names, and the original generator's names of CloudStack
   * types whose derived names differ (ORIGINALS.md §2.3). An alias is dropped when its target is
   * not available (e.g. the cloud lacks the API) or a provider claims the old name itself.
   */
  static Map<String, String> aliases() {
    return Map.of(
        "StackMate::WaitCondition", "AWS::CloudFormation::WaitCondition",
        "StackMate::WaitConditionHandle", "AWS::CloudFormation::WaitConditionHandle",
        "CloudStack::IpToNic", "CloudStack::NicIp",
        "CloudStack::NicToVirtualMachine", "CloudStack::VirtualMachineNic",
        "CloudStack::ToLoadBalancerRule", "CloudStack::LoadBalancerRuleAssignment",
        "CloudStack::ToGlobalLoadBalancerRule", "CloudStack::GlobalLoadBalancerRuleAssignment",
        "CloudStack::VirtualMachineOps", "CloudStack::StartedVirtualMachine",
        "CloudStack::VolumeOps", "CloudStack::VolumeAttachment");
  }
}
