package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.LOAD_BALANCER_RULE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.NETWORK;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.PORT_FORWARDING_RULE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.PUBLIC_IP_ADDRESS;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VIRTUAL_MACHINE;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.jobs.JobWork;

/** Load-balancer rules and their member VMs. */
public final class LoadBalancerCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String MEMBERS = "members";

  @Override
  public void register(CommandRegistry r) {
    r.register("createLoadBalancerRule", "loadbalancer.CreateLoadBalancerRuleCmd", this::create);
    r.register("deleteLoadBalancerRule", "loadbalancer.DeleteLoadBalancerRuleCmd", this::delete);
    r.register("listLoadBalancerRules", "loadbalancer.ListLoadBalancerRulesCmd", this::list);
    r.register("assignToLoadBalancerRule", "loadbalancer.AssignToLoadBalancerRuleCmd", this::assign);
    r.register("removeFromLoadBalancerRule", "loadbalancer.RemoveFromLoadBalancerRuleCmd", this::remove);
    r.register("listLoadBalancerRuleInstances", "loadbalancer.ListLoadBalancerRuleInstancesCmd", this::instances);
  }

  /** The member VM ids of a rule (mutable, kept hidden from the rule's view). */
  @SuppressWarnings("unchecked")
  static Set<String> members(Resource rule) {
    return (Set<String>) rule.hidden().computeIfAbsent(MEMBERS, k -> new LinkedHashSet<String>());
  }

  private CommandOutcome create(CommandContext ctx) {
    CloudState s = ctx.state();
    var p = ctx.params();
    Resource ip = ctx.optionalResource("publicipid", PUBLIC_IP_ADDRESS);
    Resource network = ctx.optionalResource("networkid", NETWORK);
    if (ip == null) {
      throw ApiException.invalidParameterValue(network == null
          ? "Unable to create load balancer rule: publicipid or networkid is required"
          : "Unable to find source nat ip address for network " + network.name() + "; specify publicipid");
    }
    String algorithm = p.get("algorithm").toLowerCase(Locale.ROOT);
    if (!List.of("roundrobin", "leastconn", "source").contains(algorithm)) {
      throw ApiException.invalidParameterValue("Invalid algorithm: " + p.get("algorithm"));
    }
    String protocol = p.get("protocol", "tcp").toLowerCase(Locale.ROOT);
    if (!List.of("tcp", "udp", "tcp-proxy").contains(protocol)) {
      throw ApiException.invalidParameterValue("Invalid protocol " + p.get("protocol") + " for load balancer rule");
    }
    int publicPort = p.integer("publicport");
    int privatePort = p.integer("privateport");
    for (int port : new int[] {publicPort, privatePort}) {
      if (port < 1 || port > 65535) {
        throw ApiException.invalidParameterValue("Invalid port " + port + ": ports must be between 1 and 65535");
      }
    }
    if (ip.view().path("isstaticnat").asBoolean()) {
      throw new ApiException(537, 4360, "Can't create load balancer rule: static nat is enabled on ip " + ip.text("ipaddress"));
    }
    for (Resource other : s.all(LOAD_BALANCER_RULE)) {
      if (ip.id().equals(other.text("publicipid")) && String.valueOf(publicPort).equals(other.text("publicport"))) {
        throw new ApiException(537, 4360, "The range specified, " + publicPort + "-" + publicPort + ", conflicts with rule " + other.id());
      }
    }
    for (Resource other : s.all(PORT_FORWARDING_RULE)) {
      int start = Integer.parseInt(other.text("publicport"));
      int end = Integer.parseInt(other.text("publicendport"));
      if (ip.id().equals(other.text("ipaddressid")) && publicPort >= start && publicPort <= end) {
        throw new ApiException(537, 4360, "The range specified, " + publicPort + "-" + publicPort + ", conflicts with rule " + other.id());
      }
    }
    String networkId = network != null ? network.id() : ip.text("associatednetworkid");
    ObjectNode v = JSON.objectNode();
    v.put("name", p.get("name"));
    if (p.has("description")) v.put("description", p.get("description"));
    CloudState.owner(v, ctx.account());
    v.put("algorithm", algorithm);
    v.put("cidrlist", String.join(",", p.list("cidrlist")));
    v.put("fordisplay", p.bool("fordisplay", true));
    if (networkId != null) v.put("networkid", networkId);
    v.put("privateport", String.valueOf(privatePort));
    v.put("publicport", String.valueOf(publicPort));
    v.put("protocol", protocol);
    v.put("publicip", ip.text("ipaddress"));
    v.put("publicipid", ip.id());
    v.put("state", "Add");
    v.put("zoneid", ip.text("zoneid"));
    v.put("zonename", ip.text("zonename"));
    Resource rule = s.add(LOAD_BALANCER_RULE, s.newId(), ctx.account(), v, false);
    return new CommandOutcome.Async(rule.id(), "LoadBalancerRule", rule.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        rule.view().put("state", "Active");
        return Lists.wrap("loadbalancer", s.render(rule));
      }

      @Override
      public void failed(ApiException cause) {
        s.remove(rule);
      }
    });
  }

  private CommandOutcome delete(CommandContext ctx) {
    Resource rule = ctx.resource("id", LOAD_BALANCER_RULE);
    return new CommandOutcome.Async(null, "LoadBalancerRule", rule.id(), () -> {
      ctx.state().remove(rule);
      return null;
    });
  }

  private CommandOutcome list(CommandContext ctx) {
    String vmId = ctx.params().get("virtualmachineid");
    return Lists.list(ctx, LOAD_BALANCER_RULE, "loadbalancerrule", r -> Lists.matches(ctx, r, "publicipid", "publicipid")
        && Lists.matches(ctx, r, "zoneid", "zoneid") && Lists.matches(ctx, r, "networkid", "networkid")
        && (vmId == null || members(r).contains(vmId)));
  }

  private List<Resource> vms(CommandContext ctx) {
    var p = ctx.params();
    List<Resource> vms = new ArrayList<>(p.resources(ctx.state(), ctx.account(), "virtualmachineids", VIRTUAL_MACHINE));
    for (Map<String, String> entry : p.map("vmidipmap")) {
      String id = entry.get("vmid");
      if (id != null) vms.add(p.lookup(ctx.state(), ctx.account(), "vmidipmap", id, VIRTUAL_MACHINE));
    }
    if (vms.isEmpty()) {
      throw ApiException.invalidParameterValue("Provide either virtualmachineids or vmidipmap");
    }
    return vms;
  }

  private CommandOutcome assign(CommandContext ctx) {
    Resource rule = ctx.resource("id", LOAD_BALANCER_RULE);
    List<Resource> vms = vms(ctx);
    return new CommandOutcome.Async(null, "LoadBalancerRule", rule.id(), () -> {
      Set<String> members = members(rule);
      for (Resource vm : vms) {
        if (members.contains(vm.id())) {
          throw ApiException.invalidParameterValue("VM " + vm.name() + " is already mapped to load balancer rule " + rule.name());
        }
        if (!VirtualMachineCommands.alive(vm) || "Destroyed".equals(vm.text("state"))) {
          throw ApiException.invalidParameterValue("Invalid state of VM " + vm.name() + " for load balancing: " + vm.text("state"));
        }
      }
      vms.forEach(vm -> members.add(vm.id()));
      return null;
    });
  }

  private CommandOutcome remove(CommandContext ctx) {
    Resource rule = ctx.resource("id", LOAD_BALANCER_RULE);
    List<Resource> vms = vms(ctx);
    return new CommandOutcome.Async(null, "LoadBalancerRule", rule.id(), () -> {
      Set<String> members = members(rule);
      for (Resource vm : vms) {
        if (!members.contains(vm.id())) {
          throw ApiException.invalidParameterValue("VM " + vm.name() + " is not assigned to load balancer rule " + rule.name());
        }
      }
      vms.forEach(vm -> members.remove(vm.id()));
      return null;
    });
  }

  private CommandOutcome instances(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource rule = ctx.resource("id", LOAD_BALANCER_RULE);
    boolean applied = ctx.params().bool("applied", true);
    List<ObjectNode> items = new ArrayList<>();
    if (applied) {
      for (String id : members(rule)) {
        s.byId(id).ifPresent(vm -> items.add(s.render(vm)));
      }
    } else {
      for (Resource vm : s.list(VIRTUAL_MACHINE, ctx.account())) {
        if (!members(rule).contains(vm.id()) && VirtualMachineCommands.alive(vm)) items.add(s.render(vm));
      }
    }
    return new CommandOutcome.Sync(Lists.page(ctx, items, "loadbalancerruleinstance"));
  }
}
