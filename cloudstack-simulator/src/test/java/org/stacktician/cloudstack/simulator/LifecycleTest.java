package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.WAIT;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.idOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.AsyncJobFailedException;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.Latency;

/** Whole resource lifecycles through the real client, account scoping, and the inventory's leak view. */
class LifecycleTest {

  @Test
  void everyResourceKindCanBeCreatedChangedAndRemovedLeavingNothingBehind() {
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient c = SimulatorTesting.client(sim);
        CloudStackClient other = SimulatorTesting.client(sim, sim.account("tenant2").credentials())) {
      assertThat(sim.inventory().created()).isEmpty();
      String zone = idOf(c, "listZones", Map.of(), "Sandbox-simulator");
      String small = idOf(c, "listServiceOfferings", Map.of(), "Small Instance");
      String medium = idOf(c, "listServiceOfferings", Map.of(), "Medium Instance");
      String template = idOf(c, "listTemplates", Map.of("templatefilter", "executable"), "CentOS 5.6 (64-bit) no GUI (Simulator)");
      String diskOffering = idOf(c, "listDiskOfferings", Map.of(), "Small");
      assertThat(c.list("listOsTypes", Map.of())).hasSizeGreaterThanOrEqualTo(4);
      JsonNode secondPage = c.call("listServiceOfferings", Map.of("page", "2", "pagesize", "3"));
      assertThat(secondPage.path("count").asInt()).as("count is the total, not the page").isEqualTo(7);
      assertThat(secondPage.path("serviceoffering")).hasSize(3);
      assertThat(c.listAll("listServiceOfferings", Map.of(), 2)).hasSize(7);
      assertThat(c.call("listVolumes", Map.of()).isEmpty()).as("an empty list is {}").isTrue();

      // key pairs, groups
      String publicKey = "ssh-rsa " + Base64.getEncoder().encodeToString("ssh-rsa-blob".getBytes()) + " me@host";
      assertThat(c.call("registerSSHKeyPair", Map.of("name", "mine", "publickey", publicKey)).path("keypair").path("fingerprint").asText())
          .matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
      assertThat(c.call("createSSHKeyPair", Map.of("name", "gen")).path("keypair").path("privatekey").asText()).contains("PRIVATE KEY");
      String ag = c.submitAndAwait("createAffinityGroup", Map.of("name", "apart", "type", "host anti-affinity"), WAIT)
          .path("affinitygroup").path("id").asText();
      c.call("createInstanceGroup", Map.of("name", "web"));

      // security group with rules
      String sg = c.call("createSecurityGroup", Map.of("name", "web", "description", "web")).path("securitygroup").path("id").asText();
      JsonNode authorized = c.submitAndAwait("authorizeSecurityGroupIngress", Map.of("securitygroupid", sg, "protocol", "tcp",
          "startport", "80", "endport", "80", "cidrlist", "0.0.0.0/0,10.0.0.0/8"), WAIT);
      assertThat(authorized.path("securitygroup").path("ingressrule")).hasSize(2);
      JsonNode egress = c.submitAndAwait("authorizeSecurityGroupEgress", Map.of("securitygroupname", "web", "protocol",
          "all"), WAIT);
      assertThat(egress.path("securitygroup").path("ingressrule")).as("only the rules this call authorized").isEmpty();
      assertThat(egress.path("securitygroup").path("egressrule")).hasSize(1);
      JsonNode more = c.submitAndAwait("authorizeSecurityGroupIngress", Map.of("securitygroupid", sg, "protocol", "udp",
          "startport", "53", "endport", "53"), WAIT);
      assertThat(more.path("securitygroup").path("ingressrule")).as("only the rule this call authorized")
          .singleElement().satisfies(r -> assertThat(r.path("protocol").asText()).isEqualTo("udp"));
      c.submitAndAwait("revokeSecurityGroupIngress", Map.of("id", more.path("securitygroup").path("ingressrule").get(0)
          .path("ruleid").asText()), WAIT);
      String ruleId = authorized.path("securitygroup").path("ingressrule").get(0).path("ruleid").asText();
      c.submitAndAwait("createTags", Map.of("resourceids", ruleId, "resourcetype", "SecurityGroupRule",
          "tags[0].key", "stack", "tags[0].value", "rules"), WAIT);
      assertThat(c.list("listSecurityGroups", Map.of("id", sg)).get(0).path("ingressrule").get(0).path("tags").get(0)
          .path("value").asText()).isEqualTo("rules");
      assertThat(c.list("listTags", Map.of("resourcetype", "SecurityGroupRule"))).hasSize(1);
      c.submitAndAwait("revokeSecurityGroupIngress", Map.of("id", ruleId), WAIT);
      assertThat(c.list("listSecurityGroups", Map.of("id", sg)).get(0).path("ingressrule")).hasSize(1);

      // a VM with everything, its deploy slow enough to be seen Starting on a loaded machine (20 ms was not)
      sim.knobs().faults("deployVirtualMachine", CommandFaults.latency(Latency.fixed(2000)));
      var deploy = c.submit("deployVirtualMachine", Map.of("zoneid", zone, "serviceofferingid", small, "templateid", template,
          "securitygroupids", sg, "affinitygroupids", ag, "keypair", "mine", "group", "web", "name", "web1",
          "diskofferingid", diskOffering, "userdata", Base64.getEncoder().encodeToString("#!/bin/sh\necho hi\n".getBytes())));
      assertThat(c.list("listVirtualMachines", Map.of("id", deploy.resourceId())).get(0).path("state").asText()).isEqualTo("Starting");
      JsonNode vm = c.await(deploy, WAIT).path("virtualmachine");
      sim.knobs().reset();
      String vmId = vm.path("id").asText();
      assertThat(vm.path("state").asText()).isEqualTo("Running");
      assertThat(vm.path("securitygroup").get(0).path("id").asText()).isEqualTo(sg);
      assertThat(vm.path("keypairs").asText()).isEqualTo("mine");
      assertThat(c.list("listVolumes", Map.of("virtualmachineid", vmId))).extracting(v -> v.path("type").asText())
          .containsExactlyInAnyOrder("ROOT", "DATADISK");
      assertThat(c.list("listVirtualMachines", Map.of("id", vmId, "userdata", "true")).get(0).path("userdata").asText()).isNotEmpty();
      assertThatThrownBy(() -> c.call("changeServiceForVirtualMachine", Map.of("id", vmId, "serviceofferingid", medium)))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(431));
      c.submitAndAwait("rebootVirtualMachine", Map.of("id", vmId), WAIT);
      c.submitAndAwait("stopVirtualMachine", Map.of("id", vmId), WAIT);
      assertThat(c.call("changeServiceForVirtualMachine", Map.of("id", vmId, "serviceofferingid", medium))
          .path("virtualmachine").path("memory").asInt()).isEqualTo(1024);
      assertThat(c.call("updateVirtualMachine", Map.of("id", vmId, "displayname", "Web One", "name", "web-one"))
          .path("virtualmachine").path("displayname").asText()).isEqualTo("Web One");
      String defaultGroup = c.list("listSecurityGroups", Map.of("securitygroupname", "default")).get(0).path("id").asText();
      assertThat(c.call("updateVirtualMachine", Map.of("id", vmId, "securitygroupids", sg + "," + defaultGroup))
          .path("virtualmachine").path("securitygroup")).extracting(g -> g.path("id").asText())
          .as("a stopped machine's groups change").containsExactlyInAnyOrder(sg, defaultGroup);
      assertThat(c.list("listSecurityGroups", Map.of("id", defaultGroup)).get(0).path("virtualmachineids"))
          .extracting(JsonNode::asText).contains(vmId);
      c.submitAndAwait("startVirtualMachine", Map.of("id", vmId), WAIT);
      assertThatThrownBy(() -> c.call("updateVirtualMachine", Map.of("id", vmId, "securitygroupids", sg)))
          .as("a running machine's groups do not").hasMessageContaining("must be stopped");

