package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.NETWORK;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.NETWORK_OFFERING;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.PUBLIC_IP_ADDRESS;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VIRTUAL_MACHINE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VPC;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VPC_OFFERING;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.ZONE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.NetworkViews;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.http.Envelopes;
import org.stacktician.cloudstack.simulator.jobs.JobWork;

/** Guest networks, VPCs and their offerings. */
public final class NetworkCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final String NEXT_HOST = "nexthost";

  @Override
  public void register(CommandRegistry r) {
    r.register("createNetwork", "network.CreateNetworkCmd", this::create);
    r.register("deleteNetwork", "network.DeleteNetworkCmd", this::delete);
    r.register("listNetworks", "network.ListNetworksCmd", this::list);
    r.register("listNetworkOfferings", "network.ListNetworkOfferingsCmd", ctx -> Lists.list(ctx, NETWORK_OFFERING, "networkoffering",
        o -> Lists.matches(ctx, o, "guestiptype", "guestiptype") && Lists.matches(ctx, o, "forvpc", "forvpc")
            && Lists.matches(ctx, o, "state", "state") && Lists.matches(ctx, o, "traffictype", "traffictype")));
    r.register("createVPC", "vpc.CreateVPCCmd", this::createVpc);
    r.register("deleteVPC", "vpc.DeleteVPCCmd", this::deleteVpc);
    r.register("listVPCs", "vpc.ListVPCsCmd", ctx -> Lists.list(ctx, VPC, "vpc",
        v -> Lists.matches(ctx, v, "zoneid", "zoneid") && Lists.matches(ctx, v, "state", "state")
            && Lists.matches(ctx, v, "cidr", "cidr") && Lists.matches(ctx, v, "vpcofferingid", "vpcofferingid")));
    r.register("listVPCOfferings", "vpc.ListVPCOfferingsCmd", ctx -> Lists.list(ctx, VPC_OFFERING, "vpcoffering",
        o -> Lists.matches(ctx, o, "state", "state")));
  }

  /** The next free guest address of a network (x.y.z.2 onwards; .1 is the gateway). */
  static String allocateGuestIp(Resource network) {
    String cidr = network.text("cidr");
    int next = (Integer) network.hidden().getOrDefault(NEXT_HOST, 2);
    network.hidden().put(NEXT_HOST, next + 1);
    String base = cidr.substring(0, cidr.lastIndexOf('.') + 1);
    if (next < 255) {
      return base + next;
    }
    String[] o = cidr.split("[./]");
    return o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) + next / 254) + "." + (2 + next % 252);
  }

  private CommandOutcome create(CommandContext ctx) {
    CloudState s = ctx.state();
    var p = ctx.params();
    Resource zone = ctx.resource("zoneid", ZONE);
    Resource offering = ctx.resource("networkofferingid", NETWORK_OFFERING);
    Resource vpc = ctx.optionalResource("vpcid", VPC);
    boolean forVpc = offering.view().path("forvpc").asBoolean();
    if (forVpc && vpc == null) {
      throw ApiException.invalidParameterValue("Network offering " + offering.name() + " can be used for VPC networks only");
    }
    if (!forVpc && vpc != null) {
      throw ApiException.invalidParameterValue("Network offering " + offering.name() + " can't be used for VPC networks");
    }
    if ("Shared".equals(offering.text("guestiptype"))) {
      throw ApiException.invalidParameterValue("Only ROOT admin can create shared networks in this simulated cloud");
    }
    String gateway = p.get("gateway");
    String netmask = p.get("netmask");
    if ((gateway == null) != (netmask == null)) {
      throw ApiException.invalidParameterValue("gateway and netmask must be specified together");
    }
    if (vpc != null && gateway == null) {
      throw ApiException.invalidParameterValue("Gateway and netmask are required when creating a VPC network tier");
    }
    String cidr;
    if (gateway != null) {
      int bits = maskBits(netmask);
      String[] g = gateway.split("\\.");
      if (g.length != 4 || bits < 8) {
        throw ApiException.invalidParameterValue("Invalid gateway " + gateway + " or netmask " + netmask);
      }
      cidr = networkAddress(gateway, bits) + "/" + bits;
    } else {
      long n = s.nextSequence() % 250;
      gateway = "10.1." + n + ".1";
      netmask = "255.255.255.0";
      cidr = "10.1." + n + ".0/24";
    }
    ObjectNode view = NetworkViews.network(p.get("name"), p.get("displaytext", p.get("name")), zone, offering, gateway, netmask,
        cidr, offering.text("guestiptype"), s.now());
    CloudState.owner(view, ctx.account());
    if (vpc != null) {
      view.put("vpcid", vpc.id());
      view.put("vpcname", vpc.name());
      if (p.has("aclid")) view.put("aclid", p.get("aclid"));
    }
    if (p.has("networkdomain")) view.put("networkdomain", p.get("networkdomain"));
    if (p.has("displaynetwork")) view.put("displaynetwork", p.bool("displaynetwork", true));
    Resource network = s.add(NETWORK, s.newId(), ctx.account(), view, false);
    if (vpc != null) {
      ((ArrayNode) vpc.view().withArray("network")).add(JSON.objectNode().put("id", network.id()).put("name", network.name()));
    }
    return new CommandOutcome.Sync(Lists.wrap("network", s.render(network)));
  }

  private static int maskBits(String netmask) {
    String[] parts = netmask.split("\\.");
    if (parts.length != 4) {
      throw ApiException.invalidParameterValue("Invalid netmask " + netmask);
    }
    int bits = 0;
    for (String part : parts) {
      try {
        bits += Integer.bitCount(Integer.parseInt(part) & 0xff);
      } catch (NumberFormatException e) {
        throw ApiException.invalidParameterValue("Invalid netmask " + netmask);
      }
    }
    return bits;
  }

  private static String networkAddress(String ip, int bits) {
    String[] g = ip.split("\\.");
    long value = 0;
    for (String octet : g) {
      value = (value << 8) | (Integer.parseInt(octet) & 0xff);
    }
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    long net = value & mask;
    return ((net >> 24) & 0xff) + "." + ((net >> 16) & 0xff) + "." + ((net >> 8) & 0xff) + "." + (net & 0xff);
  }

  private CommandOutcome delete(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource network = ctx.resource("id", NETWORK);
    if (network.owner() == null) {
      throw ApiException.invalidParameterValue("Account " + ctx.account().name() + " can't delete shared network " + network.name());
    }
    return new CommandOutcome.Async(null, "Network", network.id(), () -> {
      for (Resource vm : s.all(VIRTUAL_MACHINE)) {
        if (VirtualMachineCommands.contains(vm.view().path("nic"), "networkid", network.id())) {
          throw new ApiException(530, ApiException.CS_SERVER_API, "Failed to delete network");
        }
      }
      for (Resource ip : s.all(PUBLIC_IP_ADDRESS)) {
        if (network.id().equals(ip.text("associatednetworkid"))) {
          AddressCommands.release(s, ip);
        }
      }
      AddressCommands.removeEgressRules(s, network);
      String vpcId = network.text("vpcid");
      if (vpcId != null) {
        s.byId(vpcId).ifPresent(vpc -> {
          var it = vpc.view().withArray("network").elements();
          while (it.hasNext()) {
            if (network.id().equals(it.next().path("id").asText())) it.remove();
          }
        });
      }
      s.remove(network);
      return null;
    });
  }

  private CommandOutcome list(CommandContext ctx) {
    var p = ctx.params();
    // the account's own networks first, then the shared ones it may use
    List<Resource> candidates = new java.util.ArrayList<>(ctx.state().list(NETWORK, ctx.account()));
    candidates.sort(java.util.Comparator.comparing(n -> n.owner() == null));
    return new CommandOutcome.Sync(Lists.listBody(ctx, candidates, "network", n -> Lists.matches(ctx, n, "zoneid", "zoneid")
        && Lists.matches(ctx, n, "vpcid", "vpcid") && Lists.matches(ctx, n, "type", "type")
        && Lists.matches(ctx, n, "networkofferingid", "networkofferingid") && Lists.matches(ctx, n, "acltype", "acltype")
        && Lists.matches(ctx, n, "traffictype", "traffictype")
        && (!p.has("forvpc") || p.bool("forvpc", false) == (n.text("vpcid") != null))
        && (!p.has("canusefordeploy") || p.bool("canusefordeploy", true) == n.view().path("canusefordeploy").asBoolean())));
  }

  private CommandOutcome createVpc(CommandContext ctx) {
    CloudState s = ctx.state();
    var p = ctx.params();
    Resource zone = ctx.resource("zoneid", ZONE);
    Resource offering = ctx.resource("vpcofferingid", VPC_OFFERING);
    String cidr = p.get("cidr");
    var m = CIDR.matcher(cidr);
    if (!m.matches() || Integer.parseInt(m.group(5)) > 30) {
      throw ApiException.invalidParameterValue("Invalid CIDR specified " + cidr);
    }
    ObjectNode v = JSON.objectNode();
    v.put("name", p.get("name"));
    v.put("displaytext", p.get("displaytext"));
    v.put("state", "Inactive");
    v.put("zoneid", zone.id());
    v.put("zonename", zone.name());
    var services = v.putArray("service");
    for (String service : List.of("Dns", "Dhcp", "SourceNat", "StaticNat", "PortForwarding", "Lb", "NetworkACL", "UserData")) {
      services.addObject().put("name", service).putArray("provider").addObject().put("name", "VpcVirtualRouter");
    }
    v.put("cidr", cidr);
    v.put("vpcofferingid", offering.id());
    v.put("vpcofferingname", offering.name());
    v.put("created", s.now());
    CloudState.owner(v, ctx.account());
    v.putArray("network");
    v.put("restartrequired", false);
    v.put("networkdomain", p.get("networkdomain", "cs.simulator"));
    v.put("fordisplay", p.bool("fordisplay", true));
    v.put("distributedvpcrouter", false);
    v.put("regionlevelvpc", false);
    v.put("redundantvpcrouter", false);
    v.put("hasannotations", false);
    v.put("dns1", zone.text("dns1"));
    v.put("dns2", zone.text("dns2"));
    Resource vpc = s.add(VPC, s.newId(), ctx.account(), v, false);
    return new CommandOutcome.Async(vpc.id(), "Vpc", vpc.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        vpc.view().put("state", "Enabled");
        return Lists.wrap("vpc", s.render(vpc));
      }

      @Override
      public void failed(ApiException cause) {
        s.remove(vpc);
      }
    });
  }

  private CommandOutcome deleteVpc(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource vpc = ctx.resource("id", VPC);
    return new CommandOutcome.Async(null, "Vpc", vpc.id(), () -> {
      List<Resource> tiers = s.all(NETWORK).stream().filter(n -> vpc.id().equals(n.text("vpcid"))).toList();
      if (!tiers.isEmpty()) {
        throw ApiException.invalidParameterValue("Can't delete VPC " + vpc.name() + " as it has " + tiers.size() + " network tier(s)");
      }
      for (Resource ip : s.all(PUBLIC_IP_ADDRESS)) {
        if (vpc.id().equals(ip.text("vpcid"))) AddressCommands.release(s, ip);
      }
      s.remove(vpc);
      return Envelopes.success();
    });
  }
}
