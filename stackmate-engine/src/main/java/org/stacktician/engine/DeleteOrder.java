package org.stacktician.engine;

import java.util.Locale;

/**
 * The order in which resources found only by their tags are deleted, by CloudStack resource kind
 * (the {@code resourcetype} of listTags): things that use others go first.
 */
final class DeleteOrder {
  private DeleteOrder() {}

  /** Lower ranks are deleted first. */
  static int rank(String kind) {
    if (kind == null) {
      return 2;
    }
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "uservm", "virtualmachine" -> 0;
      case "volume", "snapshot", "publicipaddress", "loadbalancer", "portforwardingrule", "firewallrule",
          "networkacl", "vpngateway", "securitygrouprule", "staticnat", "ipforwardingrule", "egressrule" -> 1;
      case "securitygroup", "sshkeypair", "networkacllist" -> 2;
      case "network" -> 3;
      case "vpc" -> 4;
      default -> 2;
    };
  }
}
