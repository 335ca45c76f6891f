package org.stacktician.cloudstack.simulator.cloud;

/**
 * The kinds of simulated resources. {@code tagType} is the {@code resourcetype} createTags accepts
 * for it (CloudStack's ResourceObjectType; null when not taggable); {@code accountOwned} kinds are
 * created by API calls and show up in the inventory.
 */
public enum ResourceKind {
  ZONE(null, false),
  SERVICE_OFFERING(null, false),
  DISK_OFFERING(null, false),
  TEMPLATE("Template", false),
  OS_TYPE(null, false),
  NETWORK_OFFERING(null, false),
  VPC_OFFERING(null, false),
  VIRTUAL_MACHINE("UserVm", true),
  SECURITY_GROUP("SecurityGroup", true),
  NETWORK("Network", true),
  VPC("Vpc", true),
  PUBLIC_IP_ADDRESS("PublicIpAddress", true),
  FIREWALL_RULE("FirewallRule", true),
  EGRESS_FIREWALL_RULE("FirewallRule", true),
  NETWORK_ACL("NetworkACL", true),
  PORT_FORWARDING_RULE("PortForwardingRule", true),
  LOAD_BALANCER_RULE("LoadBalancer", true),
  VOLUME("Volume", true),
  SNAPSHOT("Snapshot", true),
  SSH_KEY_PAIR(null, true),
  AFFINITY_GROUP("AffinityGroup", true),
  INSTANCE_GROUP(null, true);

  private final String tagType;
  private final boolean accountOwned;

  ResourceKind(String tagType, boolean accountOwned) {
    this.tagType = tagType;
    this.accountOwned = accountOwned;
  }

  public String tagType() {
    return tagType;
  }

  public boolean accountOwned() {
    return accountOwned;
  }
}
