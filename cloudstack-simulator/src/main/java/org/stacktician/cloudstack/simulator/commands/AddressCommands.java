package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.EGRESS_FIREWALL_RULE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.FIREWALL_RULE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.LOAD_BALANCER_RULE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.NETWORK;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.PORT_FORWARDING_RULE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.PUBLIC_IP_ADDRESS;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VIRTUAL_MACHINE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VPC;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.ZONE;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.stacktician.cloudstack.simulator.cloud.CloudSeed;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.cloud.ResourceKind;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.jobs.JobWork;

/** Public IP addresses, static NAT, firewall, egress firewall and port-forwarding rules. */
public final class AddressCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Hidden attribute of a port-forwarding rule: the firewall rule opened with it. */
  private static final String OPENED_FIREWALL = "openedfirewall";

  @Override
  public void register(CommandRegistry r) {
    r.register("associateIpAddress", "address.AssociateIPAddrCmd", this::associate);
    r.register("disassociateIpAddress", "address.DisassociateIPAddrCmd", this::disassociate);
    r.register("listPublicIpAddresses", "address.ListPublicIpAddressesCmd", this::listIps);
    r.register("enableStaticNat", "nat.EnableStaticNatCmd", this::enableStaticNat);
    r.register("disableStaticNat", "nat.DisableStaticNatCmd", this::disableStaticNat);
    r.register("createFirewallRule", "firewall.CreateFirewallRuleCmd", this::createFirewallRule);
    r.register("deleteFirewallRule", "firewall.DeleteFirewallRuleCmd", ctx -> deleteRule(ctx, FIREWALL_RULE, "FirewallRule"));
    r.register("listFirewallRules", "firewall.ListFirewallRulesCmd", ctx -> Lists.list(ctx, FIREWALL_RULE, "firewallrule",
        f -> Lists.matches(ctx, f, "ipaddressid", "ipaddressid") && Lists.matches(ctx, f, "networkid", "networkid")));
    r.register("createEgressFirewallRule", "firewall.CreateEgressFirewallRuleCmd", this::createEgressRule);
    r.register("deleteEgressFirewallRule", "firewall.DeleteEgressFirewallRuleCmd", ctx -> deleteRule(ctx, EGRESS_FIREWALL_RULE, "FirewallRule"));
    r.register("listEgressFirewallRules", "firewall.ListEgressFirewallRulesCmd", ctx -> Lists.list(ctx, EGRESS_FIREWALL_RULE, "firewallrule",
        f -> Lists.matches(ctx, f, "networkid", "networkid")));
    r.register("createPortForwardingRule", "firewall.CreatePortForwardingRuleCmd", this::createPortForwarding);
    r.register("deletePortForwardingRule", "firewall.DeletePortForwardingRuleCmd", ctx -> deleteRule(ctx, PORT_FORWARDING_RULE, "PortForwardingRule"));
    r.register("listPortForwardingRules", "firewall.ListPortForwardingRulesCmd", ctx -> Lists.list(ctx, PORT_FORWARDING_RULE, "portforwardingrule",
        f -> Lists.matches(ctx, f, "ipaddressid", "ipaddressid") && Lists.matches(ctx, f, "networkid", "networkid")));
  }

  private CommandOutcome associate(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource network = ctx.optionalResource("networkid", NETWORK);
    Resource vpc = ctx.optionalResource("vpcid", VPC);
    Resource zone = ctx.optionalResource("zoneid", ZONE);
    if (network == null && vpc == null && zone == null) {
      throw ApiException.invalidParameterValue("Either networkId or vpcId or zoneId has to be specified");
    }
    if (network != null && vpc != null) {
      throw ApiException.invalidParameterValue("Specify either networkId or vpcId, not both");
    }
    String zoneId = network != null ? network.text("zoneid") : vpc != null ? vpc.text("zoneid") : zone.id();
    Resource z = s.byId(zoneId).orElseThrow();
    if (network != null && network.owner() == null) {
      throw ApiException.invalidParameterValue("Can't associate ip to the shared network " + network.name() + " of account " + ctx.account().name());
    }
    Integer max = s.capacity().publicIpAddresses();
    String address = freeAddress(s, z, ctx.params().get("ipaddress"));
    if (address == null || (max != null && s.count(PUBLIC_IP_ADDRESS) >= max)) {
      throw ApiException.insufficientCapacity(4320, "Insufficient address capacity: no free public IP address in zone " + z.name());
    }
    ObjectNode v = JSON.objectNode();
    v.put("ipaddress", address);
    v.put("allocated", s.now());
    v.put("zoneid", z.id());
    v.put("zonename", z.name());
    v.put("issourcenat", false);
    CloudState.owner(v, ctx.account());
    v.put("forvirtualnetwork", true);
    v.put("vlanid", z.text("zonetoken"));
    v.put("vlanname", "vlan://untagged");
    v.put("isstaticnat", false);
    v.put("issystem", false);
    if (network != null) {
      v.put("associatednetworkid", network.id());
      v.put("associatednetworkname", network.name());
    }
    if (vpc != null) {
      v.put("vpcid", vpc.id());
      v.put("vpcname", vpc.name());
    }
    v.put("networkid", z.id());
    v.put("state", "Allocating");
    v.put("physicalnetworkid", z.id());
    v.put("isportable", ctx.params().bool("isportable", false));
    v.put("fordisplay", ctx.params().bool("fordisplay", true));
    v.put("hasannotations", false);
    Resource ip = s.add(PUBLIC_IP_ADDRESS, s.newId(), ctx.account(), v, false);
    return new CommandOutcome.Async(ip.id(), "IpAddress", ip.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        ip.view().put("state", "Allocated");
        return Lists.wrap("ipaddress", s.render(ip));
      }

      @Override
      public void failed(ApiException cause) {
        s.remove(ip);
      }
    });
  }

  private static String freeAddress(CloudState s, Resource zone, String wanted) {
    int zoneIndex = 0;
    List<Resource> zones = List.copyOf(s.all(ZONE));
    for (int i = 0; i < zones.size(); i++) {
      if (zones.get(i).id().equals(zone.id())) zoneIndex = i;
    }
    String prefix = CloudSeed.PUBLIC_PREFIXES.get(zoneIndex % CloudSeed.PUBLIC_PREFIXES.size());
    Set<String> used = new HashSet<>();
    for (Resource ip : s.all(PUBLIC_IP_ADDRESS)) used.add(ip.text("ipaddress"));
    if (wanted != null) {
      if (!wanted.startsWith(prefix) || used.contains(wanted)) {
        throw ApiException.invalidParameterValue("Unable to find an available public IP address " + wanted + " in zone " + zone.name());
      }
      return wanted;
    }
    for (int host = 10; host <= 250; host++) {
      if (!used.contains(prefix + host)) return prefix + host;
    }
    return null;
  }

  private CommandOutcome disassociate(CommandContext ctx) {
    Resource ip = ctx.resource("id", PUBLIC_IP_ADDRESS);
    return new CommandOutcome.Async(null, "IpAddress", ip.id(), () -> {
      release(ctx.state(), ip);
      return null;
    });
  }

  /** Releases a public IP with every rule on it. */
  static void release(CloudState s, Resource ip) {
    clearStaticNat(s, ip);
    for (ResourceKind kind : List.of(FIREWALL_RULE, PORT_FORWARDING_RULE, LOAD_BALANCER_RULE)) {
      for (Resource rule : s.all(kind)) {
        String ipId = kind == LOAD_BALANCER_RULE ? rule.text("publicipid") : rule.text("ipaddressid");
        if (ip.id().equals(ipId)) s.remove(rule);
      }
    }
    s.remove(ip);
  }

  /** Removes the egress rules of a network being deleted. */
  static void removeEgressRules(CloudState s, Resource network) {
    for (Resource rule : s.all(EGRESS_FIREWALL_RULE)) {
      if (network.id().equals(rule.text("networkid"))) s.remove(rule);
    }
  }

  /** Drops what ties a VM being expunged to addresses: static NAT, port forwarding, load-balancer membership. */
  static void forgetVirtualMachine(CloudState s, Resource vm) {
    for (Resource ip : s.all(PUBLIC_IP_ADDRESS)) {
      if (vm.id().equals(ip.text("virtualmachineid"))) clearStaticNat(s, ip);
    }
    for (Resource rule : s.all(PORT_FORWARDING_RULE)) {
      if (vm.id().equals(rule.text("virtualmachineid"))) removeRule(s, rule);
    }
    for (Resource lb : s.all(LOAD_BALANCER_RULE)) {
      LoadBalancerCommands.members(lb).remove(vm.id());
    }
  }

  private CommandOutcome listIps(CommandContext ctx) {
    var p = ctx.params();
    return Lists.list(ctx, PUBLIC_IP_ADDRESS, "publicipaddress", ip -> Lists.matches(ctx, ip, "ipaddress", "ipaddress")
        && Lists.matches(ctx, ip, "associatednetworkid", "associatednetworkid") && Lists.matches(ctx, ip, "vpcid", "vpcid")
        && Lists.matches(ctx, ip, "zoneid", "zoneid") && Lists.matches(ctx, ip, "state", "state")
        && (!p.has("isstaticnat") || p.bool("isstaticnat", false) == ip.view().path("isstaticnat").asBoolean())
        && (!p.has("issourcenat") || p.bool("issourcenat", false) == ip.view().path("issourcenat").asBoolean()));
  }

  private CommandOutcome enableStaticNat(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource ip = ctx.resource("ipaddressid", PUBLIC_IP_ADDRESS);
    Resource vm = ctx.resource("virtualmachineid", VIRTUAL_MACHINE);
    if (ip.view().path("isstaticnat").asBoolean()) {
      throw new ApiException(537, 4360, "Failed to enable static nat for the ip address id=" + ip.id()
          + " as vm id=" + ip.text("virtualmachineid") + " is already associated with ip id=" + ip.id());
    }
    for (Resource rule : s.all(PORT_FORWARDING_RULE)) {
      if (ip.id().equals(rule.text("ipaddressid"))) {
        throw new ApiException(537, 4360, "Failed to enable static nat for the ip address id=" + ip.id()
            + " as it already has port forwarding rules assigned");
      }
    }
    for (Resource other : s.all(PUBLIC_IP_ADDRESS)) {
      if (vm.id().equals(other.text("virtualmachineid"))) {
        throw new ApiException(537, 4360, "Failed to enable static nat for the ip address id=" + ip.id() + " as vm id="
            + vm.id() + " is already associated with ip id=" + other.id());
      }
    }
    String vmIp = ctx.params().get("vmguestip", vm.view().path("nic").path(0).path("ipaddress").asText());
    ObjectNode v = ip.view();
    v.put("isstaticnat", true);
    v.put("virtualmachineid", vm.id());
    v.put("virtualmachinename", vm.name());
    v.put("virtualmachinedisplayname", vm.text("displayname"));
    v.put("vmipaddress", vmIp);
    v.put("purpose", "StaticNat");
    vm.view().put("publicip", ip.text("ipaddress"));
    vm.view().put("publicipid", ip.id());
    return new CommandOutcome.Sync(org.stacktician.cloudstack.simulator.http.Envelopes.success());
  }

  private CommandOutcome disableStaticNat(CommandContext ctx) {
    Resource ip = ctx.resource("ipaddressid", PUBLIC_IP_ADDRESS);
    return new CommandOutcome.Async(null, "IpAddress", ip.id(), () -> {
      if (!ip.view().path("isstaticnat").asBoolean()) {
        throw ApiException.invalidParameterValue("Specified IP address id is not associated with any vm Id");
      }
      clearStaticNat(ctx.state(), ip);
      return null;
    });
  }

  private static void clearStaticNat(CloudState s, Resource ip) {
    String vmId = ip.text("virtualmachineid");
    if (vmId != null) {
      s.byId(vmId).ifPresent(vm -> {
        vm.view().remove("publicip");
        vm.view().remove("publicipid");
      });
    }
    ip.view().put("isstaticnat", false);
    for (String f : new String[] {"virtualmachineid", "virtualmachinename", "virtualmachinedisplayname", "vmipaddress", "purpose"}) {
      ip.view().remove(f);
    }
  }

  /** Checks protocol and ports as the firewall manager does; returns the lower-cased protocol. */
  static String protocol(CommandContext ctx, boolean portsRequired) {
    String protocol = ctx.params().get("protocol", "all").toLowerCase(Locale.ROOT);
    if (!List.of("tcp", "udp", "icmp", "all").contains(protocol) && !protocol.matches("\\d{1,3}")) {
      throw ApiException.invalidParameterValue("Invalid protocol: " + ctx.params().get("protocol"));
    }
    Integer start = ctx.params().integer("startport");
    Integer end = ctx.params().integer("endport");
    for (Integer port : new Integer[] {start, end}) {
      if (port != null && (port < 1 || port > 65535)) {
        throw ApiException.invalidParameterValue("Invalid port " + port + ": ports must be between 1 and 65535");
      }
    }
    if (start != null && end != null && start > end) {
      throw ApiException.invalidParameterValue("Start port can't be bigger than end port");
    }
    if (portsRequired && (protocol.equals("tcp") || protocol.equals("udp")) && start == null) {
      throw ApiException.invalidParameterValue("Start port is required for protocol " + protocol);
    }
    return protocol;
  }

  private ObjectNode ruleView(CommandContext ctx, String protocol, String trafficType) {
    var p = ctx.params();
    ObjectNode v = JSON.objectNode();
    v.put("protocol", protocol);
    Integer start = p.integer("startport");
    if (start != null) {
      v.put("startport", start);
      v.put("endport", p.integer("endport") == null ? start : p.integer("endport"));
    }
    if (p.has("icmptype")) v.put("icmptype", p.integer("icmptype"));
    if (p.has("icmpcode")) v.put("icmpcode", p.integer("icmpcode"));
    v.put("state", "Add");
    v.put("cidrlist", p.has("cidrlist") ? String.join(",", p.list("cidrlist")) : "0.0.0.0/0");
    v.put("fordisplay", p.bool("fordisplay", true));
    v.put("traffictype", trafficType);
    return v;
  }

  private CommandOutcome createFirewallRule(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource ip = ctx.resource("ipaddressid", PUBLIC_IP_ADDRESS);
    String protocol = protocol(ctx, true);
    ObjectNode v = ruleView(ctx, protocol, "Ingress");
    v.put("ipaddressid", ip.id());
    v.put("ipaddress", ip.text("ipaddress"));
    v.put("networkid", ip.text("associatednetworkid") == null ? ip.text("networkid") : ip.text("associatednetworkid"));
    return createRule(s, ctx, FIREWALL_RULE, "FirewallRule", "firewallrule", v);
  }

  private CommandOutcome createEgressRule(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource network = ctx.resource("networkid", NETWORK);
    if (network.owner() == null) {
      throw ApiException.invalidParameterValue("Egress firewall rules are not supported on shared network " + network.name());
    }
    String protocol = protocol(ctx, true);
    ObjectNode v = ruleView(ctx, protocol, "Egress");
    v.put("networkid", network.id());
    v.put("cidrlist", ctx.params().has("cidrlist") ? String.join(",", ctx.params().list("cidrlist")) : network.text("cidr"));
    v.put("destcidrlist", String.join(",", ctx.params().list("destcidrlist")));
    return createRule(s, ctx, EGRESS_FIREWALL_RULE, "FirewallRule", "firewallrule", v);
  }

  private static CommandOutcome createRule(CloudState s, CommandContext ctx, ResourceKind kind, String instanceType,
      String resultKey, ObjectNode view) {
    Resource rule = s.add(kind, s.newId(), ctx.account(), view, false);
    return new CommandOutcome.Async(rule.id(), instanceType, rule.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        rule.view().put("state", "Active");
        return Lists.wrap(resultKey, s.render(rule));
      }

      @Override
      public void failed(ApiException cause) {
        removeRule(s, rule);
      }
    });
  }

  private CommandOutcome createPortForwarding(CommandContext ctx) {
    CloudState s = ctx.state();
    var p = ctx.params();
    Resource ip = ctx.resource("ipaddressid", PUBLIC_IP_ADDRESS);
    Resource vm = ctx.resource("virtualmachineid", VIRTUAL_MACHINE);
    String protocol = p.get("protocol").toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw ApiException.invalidParameterValue("Invalid protocol " + p.get("protocol") + " for port forwarding: use TCP or UDP");
    }
    if (ip.view().path("isstaticnat").asBoolean()) {
      throw new ApiException(537, 4360, "Can't create port forwarding rule: static nat is enabled on ip " + ip.text("ipaddress"));
    }
    int publicPort = p.integer("publicport");
    int publicEnd = p.integer("publicendport") == null ? publicPort : p.integer("publicendport");
    int privatePort = p.integer("privateport");
    int privateEnd = p.integer("privateendport") == null ? privatePort : p.integer("privateendport");
    for (int port : new int[] {publicPort, publicEnd, privatePort, privateEnd}) {
      if (port < 1 || port > 65535) {
        throw ApiException.invalidParameterValue("Invalid port " + port + ": ports must be between 1 and 65535");
      }
    }
    for (ResourceKind kind : List.of(PORT_FORWARDING_RULE, LOAD_BALANCER_RULE)) {
      for (Resource other : s.all(kind)) {
        String otherIp = kind == LOAD_BALANCER_RULE ? other.text("publicipid") : other.text("ipaddressid");
        int otherStart = Integer.parseInt(other.text("publicport"));
        int otherEnd = kind == LOAD_BALANCER_RULE ? otherStart : Integer.parseInt(other.text("publicendport"));
        if (ip.id().equals(otherIp) && protocol.equalsIgnoreCase(other.text("protocol")) && publicPort <= otherEnd && otherStart <= publicEnd) {
          throw new ApiException(537, 4360, "The range specified, " + publicPort + "-" + publicEnd + ", conflicts with rule "
              + other.id() + " which has " + otherStart + "-" + otherEnd);
        }
      }
    }
    ObjectNode v = JSON.objectNode();
    v.put("privateport", String.valueOf(privatePort));
    v.put("privateendport", String.valueOf(privateEnd));
    v.put("protocol", protocol);
    v.put("publicport", String.valueOf(publicPort));
    v.put("publicendport", String.valueOf(publicEnd));
    v.put("virtualmachineid", vm.id());
    v.put("virtualmachinename", vm.name());
    v.put("virtualmachinedisplayname", vm.text("displayname"));
    v.put("ipaddressid", ip.id());
    v.put("ipaddress", ip.text("ipaddress"));
    v.put("state", "Add");
    v.put("cidrlist", String.join(",", p.list("cidrlist")));
    v.put("networkid", p.get("networkid", vm.view().path("nic").path(0).path("networkid").asText()));
    v.put("fordisplay", p.bool("fordisplay", true));
    v.put("vmguestip", p.get("vmguestip", vm.view().path("nic").path(0).path("ipaddress").asText()));
    Resource rule = s.add(PORT_FORWARDING_RULE, s.newId(), ctx.account(), v, false);
    if (p.bool("openfirewall", true)) {
      ObjectNode fw = JSON.objectNode();
      fw.put("protocol", protocol);
      fw.put("startport", publicPort);
      fw.put("endport", publicEnd);
      fw.put("state", "Active");
      fw.put("cidrlist", "0.0.0.0/0");
      fw.put("fordisplay", true);
      fw.put("traffictype", "Ingress");
      fw.put("ipaddressid", ip.id());
      fw.put("ipaddress", ip.text("ipaddress"));
      fw.put("networkid", v.path("networkid").asText());
      rule.hidden().put(OPENED_FIREWALL, s.add(FIREWALL_RULE, s.newId(), ctx.account(), fw, false).id());
    }
    return new CommandOutcome.Async(rule.id(), "PortForwardingRule", rule.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        rule.view().put("state", "Active");
        return Lists.wrap("portforwardingrule", s.render(rule));
      }

      @Override
      public void failed(ApiException cause) {
        removeRule(s, rule);
      }
    });
  }

  private static void removeRule(CloudState s, Resource rule) {
    Object opened = rule.hidden().get(OPENED_FIREWALL);
    if (opened != null) {
      s.byId((String) opened).ifPresent(s::remove);
    }
    s.remove(rule);
  }

  private CommandOutcome deleteRule(CommandContext ctx, ResourceKind kind, String instanceType) {
    Resource rule = ctx.resource("id", kind);
    return new CommandOutcome.Async(null, instanceType, rule.id(), () -> {
      removeRule(ctx.state(), rule);
      return null;
    });
  }
}
