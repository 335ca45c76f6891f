package org.stacktician.engine.execution;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What pseudo parameters resolve to for stacks this engine runs: the CloudStack region (or zone)
 * name, the account id, the management server's domain, the URL guests reach the metadata API at
 * ({@code CloudStack::StackMateApiURL}), and the zone names {@code Fn::GetAZs} returns (null when
 * unknown). {@code stackScopedApiUrl}, when set, gives each stack its own metadata URL (by stack
 * id) instead of the shared one, so a listener that guards metadata still serves a stack's guests.
 */
public record CloudEnvironment(String region, String accountId, String urlSuffix, String stackMateApiUrl,
    List<String> availabilityZones, UnaryOperator<String> stackScopedApiUrl) {

  public CloudEnvironment(String region, String accountId, String urlSuffix, String stackMateApiUrl,
      List<String> availabilityZones) {
    this(region, accountId, urlSuffix, stackMateApiUrl, availabilityZones, null);
  }

  public static CloudEnvironment local() {
    return new CloudEnvironment("cloudstack", "000000000000", "localdomain", "http://localhost:4567/", null);
  }

  /** {@code CloudStack::StackMateApiURL} for one stack. */
  public String stackMateApiUrl(String stackId) {
    return stackScopedApiUrl == null ? stackMateApiUrl : stackScopedApiUrl.apply(stackId);
  }

  /** This environment with per-stack metadata URLs. */
  public CloudEnvironment withStackScopedApiUrl(UnaryOperator<String> perStack) {
    return new CloudEnvironment(region, accountId, urlSuffix, stackMateApiUrl, availabilityZones, perStack);
  }
}
