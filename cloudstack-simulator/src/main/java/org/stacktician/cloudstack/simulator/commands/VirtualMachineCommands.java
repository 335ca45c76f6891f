package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.AFFINITY_GROUP;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.DISK_OFFERING;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.INSTANCE_GROUP;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.NETWORK;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.OS_TYPE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.SECURITY_GROUP;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.SERVICE_OFFERING;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.SSH_KEY_PAIR;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.TEMPLATE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VIRTUAL_MACHINE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VOLUME;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.ZONE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.cloud.ResourceKind;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.jobs.JobWork;

/**
 * Virtual machines: deploy (with root and optional data volume, NICs, security and affinity
 * groups, key pairs, user data), start, stop, reboot, destroy, expunge, update (security groups while stopped),
 * change offering, list.
 */
public final class VirtualMachineCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern HOST_NAME = Pattern.compile("[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
  /** Hidden attribute: the VM's user data in Base64. */
  public static final String USERDATA = "userdata";

  @Override
  public void register(CommandRegistry r) {
    r.register("deployVirtualMachine", "vm.DeployVMCmd", this::deploy);
    r.register("destroyVirtualMachine", "vm.DestroyVMCmd", this::destroy);
    r.register("expungeVirtualMachine", "vm.ExpungeVMCmd", this::expunge);
    r.register("startVirtualMachine", "vm.StartVMCmd", this::start);
    r.register("stopVirtualMachine", "vm.StopVMCmd", this::stop);
    r.register("rebootVirtualMachine", "vm.RebootVMCmd", this::reboot);
    r.register("updateVirtualMachine", "vm.UpdateVMCmd", this::update);
    r.register("changeServiceForVirtualMachine", "vm.UpgradeVMCmd", this::changeService);
    r.register("listVirtualMachines", "vm.ListVMsCmd", this::list);
  }

  private CommandOutcome deploy(CommandContext ctx) {
    CloudState s = ctx.state();
    Account a = ctx.account();
    Params p = ctx.params();
    Resource zone = ctx.resource("zoneid", ZONE);
    Resource offering = ctx.resource("serviceofferingid", SERVICE_OFFERING);
    Resource template = ctx.resource("templateid", TEMPLATE);
    Resource diskOffering = ctx.optionalResource("diskofferingid", DISK_OFFERING);
    if (p.has("securitygroupids") && p.has("securitygroupnames")) {
      throw ApiException.invalidParameterValue("securitygroupids parameter is mutually exclusive with securitygroupnames parameter");
    }
    if (p.has("affinitygroupids") && p.has("affinitygroupnames")) {
      throw ApiException.invalidParameterValue("affinitygroupids parameter is mutually exclusive with affinitygroupnames parameter");
    }
    String userData = p.has("userdata") ? UserData.validate(p.get("userdata"), ctx.post(), ctx.services().config().userDataMaxLength()) : null;
    // iptonetworklist[i].networkid/.ip: the networks of the VM's NICs with the address each asks for.
    List<Map<String, String>> ipToNetwork = p.map("iptonetworklist");
    if (!ipToNetwork.isEmpty() && p.has("networkids")) {
      throw ApiException.invalidParameterValue("NetworkIds can't be specified along with ipToNetworkList");
    }
    List<String> requestedIps = new ArrayList<>();
    List<Resource> networks;
    if (ipToNetwork.isEmpty()) {
      networks = p.has("networkids") ? p.resources(s, a, "networkids", NETWORK) : defaultNetworks(s, a, zone);
    } else {
      networks = new ArrayList<>();
      for (Map<String, String> entry : ipToNetwork) {
        String networkId = entry.get("networkid");
        if (networkId == null) {
          throw ApiException.invalidParameterValue("Unable to find network: iptonetworklist entries need a networkid");
        }
        networks.add(p.lookup(s, a, "iptonetworklist", networkId, NETWORK));
        requestedIps.add(entry.get("ip"));
      }
    }
    for (Resource n : networks) {
      if (!zone.id().equals(n.text("zoneid"))) {
        throw ApiException.invalidParameterValue("Network " + n.name() + " does not belong to zone " + zone.name());
      }
    }
    List<Resource> groups = securityGroups(ctx, s, a);
    List<Resource> affinity = p.has("affinitygroupids") ? p.resources(s, a, "affinitygroupids", AFFINITY_GROUP)
        : byNames(ctx, AFFINITY_GROUP, "affinitygroupnames");
    List<String> keyPairs = new ArrayList<>(p.list("keypairs"));
    if (p.has("keypair")) keyPairs.add(0, p.get("keypair"));
    for (String kp : keyPairs) {
      if (s.list(SSH_KEY_PAIR, a).stream().noneMatch(k -> kp.equals(k.name()))) {
        throw ApiException.invalidParameterValue("Unable to find key pair by name " + kp);
      }
    }
    long seq = s.nextSequence();
    String name = p.get("name");
    if (name != null) {
      if (!HOST_NAME.matcher(name).matches()) {
        throw ApiException.invalidParameterValue("Invalid name. Vm name can contain ASCII letters 'a' through 'z', the digits '0'"
            + " through '9', and the hyphen ('-'), must be between 1 and 63 characters long, and can't start or end with \"-\" and can't start with digit");
      }
      for (Resource vm : s.list(VIRTUAL_MACHINE, a)) {
        if (name.equalsIgnoreCase(vm.name()) && !"Expunging".equals(vm.text("state"))) {
          throw ApiException.invalidParameterValue("The vm with hostName " + name + " already exists in the network domain: cs.simulator; network="
              + networks.get(0).name());
        }
      }
    }
    String id = s.newId();
    String hostName = name != null ? name : "VM-" + id;
    ObjectNode vm = JSON.objectNode();
    vm.put("name", hostName);
    vm.put("displayname", p.get("displayname", hostName));
    CloudState.owner(vm, a);
    vm.put("userid", a.userId());
    vm.put("username", a.username());
    vm.put("created", s.now());
    vm.put("state", "Starting");
    vm.put("haenable", false);
    vm.put("zoneid", zone.id());
    vm.put("zonename", zone.name());
    vm.put("templateid", template.id());
    vm.put("templatename", template.name());
    vm.put("templatedisplaytext", template.text("displaytext"));
    vm.put("passwordenabled", template.view().path("passwordenabled").asBoolean());
    offering(vm, offering);
    vm.put("cpuused", "0%");
    for (String counter : List.of("networkkbsread", "networkkbswrite", "diskkbsread", "diskkbswrite", "memorykbs",
        "memoryintfreekbs", "memorytargetkbs", "diskioread", "diskiowrite", "receivedbytes", "sentbytes")) {
      vm.put(counter, 0);
    }
    vm.put("guestosid", template.text("ostypeid"));
    vm.put("ostypeid", template.text("ostypeid"));
    vm.put("osdisplayname", template.text("ostypename"));
    vm.put("rootdeviceid", 0);
    vm.put("rootdevicetype", "ROOT");
    ArrayNode sgs = vm.putArray("securitygroup");
    groups.forEach(g -> sgs.add(reference(g, "description")));
    ArrayNode nics = vm.putArray("nic");
    boolean first = true;
    for (int i = 0; i < networks.size(); i++) {
      String requested = i < requestedIps.size() ? requestedIps.get(i) : first ? p.get("ipaddress") : null;
      nics.add(nic(s, networks.get(i), first, requested));
      first = false;
    }
    vm.put("hypervisor", "Simulator");
    vm.put("instancename", "i-" + (a.name().length()) + "-" + seq + "-VM");
    ObjectNode details = vm.putObject("details");
    for (Map<String, String> d : p.map("details")) d.forEach(details::put);
    ArrayNode ags = vm.putArray("affinitygroup");
    affinity.forEach(g -> ags.add(reference(g, "type")));
    vm.put("displayvm", p.bool("displayvm", true));
    vm.put("isdynamicallyscalable", p.bool("dynamicscalingenabled", false));
    vm.put("bootmode", p.get("bootmode", "legacy"));
    vm.put("boottype", p.get("boottype", "Bios"));
    vm.put("forvirtualnetwork", false);
    vm.put("hasannotations", false);
    if (!keyPairs.isEmpty()) vm.put("keypairs", String.join(",", keyPairs));
    if (p.has("group")) group(s, a, vm, p.get("group"));
    Resource created = s.add(VIRTUAL_MACHINE, id, a, vm, false);
    if (userData != null) created.hidden().put(USERDATA, userData);

    Resource root = volume(s, a, zone, "ROOT-" + seq, "ROOT", template.view().path("size").asLong(), null, created, 0);
    Resource data = diskOffering == null ? null
        : volume(s, a, zone, "DATA-" + seq, "DATADISK", sizeOf(diskOffering, p.longValue("size")), diskOffering, created, 1);
    boolean startVm = p.bool("startvm", true);
    return new CommandOutcome.Async(id, "VirtualMachine", id, new JobWork() {
      @Override
      public ObjectNode complete() {
        Integer max = s.capacity().virtualMachines();
        // capacity goes to deployments in the order they were requested
        long running = s.all(VIRTUAL_MACHINE).stream().takeWhile(v -> v != created)
            .filter(v -> !List.of("Error", "Destroyed", "Expunging").contains(v.text("state"))).count();
        if (max != null && running >= max) {
          throw ApiException.insufficientCapacity(4335, "Unable to create a deployment for VM instance {\"id\":\"" + id
              + "\",\"instanceName\":\"" + created.text("instancename") + "\",\"type\":\"User\"}");
        }
        if (startVm) {
          running(created);
        } else {
          created.view().put("state", "Stopped");
        }
        ObjectNode result = Lists.wrap("virtualmachine", s.render(created));
        if (startVm) ctx.services().guests().booted(ctx, created);
        return result;
      }

      @Override
      public void failed(ApiException cause) {
        created.view().put("state", "Error");
        created.view().remove("hostid");
        created.view().remove("hostname");
      }
    });
  }

  private static long sizeOf(Resource diskOffering, Long sizeGb) {
    if (diskOffering.view().path("iscustomized").asBoolean()) {
      if (sizeGb == null || sizeGb <= 0) {
        throw ApiException.invalidParameterValue("This disk offering requires a custom size specified");
      }
      return sizeGb * 1024 * 1024 * 1024;
    }
    return diskOffering.view().path("disksize").asLong() * 1024 * 1024 * 1024;
  }

  /** Creates a volume attached to {@code vm} (root or data) at deploy time. */
  static Resource volume(CloudState s, Account a, Resource zone, String name, String type, long size, Resource offering,
      Resource vm, int deviceId) {
    ObjectNode v = VolumeCommands.view(s, a, zone, name, type, size, offering);
    Resource volume = s.add(VOLUME, s.newId(), a, v, false);
    VolumeCommands.attach(s, volume, vm, deviceId);
    return volume;
  }

  private static void offering(ObjectNode vm, Resource offering) {
    vm.put("serviceofferingid", offering.id());
    vm.put("serviceofferingname", offering.name());
    vm.put("cpunumber", offering.view().path("cpunumber").asInt());
    vm.put("cpuspeed", offering.view().path("cpuspeed").asInt());
    vm.put("memory", offering.view().path("memory").asInt());
  }

  private static void group(CloudState s, Account a, ObjectNode vm, String groupName) {
    Resource g = s.list(INSTANCE_GROUP, a).stream().filter(r -> groupName.equals(r.name())).findFirst()
        .orElseGet(() -> GroupCommands.createInstanceGroup(s, a, groupName));
    vm.put("group", g.name());
    vm.put("groupid", g.id());
  }

  private static ObjectNode reference(Resource r, String extraField) {
    ObjectNode o = JSON.objectNode();
    o.put("id", r.id());
    o.put("name", r.name());
    if (r.text(extraField) != null) o.put(extraField, r.text(extraField));
    return o;
  }

  private static ObjectNode nic(CloudState s, Resource network, boolean isDefault, String requestedIp) {
    ObjectNode nic = JSON.objectNode();
    nic.put("id", s.newId());
    nic.put("networkid", network.id());
    nic.put("networkname", network.name());
    nic.put("netmask", network.text("netmask"));
    nic.put("gateway", network.text("gateway"));
    nic.put("ipaddress", requestedIp != null ? requestedIp : NetworkCommands.allocateGuestIp(network));
    String vlan = "vlan://" + (1000 + Math.abs(network.id().hashCode() % 3000));
    nic.put("isolationuri", vlan);
    nic.put("broadcasturi", vlan);
    nic.put("traffictype", "Guest");
    nic.put("type", network.text("type"));
    nic.put("isdefault", isDefault);
    long mac = s.nextSequence();
    nic.put("macaddress", String.format(Locale.ROOT, "02:00:%02x:%02x:%02x:%02x", (mac >> 24) & 0xff, (mac >> 16) & 0xff, (mac >> 8) & 0xff, mac & 0xff));
    nic.putArray("secondaryip");
    nic.putArray("extradhcpoption");
    return nic;
  }

  private static List<Resource> defaultNetworks(CloudState s, Account a, Resource zone) {
    for (Resource n : s.list(NETWORK, a)) {
      if (zone.id().equals(n.text("zoneid")) && n.owner() == null) {
        return List.of(n);
      }
    }
    throw ApiException.invalidParameterValue("Unable to find a default network for zone " + zone.name() + "; specify networkids");
  }

  private List<Resource> securityGroups(CommandContext ctx, CloudState s, Account a) {
    Params p = ctx.params();
    if (p.has("securitygroupids")) {
      return p.resources(s, a, "securitygroupids", SECURITY_GROUP);
    }
    if (p.has("securitygroupnames")) {
      return byNames(ctx, SECURITY_GROUP, "securitygroupnames");
    }
    return s.list(SECURITY_GROUP, a).stream().filter(g -> "default".equals(g.name())).limit(1).toList();
  }

  private static List<Resource> byNames(CommandContext ctx, ResourceKind kind, String param) {
    List<Resource> out = new ArrayList<>();
    for (String name : ctx.params().list(param)) {
      Resource found = ctx.state().list(kind, ctx.account()).stream().filter(r -> name.equals(r.name())).findFirst()
          .orElseThrow(() -> ApiException.invalidParameterValue("Unable to find " + (kind == SECURITY_GROUP ? "security" : "affinity")
              + " group by name " + name + " for account " + ctx.account().name()));
      out.add(found);
    }
    return out;
  }

  private static void running(Resource vm) {
    vm.view().put("state", "Running");
    vm.view().put("hostid", hostId(vm));
    vm.view().put("hostname", "SimulatedAgent." + vm.text("zoneid").substring(0, 8));
  }

  private static String hostId(Resource vm) {
    return java.util.UUID.nameUUIDFromBytes(("host-" + vm.text("zoneid")).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }

  private Resource vm(CommandContext ctx) {
    return ctx.resource("id", VIRTUAL_MACHINE);
  }

  private CommandOutcome destroy(CommandContext ctx) {
    Resource vm = vm(ctx);
    CloudState s = ctx.state();
    boolean expunge = ctx.params().bool("expunge", false);
    List<Resource> volumes = ctx.params().resources(s, ctx.account(), "volumeids", VOLUME);
    if ("Destroyed".equals(vm.text("state")) && !expunge) {
      throw ApiException.invalidParameterValue("Vm with id " + vm.id() + " is already destroyed");
    }
    return async(vm, () -> {
      for (Resource v : volumes) {
        VolumeCommands.detach(v);
        s.remove(v);
      }
      vm.view().put("state", expunge ? "Expunging" : "Destroyed");
      vm.view().remove("hostid");
      vm.view().remove("hostname");
      ObjectNode result = Lists.wrap("virtualmachine", s.render(vm));
      if (expunge) {
        expungeNow(s, vm);
      }
      return result;
    });
  }

  private CommandOutcome expunge(CommandContext ctx) {
    Resource vm = vm(ctx);
    if (!"Destroyed".equals(vm.text("state")) && !"Error".equals(vm.text("state"))) {
      throw ApiException.invalidParameterValue("Please specify a vm that is in destroyed state; vm " + vm.name() + " is " + vm.text("state"));
    }
    return async(vm, () -> {
      expungeNow(ctx.state(), vm);
      return null;
    });
  }

  /** Removes a VM for good with its root volume, NAT, forwarding and load-balancer ties; data volumes are detached. */
  static void expungeNow(CloudState s, Resource vm) {
    for (Resource v : s.all(VOLUME)) {
      if (vm.id().equals(v.text("virtualmachineid"))) {
        VolumeCommands.detach(v);
        if ("ROOT".equals(v.text("type"))) s.remove(v);
      }
    }
    AddressCommands.forgetVirtualMachine(s, vm);
    s.remove(vm);
  }

  private CommandOutcome start(CommandContext ctx) {
    Resource vm = vm(ctx);
    requireState(vm, "start", "Stopped", "Running");
    return async(vm, () -> {
      if (!"Running".equals(vm.text("state"))) {
        running(vm);
        ctx.services().guests().booted(ctx, vm);
      }
      return Lists.wrap("virtualmachine", ctx.state().render(vm));
    });
  }

  private CommandOutcome stop(CommandContext ctx) {
    Resource vm = vm(ctx);
    requireState(vm, "stop", "Running", "Stopped", "Starting");
    return async(vm, () -> {
      vm.view().put("state", "Stopped");
      vm.view().remove("hostid");
      vm.view().remove("hostname");
      vm.view().putObject("details").put("Message.ReservedCapacityFreed.Flag", "false");
      return Lists.wrap("virtualmachine", ctx.state().render(vm));
    });
  }

  private CommandOutcome reboot(CommandContext ctx) {
    Resource vm = vm(ctx);
    requireState(vm, "reboot", "Running");
    return async(vm, () -> Lists.wrap("virtualmachine", ctx.state().render(vm)));
  }

  private static void requireState(Resource vm, String action, String... allowed) {
    String state = vm.text("state");
    for (String a : allowed) {
      if (a.equals(state)) return;
    }
    throw ApiException.invalidParameterValue("Unable to " + action + " VM " + vm.name() + " (" + vm.id() + ") in state " + state);
  }

  private CommandOutcome async(Resource vm, java.util.function.Supplier<ObjectNode> work) {
    return new CommandOutcome.Async(null, "VirtualMachine", vm.id(), work::get);
  }

  private CommandOutcome update(CommandContext ctx) {
    Resource vm = vm(ctx);
    Params p = ctx.params();
    CloudState s = ctx.state();
    ObjectNode v = vm.view();
    if (p.has("userdata")) {
      String ud = UserData.validate(p.get("userdata"), ctx.post(), ctx.services().config().userDataMaxLength());
      vm.hidden().put(USERDATA, ud);
    }
    if (p.has("name") && !p.get("name").equals(vm.name())) {
      if (!"Stopped".equals(vm.text("state"))) {
        throw ApiException.invalidParameterValue("Vm " + vm.name() + " should be stopped to update its name");
      }
      if (!HOST_NAME.matcher(p.get("name")).matches()) {
        throw ApiException.invalidParameterValue("Invalid name " + p.get("name"));
      }
      v.put("name", p.get("name"));
    }
    if (p.has("securitygroupids") && p.has("securitygroupnames")) {
      throw ApiException.invalidParameterValue("securitygroupids parameter is mutually exclusive with securitygroupnames parameter");
    }
    if (p.has("securitygroupids") || p.has("securitygroupnames")) {
      // As CloudStack: a VM's security groups change only while it is stopped, and the given ones replace them.
      if (!"Stopped".equals(vm.text("state"))) {
        throw ApiException.invalidParameterValue("Virtual machine " + vm.name()
            + " must be stopped prior to update security groups (state " + vm.text("state") + ")");
      }
      ArrayNode sgs = v.putArray("securitygroup");
      securityGroups(ctx, s, ctx.account()).forEach(g -> sgs.add(reference(g, "description")));
    }
    if (p.has("displayname")) v.put("displayname", p.get("displayname"));
    if (p.has("haenable")) v.put("haenable", p.bool("haenable", false));
    if (p.has("displayvm")) v.put("displayvm", p.bool("displayvm", true));
    if (p.has("isdynamicallyscalable")) v.put("isdynamicallyscalable", p.bool("isdynamicallyscalable", false));
    if (p.has("ostypeid")) {
      Resource os = ctx.resource("ostypeid", OS_TYPE);
      v.put("guestosid", os.id());
      v.put("ostypeid", os.id());
      v.put("osdisplayname", os.text("description"));
    }
    if (p.has("group")) group(s, ctx.account(), v, p.get("group"));
    if (!p.map("details").isEmpty()) {
      ObjectNode details = p.bool("cleanupdetails", false) ? v.putObject("details") : (ObjectNode) v.with("details");
      for (Map<String, String> d : p.map("details")) d.forEach(details::put);
    }
    return new CommandOutcome.Sync(Lists.wrap("virtualmachine", s.render(vm)));
  }

  private CommandOutcome changeService(CommandContext ctx) {
    Resource vm = vm(ctx);
    Resource offering = ctx.resource("serviceofferingid", SERVICE_OFFERING);
    if (!"Stopped".equals(vm.text("state"))) {
      throw ApiException.invalidParameterValue("Unable to upgrade virtual machine " + vm.name()
          + ", the virtual machine must be stopped first (state " + vm.text("state") + ")");
    }
    offering(vm.view(), offering);
    return new CommandOutcome.Sync(Lists.wrap("virtualmachine", ctx.state().render(vm)));
  }

  private CommandOutcome list(CommandContext ctx) {
    Params p = ctx.params();
    boolean withUserData = p.bool("userdata", false);
    ObjectNode body = Lists.listBody(ctx, ctx.state().list(VIRTUAL_MACHINE, ctx.account()), "virtualmachine", vm ->
        Lists.matches(ctx, vm, "state", "state")
            && Lists.matches(ctx, vm, "zoneid", "zoneid")
            && Lists.matches(ctx, vm, "templateid", "templateid")
            && Lists.matches(ctx, vm, "serviceofferingid", "serviceofferingid")
            && Lists.matches(ctx, vm, "groupid", "groupid")
            && Lists.matches(ctx, vm, "hostid", "hostid")
            && (!p.has("networkid") || contains(vm.view().path("nic"), "networkid", p.get("networkid")))
            && (!p.has("securitygroupid") || contains(vm.view().path("securitygroup"), "id", p.get("securitygroupid")))
            && (!p.has("affinitygroupid") || contains(vm.view().path("affinitygroup"), "id", p.get("affinitygroupid")))
            && (!p.has("keypair") || vm.text("keypairs") != null && List.of(vm.text("keypairs").split(",")).contains(p.get("keypair"))));
    if (withUserData) {
      for (JsonNode item : body.path("virtualmachine")) {
        ctx.state().byId(item.path("id").asText()).map(r -> (String) r.hidden().get(USERDATA))
            .ifPresent(ud -> ((ObjectNode) item).put("userdata", ud));
      }
    }
    return new CommandOutcome.Sync(body);
  }

  static boolean contains(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.path(field).asText())) return true;
    }
    return false;
  }

  /** True when {@code vm} is not (being) removed. */
  static boolean alive(Resource vm) {
    String state = vm.text("state");
    return !"Expunging".equals(state);
  }
}
