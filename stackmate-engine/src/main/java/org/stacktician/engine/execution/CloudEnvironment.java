package org.stacktician.engine.execution;

import java.util.List;

/**
 * What pseudo parameters resolve to for stacks this engine runs: the CloudStack region (or zone)
 * name, the account id, the management server's domain, the URL guests reach the metadata API at
 * ({@code CloudStack::StackMateApiURL}), and the zone names {@code Fn::GetAZs} returns (null when
 * unknown).
 */
public record CloudEnvironment(String region, String accountId, String urlSuffix, String stackMateApiUrl,
    List<String> availabilityZones) {

  public static CloudEnvironment local() {
    return new CloudEnvironment("cloudstack", "000000000000", "localdomain", "http://localhost:4567/", null);
  }
}
