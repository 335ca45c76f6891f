package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.NETWORK;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.NETWORK_ACL;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.jobs.JobWork;

/**
 * Network ACL items of VPC tiers (createNetworkACL, deleteNetworkACL, listNetworkACLs). An item
 * given a {@code networkid} joins that tier's ACL list; the list itself is not modelled beyond
 * its id and name.
 */
public final class NetworkAclCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "all");

  @Override
  public void register(CommandRegistry r) {
    r.register("createNetworkACL", "network.CreateNetworkACLCmd", this::create);
    r.register("deleteNetworkACL", "network.DeleteNetworkACLCmd", this::delete);
    r.register("listNetworkACLs", "network.ListNetworkACLsCmd", ctx -> Lists.list(ctx, NETWORK_ACL, "networkacl",
        a -> Lists.matches(ctx, a, "aclid", "aclid") && Lists.matches(ctx, a, "protocol", "protocol")
            && Lists.matches(ctx, a, "traffictype", "traffictype") && Lists.matches(ctx, a, "action", "action")
            && (!ctx.params().has("networkid") || ctx.params().get("networkid").equals(a.hidden().get("networkid")))));
  }

  private CommandOutcome create(CommandContext ctx) {
    CloudState s = ctx.state();
    var p = ctx.params();
    Resource network = ctx.optionalResource("networkid", NETWORK);
    if (network == null && !p.has("aclid")) {
      throw ApiException.invalidParameterValue("Network ID and ACL ID are both null; either one should be specified");
    }
    if (network != null && (network.text("vpcid") == null || network.text("vpcid").isEmpty())) {
      throw ApiException.invalidParameterValue("Network ACL can be created just for networks of type Isolated and in a VPC;"
          + " network " + network.name() + " is not in a VPC");
    }
    String protocol = p.get("protocol").toLowerCase(Locale.ROOT);
    if (!PROTOCOLS.contains(protocol) && !protocol.matches("\\d{1,3}")) {
      throw ApiException.invalidParameterValue("Invalid protocol " + p.get("protocol"));
    }
    String traffic = p.get("traffictype", "Ingress");
    if (!traffic.equalsIgnoreCase("Ingress") && !traffic.equalsIgnoreCase("Egress")) {
      throw ApiException.invalidParameterValue("Invalid traffic type " + traffic + ": use Ingress or Egress");
    }
    String aclId = p.has("aclid") ? p.get("aclid") : network.id();
    ObjectNode v = JSON.objectNode();
    v.put("protocol", protocol);
    if (p.has("startport")) v.put("startport", p.get("startport"));
    if (p.has("endport")) v.put("endport", p.get("endport", p.get("startport")));
    v.put("traffictype", traffic.substring(0, 1).toUpperCase(Locale.ROOT) + traffic.substring(1).toLowerCase(Locale.ROOT));
    v.put("state", "Add");
    v.put("cidrlist", p.has("cidrlist") ? String.join(",", p.list("cidrlist")) : "0.0.0.0/0");
    if (p.has("icmptype")) v.put("icmptype", p.integer("icmptype"));
    if (p.has("icmpcode")) v.put("icmpcode", p.integer("icmpcode"));
    v.put("aclid", aclId);
    v.put("aclname", network != null ? "acl-" + network.name() : "acl");
    v.put("number", p.has("number") ? p.integer("number") : (int) s.nextSequence());
    v.put("action", p.get("action", "Allow"));
    v.put("fordisplay", p.bool("fordisplay", true));
    if (p.has("reason")) v.put("reason", p.get("reason"));
    v.putArray("tags");
    Resource item = s.add(NETWORK_ACL, s.newId(), ctx.account(), v, false);
    if (network != null) {
      item.hidden().put("networkid", network.id());
    }
    return new CommandOutcome.Async(item.id(), "NetworkACL", item.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        item.view().put("state", "Active");
        return Lists.wrap("networkacl", s.render(item));
      }

      @Override
      public void failed(ApiException cause) {
        s.remove(item);
      }
    });
  }

  private CommandOutcome delete(CommandContext ctx) {
    Resource item = ctx.resource("id", NETWORK_ACL);
    return new CommandOutcome.Async(null, "NetworkACL", item.id(), () -> {
      ctx.state().remove(item);
      return null;
    });
  }
}
