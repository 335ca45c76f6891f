package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.WAIT;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.idOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.CloudStackApiException;

/** Network ACL items on VPC tiers: create (async), list, delete, and the refusals CloudStack gives. */
class NetworkAclTest {

  @Test
  void aclItemsLiveOnVpcTiersOnly() {
    try (CloudStackSimulator sim = CloudStackSimulator.start(); var c = SimulatorTesting.client(sim)) {
      String zone = idOf(c, "listZones", Map.of(), "Sandbox-simulator");
      String vpc = c.submitAndAwait("createVPC", Map.of("name", "v", "displaytext", "v", "cidr", "10.0.0.0/16",
          "zoneid", zone, "vpcofferingid", idOf(c, "listVPCOfferings", Map.of(), "Default VPC offering")), WAIT)
          .path("vpc").path("id").asText();
      String tier = c.call("createNetwork", Map.of("name", "tier", "displaytext", "tier", "zoneid", zone, "vpcid", vpc,
          "gateway", "10.0.1.1", "netmask", "255.255.255.0", "networkofferingid",
          idOf(c, "listNetworkOfferings", Map.of(), "DefaultIsolatedNetworkOfferingForVpcNetworks")))
          .path("network").path("id").asText();

      JsonNode item = c.submitAndAwait("createNetworkACL", Map.of("networkid", tier, "protocol", "TCP",
          "startport", "443", "endport", "443", "cidrlist", "10.1.0.0/16"), WAIT).path("networkacl");
      assertThat(item.path("protocol").asText()).isEqualTo("tcp");
      assertThat(item.path("state").asText()).isEqualTo("Active");
      assertThat(item.path("traffictype").asText()).isEqualTo("Ingress");
      assertThat(item.path("action").asText()).isEqualTo("Allow");
      assertThat(c.list("listNetworkACLs", Map.of("networkid", tier))).extracting(i -> i.path("id").asText())
          .containsExactly(item.path("id").asText());
      assertThat(sim.inventory().countsByKind()).containsEntry("NETWORK_ACL", 1L);

      c.submitAndAwait("deleteNetworkACL", Map.of("id", item.path("id").asText()), WAIT);
      assertThat(c.list("listNetworkACLs", Map.of())).isEmpty();

      String isolated = c.call("createNetwork", Map.of("name", "iso", "displaytext", "iso", "zoneid", zone,
          "networkofferingid", idOf(c, "listNetworkOfferings", Map.of(), "DefaultIsolatedNetworkOfferingWithSourceNatService")))
          .path("network").path("id").asText();
      assertThatThrownBy(() -> c.submit("createNetworkACL", Map.of("networkid", isolated, "protocol", "all")))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(431))
          .hasMessageContaining("not in a VPC");
      assertThatThrownBy(() -> c.submit("createNetworkACL", Map.of("protocol", "all")))
          .isInstanceOf(CloudStackApiException.class).hasMessageContaining("either one should be specified");
    }
  }
}
