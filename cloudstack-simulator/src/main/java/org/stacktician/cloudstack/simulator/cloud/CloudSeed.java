package org.stacktician.cloudstack.simulator.cloud;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.simulator.config.AccountSpec;

/**
 * Fills a fresh {@link CloudState}: the ROOT domain's accounts with their keys, two zones, compute
 * and disk offerings, templates (including the names the original sample templates and
 * CloudStack's own simulator use), OS types, network and VPC offerings, and each zone's shared
 * guest network. Every id comes from the seeded generator, so one seed gives one cloud.
 */
public final class CloudSeed {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** The public address range of each zone (TEST-NET blocks), in zone order. */
  public static final List<String> PUBLIC_PREFIXES = List.of("203.0.113.", "198.51.100.");

  private final CloudState state;
  private String rootDomainId;

  private CloudSeed(CloudState state) {
    this.state = state;
  }

  /** Seeds {@code state} with {@code accounts} and the fixed catalogue. */
  public static void seed(CloudState state, List<AccountSpec> accounts) {
    new CloudSeed(state).run(accounts);
  }

  private void run(List<AccountSpec> accounts) {
    rootDomainId = state.newId();
    for (AccountSpec spec : accounts) {
      String apiKey = spec.apiKey() != null ? spec.apiKey() : state.token(48);
      String secret = spec.secretKey() != null ? spec.secretKey() : state.token(48);
      state.addAccount(new Account(state.newId(), spec.name(), rootDomainId, "ROOT", state.newId(), spec.name(),
          new Credentials(apiKey, secret)));
    }
    String created = state.now();
    List<Resource> zones = List.of(
        zone("Sandbox-simulator", "Advanced zone with security groups", "10.1.0.0/16"),
        zone("Sandbox-simulator-2", "Second advanced zone", "10.2.0.0/16"));

    serviceOffering("Small Instance", "Small Instance, 1 vCPU, 500 MHz, 512 MB", 1, 500, 512, created);
    serviceOffering("Medium Instance", "Medium Instance, 1 vCPU, 1 GHz, 1 GB", 1, 1000, 1024, created);
    serviceOffering("Large Instance", "Large Instance, 2 vCPU, 2 GHz, 4 GB", 2, 2000, 4096, created);
    for (String[] aws : new String[][] {
        {"t1.micro", "1", "500", "613"}, {"m1.small", "1", "1000", "1740"},
        {"m1.medium", "1", "2000", "3840"}, {"m1.large", "2", "2000", "7680"}}) {
      serviceOffering(aws[0], aws[0] + " sized offering", Integer.parseInt(aws[1]), Integer.parseInt(aws[2]),
          Integer.parseInt(aws[3]), created);
    }

    diskOffering("Small", "Small Disk, 5 GB", 5, false, created);
    diskOffering("Medium", "Medium Disk, 20 GB", 20, false, created);
    diskOffering("Large", "Large Disk, 100 GB", 100, false, created);
    diskOffering("Custom", "Custom Disk", 0, true, created);

    String centos = osType("CentOS 5.6 (64-bit)");
    String ubuntu = osType("Ubuntu 22.04 LTS");
    String windows = osType("Windows Server 2012 R2 (64-bit)");
    String amazon = osType("Amazon Linux 2 (64-bit)");
    Resource zone = zones.get(0);
    template("CentOS 5.6 (64-bit) no GUI (Simulator)", "CentOS 5.6 (64-bit) no GUI (Simulator)", centos, "CentOS 5.6 (64-bit)", zone, created, true);
    template("Ubuntu 22.04 LTS", "Ubuntu 22.04 LTS server (cloud-init)", ubuntu, "Ubuntu 22.04 LTS", zone, created, false);
    template("Windows Server 2012 R2", "Windows Server 2012 R2 with cfn-init", windows, "Windows Server 2012 R2 (64-bit)", zone, created, false);
    template("Amazon Linux 2", "Amazon Linux 2 with aws-cfn-bootstrap", amazon, "Amazon Linux 2 (64-bit)", zone, created, false);

    Resource isolated = networkOffering("DefaultIsolatedNetworkOfferingWithSourceNatService",
        "Offering for Isolated networks with Source Nat service enabled", "Isolated", false, true, created);
    networkOffering("DefaultIsolatedNetworkOfferingForVpcNetworks",
        "Offering for Isolated VPC networks with Source Nat service enabled", "Isolated", true, false, created);
    Resource shared = networkOffering("DefaultSharedNetworkOfferingWithSGService",
        "Offering for Shared Security group enabled networks", "Shared", false, false, created);
    isolated.view().put("isdefault", true);

    ObjectNode vpcOffering = JSON.objectNode();
    vpcOffering.put("name", "Default VPC offering");
    vpcOffering.put("displaytext", "Default VPC offering");
    vpcOffering.put("isdefault", true);
    vpcOffering.put("state", "Enabled");
    vpcOffering.put("created", created);
    vpcOffering.put("distributedvpcrouter", false);
    vpcOffering.put("supportsregionLevelvpc", false);
    vpcOffering.put("internetprotocol", "IPv4");
    vpcOffering.putArray("service");
    state.add(ResourceKind.VPC_OFFERING, state.newId(), null, vpcOffering, true);

    for (Resource z : zones) {
      sharedNetwork(z, shared, created);
    }
  }

