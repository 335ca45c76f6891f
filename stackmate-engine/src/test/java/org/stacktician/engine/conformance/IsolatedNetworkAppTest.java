package org.stacktician.engine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * An application in an isolated network written in YAML as a user writes it, with lists of
 * references ({@code networkids: [!Ref AppNet]}, {@code securitygroupids}, the load balancer's
 * members, a firewall rule's {@code cidrlist} from a list parameter): it creates on the simulator,
 * the CloudStack API shows it wired as written, and it deletes to an empty inventory; a failure
 * at each resource's create call rolls it back to empty.
 */
class IsolatedNetworkAppTest extends SimulatedEngineTest {
  static final String TEMPLATE = "/conformance/isolated-network-app.yaml";

  Map<String, String> params;

  @BeforeEach
  void start() {
    params = new LinkedHashMap<>(cloud.machineParameters());
    params.putAll(cloud.volumeParameters());
    params.put("NetworkOfferingId",
        cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService", Map.of()));
  }

  static String template() throws IOException {
    try (InputStream in = IsolatedNetworkAppTest.class.getResourceAsStream(TEMPLATE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private StackRecord run(String name) throws Exception {
    StackEngine engine = local.engine();
    StackRecord s = engine.createStack(new CreateStackRequest(name, template(), "app.yaml", params, false, null, null));
    return engine.awaitSettled(s.stackId(), Duration.ofSeconds(90));
  }

  private String physicalId(StackRecord stack, String logicalId) {
    return local.engine().resources(stack.stackId()).stream().filter(r -> r.logicalId().equals(logicalId))
        .map(ResourceRecord::physicalId).findFirst().orElseThrow();
  }

  @Test
  void createsWiredAsWrittenAndDeletesToNothing() throws Exception {
    StackRecord done = run("app");
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);

    String net = physicalId(done, "AppNet");
    String sg = physicalId(done, "WebSG");
    String web1 = physicalId(done, "Web1");
    String web2 = physicalId(done, "Web2");
    for (String vm : List.of(web1, web2)) {
      JsonNode v = cloud.client.list("listVirtualMachines", Map.of("id", vm)).get(0);
      assertThat(v.path("nic").get(0).path("networkid").asText()).as("the VM's network").isEqualTo(net);
      assertThat(v.path("securitygroup").get(0).path("id").asText()).as("the VM's group").isEqualTo(sg);
      assertThat(v.path("keypairs").asText()).as("the VM's key pair").isEqualTo(physicalId(done, "AppKey"));
    }
    List<String> members = new ArrayList<>();
    cloud.client.list("listLoadBalancerRuleInstances", Map.of("id", physicalId(done, "WebLb")))
        .forEach(m -> members.add(m.path("id").asText()));
    assertThat(members).as("the load balancer's members").containsExactlyInAnyOrder(web1, web2);
    JsonNode volume = cloud.client.list("listVolumes", Map.of("id", physicalId(done, "Data"))).get(0);
    assertThat(volume.path("virtualmachineid").asText()).as("the data volume's VM").isEqualTo(web1);
    String ip = physicalId(done, "PublicIp");
    // The rule the template made (the LB and port-forwarding rules open the firewall with their own).
    JsonNode firewall = cloud.client.list("listFirewallRules", Map.of("id", physicalId(done, "SshFirewall"))).get(0);
    assertThat(firewall.path("ipaddressid").asText()).isEqualTo(ip);
    assertThat(firewall.path("cidrlist").asText()).isEqualTo("203.0.113.0/24,198.51.100.0/24,192.0.2.0/24");
    JsonNode forward = cloud.client.list("listPortForwardingRules", Map.of("ipaddressid", ip)).get(0);
    assertThat(forward.path("virtualmachineid").asText()).isEqualTo(web1);
    JsonNode lb = cloud.client.list("listLoadBalancerRules", Map.of("id", physicalId(done, "WebLb"))).get(0);
    assertThat(lb.path("cidrlist").asText()).isEqualTo("0.0.0.0/0");

    Map<String, String> outputs = new LinkedHashMap<>();
    done.outputs().forEach(o -> outputs.put(o.key(), o.value()));
    String address = cloud.client.list("listPublicIpAddresses", Map.of("id", ip)).get(0).path("ipaddress").asText();
    assertThat(outputs).containsEntry("PublicAddress", address);
    assertThat(outputs.get("Web1Address")).isEqualTo(cloud.client.list("listVirtualMachines", Map.of("id", web1))
        .get(0).path("nic").get(0).path("ipaddress").asText());

    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("app").stackId(), Duration.ofSeconds(90));
    assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.simulator.inventory().created()).as("nothing of the stack is left").isEmpty();
  }

  @ParameterizedTest(name = "{0} call {1} fails")
  @CsvSource({"createNetwork,1", "createSSHKeyPair,1", "createSecurityGroup,1", "deployVirtualMachine,1",
      "deployVirtualMachine,2", "associateIpAddress,1", "createLoadBalancerRule,1", "assignToLoadBalancerRule,1",
      "createPortForwardingRule,1", "createFirewallRule,1", "createVolume,1", "attachVolume,1"})
  void aFailureAtEachResourceRollsBackToNothing(String command, long nth) throws Exception {
    cloud.simulator.knobs().faults(command, CommandFaults.failNth(nth, 530));
    StackRecord done = run("faulty");

    List<StackEvent> events = local.engine().events(done.stackId(), 0);
    assertThat(done.status()).as(() -> events.stream().map(e -> e.logicalId() + " " + e.status() + " "
        + e.statusReason()).toList().toString()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(events).filteredOn(e -> e.status().equals("CREATE_FAILED")).isNotEmpty();
    assertThat(cloud.simulator.inventory().created()).as("nothing of the stack is left").isEmpty();
  }
}
