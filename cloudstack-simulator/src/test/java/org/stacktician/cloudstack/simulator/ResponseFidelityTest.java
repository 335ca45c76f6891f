package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.WAIT;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.idOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.AsyncJobHandle;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.api.CommandCatalog;
import org.stacktician.testing.SharedFiles;

/**
 * The simulator's answers carry every key of the real bodies recorded in
 * {@code ../shared/cloudstack/responses/} for each implemented command, with the same JSON kind
 * (string, number, boolean, array, object); async commands: the finished job as
 * queryAsyncJobResult returns it.
 */
class ResponseFidelityTest {
  /** Fixture keys that follow cloudstack-go test names rather than API names. */
  private static final Map<String, String> FIXTURE_ALIASES = Map.of("assignLoadBalancerRule", "assignToLoadBalancerRule");

  private final Map<String, JsonNode> actual = new LinkedHashMap<>();

  @Test
  void everyRecordedBodyOfAnImplementedCommandHasItsKeysInTheSimulatorsAnswer() throws IOException {
    Map<String, JsonNode> recorded = recorded();
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient c = SimulatorTesting.client(sim)) {
      runScenario(c);
    }
    List<String> compared = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (var e : recorded.entrySet()) {
      String command = FIXTURE_ALIASES.getOrDefault(e.getKey(), e.getKey());
      if (CommandCatalog.builtIn().command(command).isEmpty()) continue;
      assertThat(actual).as("the scenario exercises %s", command).containsKey(command);
      JsonNode expectedInner = e.getValue().properties().iterator().next().getValue();
      keys(expectedInner, actual.get(command), command, missing);
      compared.add(command);
    }
    assertThat(compared).hasSizeGreaterThanOrEqualTo(25);
    assertThat(missing).as("keys of recorded bodies missing from the simulator's answers").isEmpty();
  }

  private static Map<String, JsonNode> recorded() throws IOException {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(SharedFiles.resolve("cloudstack/responses"), "*.json")) {
      for (Path f : files) {
        SimulatorTesting.JSON.readTree(f.toFile()).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  /** Records keys of {@code expected} absent from {@code got}, recursively (first item of arrays; free-form maps skipped). */
  static void keys(JsonNode expected, JsonNode got, String path, List<String> missing) {
    if (expected.isObject()) {
      if (got == null || !got.isObject()) {
        missing.add(path + " (expected an object)");
        return;
      }
      for (var e : expected.properties()) {
        if (!got.has(e.getKey())) {
          missing.add(path + "." + e.getKey());
        } else if (!e.getKey().equals("details")) {
          JsonNode value = got.get(e.getKey());
          if (kind(e.getValue()) != kind(value)) {
            missing.add(path + "." + e.getKey() + " is " + kind(value) + ", recorded as " + kind(e.getValue()));
          }
          keys(e.getValue(), value, path + "." + e.getKey(), missing);
        }
      }
    } else if (expected.isArray() && !expected.isEmpty() && expected.get(0).isObject() && !expected.get(0).isEmpty()) {
      if (got == null || !got.isArray() || got.isEmpty()) {
        missing.add(path + "[] (expected items)");
        return;
      }
      keys(expected.get(0), got.get(0), path + "[0]", missing);
    }
  }

  /** The JSON kind of a value (string, number, boolean, array, object). */
  private static com.fasterxml.jackson.databind.node.JsonNodeType kind(JsonNode n) {
    return n.getNodeType();
  }

  private void sync(CloudStackClient c, String command, Map<String, String> params) {
    actual.put(command, c.call(command, params));
  }

  private String async(CloudStackClient c, String command, Map<String, String> params) {
    AsyncJobHandle job = c.submit(command, params);
    c.await(job, WAIT);
    actual.put(command, c.call("queryAsyncJobResult", Map.of("jobid", job.jobId())));
    return job.resourceId();
  }

  private void runScenario(CloudStackClient c) {
    String zone = idOf(c, "listZones", Map.of(), "Sandbox-simulator");
    String small = idOf(c, "listServiceOfferings", Map.of(), "Small Instance");
    String template = idOf(c, "listTemplates", Map.of("templatefilter", "featured"), "CentOS 5.6 (64-bit) no GUI (Simulator)");
    String isolated = idOf(c, "listNetworkOfferings", Map.of(), "DefaultIsolatedNetworkOfferingWithSourceNatService");
    String vpcOffering = idOf(c, "listVPCOfferings", Map.of(), "Default VPC offering");
    sync(c, "listApis", Map.of());
    sync(c, "listCapabilities", Map.of());
    sync(c, "listDiskOfferings", Map.of());
    sync(c, "listNetworkOfferings", Map.of());
    sync(c, "createNetwork", Map.of("name", "web", "displaytext", "web tier", "networkofferingid", isolated, "zoneid", zone));
    String network = actual.get("createNetwork").path("network").path("id").asText();
    sync(c, "listNetworks", Map.of());
    String ip = async(c, "associateIpAddress", Map.of("networkid", network));
    String fw = async(c, "createFirewallRule", Map.of("ipaddressid", ip, "protocol", "tcp", "startport", "22", "endport", "22"));
    String egress = async(c, "createEgressFirewallRule", Map.of("networkid", network, "protocol", "tcp", "startport", "80", "endport", "80"));
    async(c, "deleteEgressFirewallRule", Map.of("id", egress));
    async(c, "deleteFirewallRule", Map.of("id", fw));
    sync(c, "createSSHKeyPair", Map.of("name", "ops"));
    sync(c, "listSSHKeyPairs", Map.of());
    async(c, "createAffinityGroup", Map.of("name", "spread", "type", "host anti-affinity", "description", "spread out"));
    String vm = async(c, "deployVirtualMachine", Map.of("zoneid", zone, "serviceofferingid", small, "templateid", template,
        "networkids", network, "name", "web1"));
    async(c, "stopVirtualMachine", Map.of("id", vm));
    async(c, "startVirtualMachine", Map.of("id", vm));
    sync(c, "listVirtualMachines", Map.of());
    String lb = async(c, "createLoadBalancerRule", Map.of("publicipid", ip, "name", "web", "algorithm", "roundrobin",
        "publicport", "80", "privateport", "8080"));
    async(c, "assignToLoadBalancerRule", Map.of("id", lb, "virtualmachineids", vm));
    async(c, "createTags", Map.of("resourceids", vm, "resourcetype", "UserVm", "tags[0].key", "stack", "tags[0].value", "s1"));
    async(c, "deleteTags", Map.of("resourceids", vm, "resourcetype", "UserVm", "tags[0].key", "stack"));
    String vpc = async(c, "createVPC", Map.of("name", "v", "displaytext", "v", "cidr", "10.20.0.0/16",
        "vpcofferingid", vpcOffering, "zoneid", zone));
    c.submitAndAwait("createTags", Map.of("resourceids", vpc, "resourcetype", "Vpc", "tags[0].key", "my-tag", "tags[0].value", "true"), WAIT);
    sync(c, "listVPCs", Map.of());
    sync(c, "deleteSSHKeyPair", Map.of("name", "ops"));
    String spareIp = c.submit("associateIpAddress", Map.of("networkid", network)).resourceId();
    async(c, "disassociateIpAddress", Map.of("id", spareIp));
    c.submitAndAwait("destroyVirtualMachine", Map.of("id", vm, "expunge", "true"), WAIT);
    async(c, "deleteNetwork", Map.of("id", network));
    sync(c, "listAsyncJobs", Map.of());
  }
}