      // volumes and snapshots
      String volume = c.submitAndAwait("createVolume", Map.of("name", "data2", "zoneid", zone, "diskofferingid", diskOffering), WAIT)
          .path("volume").path("id").asText();
      assertThat(c.submitAndAwait("attachVolume", Map.of("id", volume, "virtualmachineid", vmId), WAIT)
          .path("volume").path("virtualmachineid").asText()).isEqualTo(vmId);
      assertThatThrownBy(() -> c.call("deleteVolume", Map.of("id", volume))).isInstanceOf(CloudStackApiException.class);
      String snapshot = c.submitAndAwait("createSnapshot", Map.of("volumeid", volume), WAIT).path("snapshot").path("id").asText();
      c.submitAndAwait("detachVolume", Map.of("id", volume), WAIT);
      c.submitAndAwait("deleteSnapshot", Map.of("id", snapshot), WAIT);
      c.call("deleteVolume", Map.of("id", volume));

      // VPC with a tier, public IP, static NAT, firewall, port forwarding, load balancer
      String vpc = c.submitAndAwait("createVPC", Map.of("name", "v", "displaytext", "v", "cidr", "10.50.0.0/16", "zoneid", zone,
          "vpcofferingid", idOf(c, "listVPCOfferings", Map.of(), "Default VPC offering")), WAIT).path("vpc").path("id").asText();
      String tier = c.call("createNetwork", Map.of("name", "tier1", "zoneid", zone, "vpcid", vpc, "gateway", "10.50.1.1",
          "netmask", "255.255.255.0", "networkofferingid",
          idOf(c, "listNetworkOfferings", Map.of(), "DefaultIsolatedNetworkOfferingForVpcNetworks"))).path("network").path("id").asText();
      assertThat(c.list("listNetworks", Map.of("id", tier)).get(0).path("cidr").asText()).isEqualTo("10.50.1.0/24");
      var vpcDelete = c.submit("deleteVPC", Map.of("id", vpc));
      assertThatThrownBy(() -> c.await(vpcDelete, WAIT)).isInstanceOf(AsyncJobFailedException.class);
      String network = c.call("createNetwork", Map.of("name", "iso", "zoneid", zone, "networkofferingid",
          idOf(c, "listNetworkOfferings", Map.of(), "DefaultIsolatedNetworkOfferingWithSourceNatService"))).path("network").path("id").asText();
      String vm2 = c.submitAndAwait("deployVirtualMachine", Map.of("zoneid", zone, "serviceofferingid", small, "templateid", template,
          "networkids", network), WAIT).path("virtualmachine").path("id").asText();
      String natIp = c.submitAndAwait("associateIpAddress", Map.of("networkid", network), WAIT).path("ipaddress").path("id").asText();
      c.call("enableStaticNat", Map.of("ipaddressid", natIp, "virtualmachineid", vm2));
      assertThat(c.list("listPublicIpAddresses", Map.of("isstaticnat", "true"))).hasSize(1);
      assertThat(c.list("listVirtualMachines", Map.of("id", vm2)).get(0).path("publicipid").asText()).isEqualTo(natIp);
      assertThatThrownBy(() -> c.submit("createPortForwardingRule", Map.of("ipaddressid", natIp, "protocol", "tcp",
          "publicport", "22", "privateport", "22", "virtualmachineid", vm2)))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(537));
      c.submitAndAwait("disableStaticNat", Map.of("ipaddressid", natIp), WAIT);
      assertThat(c.list("listVirtualMachines", Map.of("id", vm2)).get(0).has("publicip")).isFalse();
      String pf = c.submitAndAwait("createPortForwardingRule", Map.of("ipaddressid", natIp, "protocol", "tcp",
          "publicport", "2222", "privateport", "22", "virtualmachineid", vm2), WAIT).path("portforwardingrule").path("id").asText();
      assertThat(c.list("listFirewallRules", Map.of("ipaddressid", natIp))).as("openfirewall defaults to true").hasSize(1);
      c.submitAndAwait("deletePortForwardingRule", Map.of("id", pf), WAIT);
      assertThat(c.list("listFirewallRules", Map.of("ipaddressid", natIp))).isEmpty();
      String lb = c.submitAndAwait("createLoadBalancerRule", Map.of("publicipid", natIp, "name", "lb", "algorithm", "leastconn",
          "publicport", "80", "privateport", "80"), WAIT).path("loadbalancer").path("id").asText();
      c.submitAndAwait("assignToLoadBalancerRule", Map.of("id", lb, "virtualmachineids", vm2), WAIT);
      assertThat(c.list("listLoadBalancerRuleInstances", Map.of("id", lb))).hasSize(1);
      c.submitAndAwait("removeFromLoadBalancerRule", Map.of("id", lb, "virtualmachineids", vm2), WAIT);
      assertThat(c.list("listLoadBalancerRuleInstances", Map.of("id", lb))).isEmpty();
      c.submitAndAwait("createEgressFirewallRule", Map.of("networkid", network, "protocol", "udp", "startport", "53"), WAIT);

      // tags show up in list filters, listTags and the inventory
      c.submitAndAwait("createTags", Map.of("resourceids", vmId + "," + vm2, "resourcetype", "userVM",
          "tags[0].key", "stack", "tags[0].value", "demo"), WAIT);
      assertThat(c.list("listVirtualMachines", Map.of("tags[0].key", "stack", "tags[0].value", "demo"))).hasSize(2);
      assertThat(c.list("listTags", Map.of("key", "stack"))).hasSize(2);
      assertThat(sim.inventory().taggedWith("stack", "demo")).hasSize(2);
      assertThat(SimulatorTesting.admin(sim, "inventory").path("resources").toString()).contains("\"stack\":\"demo\"");

      // the other account sees none of it
      assertThat(other.list("listVirtualMachines", Map.of())).isEmpty();
      assertThatThrownBy(() -> other.submit("stopVirtualMachine", Map.of("id", vmId)))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(431));
      assertThat(other.list("listSecurityGroups", Map.of())).extracting(g -> g.path("name").asText()).containsExactly("default");

      // tear everything down; the inventory proves nothing leaked
      c.submitAndAwait("destroyVirtualMachine", Map.of("id", vmId), WAIT);
      assertThat(c.list("listVirtualMachines", Map.of("id", vmId)).get(0).path("state").asText()).isEqualTo("Destroyed");
      c.submitAndAwait("expungeVirtualMachine", Map.of("id", vmId), WAIT);
      c.submitAndAwait("destroyVirtualMachine", Map.of("id", vm2, "expunge", "true"), WAIT);
      for (JsonNode v : c.list("listVolumes", Map.of())) c.call("deleteVolume", Map.of("id", v.path("id").asText()));
      c.submitAndAwait("disassociateIpAddress", Map.of("id", natIp), WAIT);
      c.submitAndAwait("deleteNetwork", Map.of("id", network), WAIT);
      c.submitAndAwait("deleteNetwork", Map.of("id", tier), WAIT);
      c.submitAndAwait("deleteVPC", Map.of("id", vpc), WAIT);
      c.call("deleteSecurityGroup", Map.of("name", "web"));
      c.submitAndAwait("deleteAffinityGroup", Map.of("name", "apart"), WAIT);
      c.call("deleteInstanceGroup", Map.of("id", idOf(c, "listInstanceGroups", Map.of(), "web")));
      c.call("deleteSSHKeyPair", Map.of("name", "mine"));
      c.call("deleteSSHKeyPair", Map.of("name", "gen"));
      assertThat(sim.inventory().created()).isEmpty();
      assertThat(c.list("listAsyncJobs", Map.of())).isNotEmpty().allSatisfy(j -> assertThat(j.path("jobstatus").asInt()).isIn(1, 2));
    }
  }
}