  private Resource zone(String name, String description, String guestCidr) {
    ObjectNode z = JSON.objectNode();
    z.put("name", name);
    z.put("description", description);
    z.put("dns1", "8.8.8.8");
    z.put("dns2", "8.8.4.4");
    z.put("internaldns1", "10.0.0.2");
    z.put("guestcidraddress", guestCidr);
    z.put("networktype", "Advanced");
    z.put("securitygroupsenabled", true);
    z.put("allocationstate", "Enabled");
    z.put("zonetoken", state.newId());
    z.put("dhcpprovider", "VirtualRouter");
    z.put("localstorageenabled", false);
    z.put("type", "Core");
    z.put("hasannotations", false);
    z.putArray("tags");
    return state.add(ResourceKind.ZONE, state.newId(), null, z, true);
  }

  private void serviceOffering(String name, String text, int cpus, int mhz, int memory, String created) {
    ObjectNode o = JSON.objectNode();
    o.put("name", name);
    o.put("displaytext", text);
    o.put("cpunumber", cpus);
    o.put("cpuspeed", mhz);
    o.put("memory", memory);
    o.put("created", created);
    o.put("storagetype", "shared");
    o.put("provisioningtype", "thin");
    o.put("offerha", false);
    o.put("limitcpuuse", false);
    o.put("isvolatile", false);
    o.put("issystem", false);
    o.put("defaultuse", false);
    o.put("iscustomized", false);
    o.put("cacheMode", "none");
    o.put("hasannotations", false);
    o.put("dynamicscalingenabled", true);
    o.put("diskofferingstrictness", false);
    o.put("encryptroot", false);
    state.add(ResourceKind.SERVICE_OFFERING, state.newId(), null, o, true);
  }

  private void diskOffering(String name, String text, long sizeGb, boolean custom, String created) {
    ObjectNode o = JSON.objectNode();
    o.put("name", name);
    o.put("displaytext", text);
    o.put("disksize", sizeGb);
    o.put("created", created);
    o.put("iscustomized", custom);
    o.put("storagetype", "shared");
    o.put("provisioningtype", "thin");
    o.put("cacheMode", "none");
    o.put("displayoffering", true);
    o.put("disksizestrictness", false);
    o.put("encrypt", false);
    o.put("hasannotations", false);
    state.add(ResourceKind.DISK_OFFERING, state.newId(), null, o, true);
  }

  private String osType(String description) {
    ObjectNode o = JSON.objectNode();
    o.put("description", description);
    o.put("oscategoryid", state.newId());
    o.put("isuserdefined", false);
    return state.add(ResourceKind.OS_TYPE, state.newId(), null, o, true).id();
  }

  private void template(String name, String text, String osTypeId, String osTypeName, Resource zone, String created,
      boolean passwordEnabled) {
    ObjectNode t = JSON.objectNode();
    t.put("name", name);
    t.put("displaytext", text);
    t.put("ispublic", true);
    t.put("created", created);
    t.put("isready", true);
    t.put("passwordenabled", passwordEnabled);
    t.put("format", "VHD");
    t.put("isfeatured", true);
    t.put("crossZones", true);
    t.put("ostypeid", osTypeId);
    t.put("ostypename", osTypeName);
    t.put("account", "system");
    t.put("zoneid", zone.id());
    t.put("zonename", zone.name());
    t.put("status", "Download Complete");
    t.put("size", 2_147_483_648L);
    t.put("templatetype", "BUILTIN");
    t.put("hypervisor", "Simulator");
    t.put("domain", "ROOT");
    t.put("domainid", rootDomainId);
    t.put("isextractable", false);
    t.put("checksum", "");
    t.put("sshkeyenabled", false);
    t.put("isdynamicallyscalable", false);
    t.put("directdownload", false);
    t.put("deployasis", false);
    t.put("requireshvm", false);
    t.put("bits", 64);
    t.put("hasannotations", false);
    state.add(ResourceKind.TEMPLATE, state.newId(), null, t, true);
  }

  private Resource networkOffering(String name, String text, String guestIpType, boolean forVpc, boolean sourceNat,
      String created) {
    ObjectNode o = JSON.objectNode();
    o.put("name", name);
    o.put("displaytext", text);
    o.put("traffictype", "Guest");
    o.put("isdefault", false);
    o.put("specifyvlan", false);
    o.put("conservemode", true);
    o.put("specifyipranges", "Shared".equals(guestIpType));
    o.put("availability", sourceNat ? "Required" : "Optional");
    o.put("networkrate", 200);
    o.put("state", "Enabled");
    o.put("guestiptype", guestIpType);
    o.put("serviceofferingid", "");
    o.putArray("service");
    o.put("forvpc", forVpc);
    o.put("ispersistent", false);
    o.put("egressdefaultpolicy", true);
    o.put("supportsstrechedl2subnet", false);
    o.put("supportspublicaccess", false);
    o.put("created", created);
    o.put("internetprotocol", "IPv4");
    o.put("fortungsten", false);
    o.put("hasannotations", false);
    return state.add(ResourceKind.NETWORK_OFFERING, state.newId(), null, o, true);
  }

  private void sharedNetwork(Resource zone, Resource offering, String created) {
    String prefix = "10." + (100 + state.count(ResourceKind.NETWORK)) + ".0";
    ObjectNode n = NetworkViews.network("SharedGuestNetwork", "Shared guest network of " + zone.name(), zone, offering,
        prefix + ".1", "255.255.255.0", prefix + ".0/24", "Shared", created);
    n.put("acltype", "Domain");
    n.put("domainid", rootDomainId);
    n.put("domain", "ROOT");
    n.put("state", "Setup");
    n.put("subdomainaccess", true);
    state.add(ResourceKind.NETWORK, state.newId(), null, n, true);
  }
}
