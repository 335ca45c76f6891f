package org.stacktician.template;

import java.util.List;
import java.util.Objects;

/**
 * What the pseudo parameters and context functions resolve to for one stack. On CloudStack:
 * {@code region} is the CloudStack region (or zone) name the stack runs in, {@code accountId} the
 * CloudStack account's id, {@code partition} {@code cloudstack}, {@code urlSuffix} the domain of the
 * management server. {@code availabilityZones} (zone names for {@code Fn::GetAZs}) and {@code exports}
 * (for {@code Fn::ImportValue}) are null when not known, which leaves those functions unresolved;
 * {@code cloudObjects} (for the rule functions {@code Fn::RefAll}, {@code Fn::ValueOf} and {@code
 * Fn::ValueOfAll}) is null when no cloud is at hand, which leaves the assertions using them undecided.
 */
public record StackContext(
    String stackName,
    String stackId,
    String region,
    String accountId,
    String partition,
    String urlSuffix,
    List<String> notificationArns,
    String stackMateApiUrl,
    List<String> availabilityZones,
    ExportLookup exports,
    CloudObjects cloudObjects) {

  /** The region used when none is configured. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The partition value used on CloudStack. */
  public static final String CLOUDSTACK_PARTITION = "cloudstack";

  public StackContext {
    Objects.requireNonNull(stackName, "stackName");
    notificationArns = notificationArns == null ? List.of() : List.copyOf(notificationArns);
    availabilityZones = availabilityZones == null ? null : List.copyOf(availabilityZones);
  }

  /** A context without the cloud's objects (rules that ask the cloud stay undecided). */
  public StackContext(String stackName, String stackId, String region, String accountId, String partition,
      String urlSuffix, List<String> notificationArns, String stackMateApiUrl, List<String> availabilityZones,
      ExportLookup exports) {
    this(stackName, stackId, region, accountId, partition, urlSuffix, notificationArns, stackMateApiUrl,
        availabilityZones, exports, null);
  }

  /**
   * A context for planning without a cloud: a placeholder stack id (CloudFormation's shape,
   * {@code arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>}) and account, the region
   * {@value #DEFAULT_REGION} (the original StackMate's fixed value, which keeps AWS sample templates
   * that map images by region working), the default StackMate API URL, zones and exports unknown.
   */
  public static StackContext forPlanning(String stackName) {
    String name = stackName == null || stackName.isBlank() ? "stack" : stackName;
    return new StackContext(name, "arn:cloudstack:cloudformation:" + DEFAULT_REGION + ":000000000000:stack/" + name
        + "/00000000-0000-0000-0000-000000000000",
        DEFAULT_REGION, "000000000000",
        CLOUDSTACK_PARTITION, "localdomain", List.of(), "http://localhost:4567/", null, null);
  }

  /** A copy with a different region. */
  public StackContext withRegion(String newRegion) {
    return new StackContext(stackName, stackId, newRegion, accountId, partition, urlSuffix, notificationArns,
        stackMateApiUrl, availabilityZones, exports, cloudObjects);
  }

  /** A copy with the zone names {@code Fn::GetAZs} returns. */
  public StackContext withAvailabilityZones(List<String> zones) {
    return new StackContext(stackName, stackId, region, accountId, partition, urlSuffix, notificationArns,
        stackMateApiUrl, zones, exports, cloudObjects);
  }

  /** A copy with the export lookup {@code Fn::ImportValue} uses. */
  public StackContext withExports(ExportLookup lookup) {
    return new StackContext(stackName, stackId, region, accountId, partition, urlSuffix, notificationArns,
        stackMateApiUrl, availabilityZones, lookup, cloudObjects);
  }

  /** A copy whose rules can ask the cloud about the objects parameters name ({@code Fn::RefAll}, ...). */
  public StackContext withCloudObjects(CloudObjects objects) {
    return new StackContext(stackName, stackId, region, accountId, partition, urlSuffix, notificationArns,
        stackMateApiUrl, availabilityZones, exports, objects);
  }
}
