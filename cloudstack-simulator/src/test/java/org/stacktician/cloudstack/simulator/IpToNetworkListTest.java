package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.WAIT;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.idOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.CloudStackApiException;

/** deployVirtualMachine's iptonetworklist: each NIC on its network with the address it asks for (the XA sample's form). */
class IpToNetworkListTest {

  @Test
  void nicsGetTheNetworksAndAddressesAskedFor() {
    try (CloudStackSimulator sim = CloudStackSimulator.start(); var c = SimulatorTesting.client(sim)) {
      String zone = idOf(c, "listZones", Map.of(), "Sandbox-simulator");
      String small = idOf(c, "listServiceOfferings", Map.of(), "Small Instance");
      String template = idOf(c, "listTemplates", Map.of("templatefilter", "executable"), "Ubuntu 22.04 LTS");
      String network = c.call("createNetwork", Map.of("name", "iso", "zoneid", zone, "networkofferingid",
          idOf(c, "listNetworkOfferings", Map.of(), "DefaultIsolatedNetworkOfferingWithSourceNatService")))
          .path("network").path("id").asText();
      JsonNode vm = c.submitAndAwait("deployVirtualMachine", Map.of("zoneid", zone, "serviceofferingid", small,
          "templateid", template, "iptonetworklist[0].networkid", network, "iptonetworklist[0].ip", "10.1.1.77"), WAIT)
          .path("virtualmachine");
      assertThat(vm.path("nic")).hasSize(1);
      assertThat(vm.path("nic").get(0).path("networkid").asText()).isEqualTo(network);
      assertThat(vm.path("nic").get(0).path("ipaddress").asText()).isEqualTo("10.1.1.77");

      assertThatThrownBy(() -> c.submit("deployVirtualMachine", Map.of("zoneid", zone, "serviceofferingid", small,
          "templateid", template, "networkids", network, "iptonetworklist[0].networkid", network)))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(431))
          .hasMessageContaining("ipToNetworkList");
    }
  }
}
