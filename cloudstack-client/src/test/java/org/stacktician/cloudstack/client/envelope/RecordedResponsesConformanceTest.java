package org.stacktician.cloudstack.client.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.AsyncJobStatus;
import org.stacktician.testing.SharedFiles;

/**
 * The envelope rules hold for every real response body recorded in
 * {@code ../shared/cloudstack/responses/} (CLOUDSTACK-API.md §0, §5, §7).
 */
class RecordedResponsesConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, JsonNode> BODIES = new TreeMap<>();

  @BeforeAll
  static void load() throws IOException {
    Path dir = SharedFiles.resolve("cloudstack/responses");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode root = JSON.readTree(file.toFile());
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          BODIES.put(e.getKey(), e.getValue());
        }
      }
    }
  }

  private static JsonNode inner(String api) {
    return ResponseEnvelope.unwrap(BODIES.get(api)).orElseThrow();
  }

  @Test
  void everyRecordedBodyHasExactlyOneTopLevelKeyAndNoError() {
    assertThat(BODIES).hasSize(114);
    BODIES.forEach((api, body) -> {
      assertThat(ResponseEnvelope.unwrap(body)).as(api).isPresent();
      assertThat(ResponseEnvelope.isError(ResponseEnvelope.unwrap(body).get())).as(api).isFalse();
    });
  }

  @Test
  void irregularEnvelopeNamesAreReadWithoutComputingThem() {
    assertThat(ResponseEnvelope.responseName(BODIES.get("listVPCs"))).contains("listvpcresponse");
    assertThat(ResponseEnvelope.responseName(BODIES.get("disableUser"))).contains("disableResponse");
    assertThat(ResponseEnvelope.responseName(BODIES.get("activateProject"))).contains("activaterojectresponse");
    assertThat(ResponseEnvelope.responseName(BODIES.get("cancelHostForMaintenance")))
        .contains("cancelhostmaintenanceresponse");
    assertThat(ResponseEnvelope.responseName(BODIES.get("resetSSHKeyForVirtualMachine")))
        .contains("resetSSHKeyforvirtualmachineresponse");
    assertThat(ResponseEnvelope.listItems(inner("listVPCs"))).hasSize(2);
  }

  @Test
  void listItemsAreTheOnlyNonCountKeyAndMatchTheCount() {
    List<String> checked = new ArrayList<>();
    BODIES.forEach((api, body) -> {
      JsonNode inner = ResponseEnvelope.unwrap(body).orElseThrow();
      if (inner.has("count")) {
        assertThat(ResponseEnvelope.listItems(inner)).as(api).hasSize(ResponseEnvelope.count(inner));
        checked.add(api);
      }
    });
    assertThat(checked).hasSize(28);
    assertThat(ResponseEnvelope.itemKey(inner("listHypervisorCapabilities"))).contains("hypervisorCapabilities");
    assertThat(ResponseEnvelope.itemKey(inner("listAsyncJobs"))).contains("asyncjobs");
    assertThat(ResponseEnvelope.itemKey(inner("listSSHKeyPairs"))).contains("sshkeypair");
    assertThat(ResponseEnvelope.itemKey(inner("listVlanIpRanges"))).contains("vlaniprange");
    // listCapabilities answers a lone object under its item key
    assertThat(ResponseEnvelope.listItems(inner("listCapabilities"))).hasSize(1);
  }

  @Test
  void anEmptyListIsAnEmptyObject() throws IOException {
    JsonNode inner = ResponseEnvelope.unwrap(JSON.readTree("{\"listvirtualmachinesresponse\":{}}")).orElseThrow();
    assertThat(ResponseEnvelope.listItems(inner)).isEmpty();
    assertThat(ResponseEnvelope.count(inner)).isZero();
    assertThat(ResponseEnvelope.itemKey(inner)).isEmpty();
  }

  @Test
  void finishedJobsYieldTheirResultObjectByRule() {
    Map<String, String> keys = new TreeMap<>();
    BODIES.forEach((api, body) -> {
      JsonNode inner = ResponseEnvelope.unwrap(body).orElseThrow();
      if (inner.has("jobstatus")) {
        AsyncJobStatus status = AsyncJobResult.read("?", inner);
        assertThat(status).as(api).isInstanceOf(AsyncJobStatus.Succeeded.class);
        JsonNode result = ((AsyncJobStatus.Succeeded) status).result();
        keys.put(api, ResponseEnvelope.isSuccess(result) ? "success"
            : ResponseEnvelope.resultKey(result).orElseThrow());
      }
    });
    assertThat(keys).containsEntry("createLoadBalancerRule", "loadbalancer")
        .containsEntry("associateIpAddress", "ipaddress")
        .containsEntry("createEgressFirewallRule", "firewallrule")
        .containsEntry("deployVirtualMachine", "virtualmachine")
        .containsEntry("createTags", "success")
        .containsEntry("assignLoadBalancerRule", "success")
        .containsEntry("disableUser", "user")
        .containsEntry("enableHAForHost", "hostha");
    assertThat(keys).hasSizeGreaterThanOrEqualTo(40);
  }

  @Test
  void syncObjectAnswersYieldTheirObjectByRule() {
    assertThat(ResponseEnvelope.resultKey(inner("createSSHKeyPair"))).contains("keypair");
    assertThat(ResponseEnvelope.resultObject(inner("createSSHKeyPair")).orElseThrow().has("privatekey")).isTrue();
    assertThat(ResponseEnvelope.resultKey(inner("createVlanIpRange"))).contains("vlan");
    // list-shaped answers of non-list APIs: the first item
    assertThat(ResponseEnvelope.resultKey(inner("registerTemplate"))).contains("template");
    assertThat(ResponseEnvelope.resultObject(inner("registerTemplate")).orElseThrow().has("id")).isTrue();
    assertThat(ResponseEnvelope.resultKey(inner("addHost"))).contains("host");
    assertThat(ResponseEnvelope.isSuccess(inner("deleteSSHKeyPair"))).isTrue();
    assertThat(ResponseEnvelope.resultObject(inner("deleteSSHKeyPair"))).isEmpty();
  }

  @Test
  void successAcceptsBooleanAndStringVariants() throws IOException {
    assertThat(ResponseEnvelope.isSuccess(JSON.readTree("{\"success\":true}"))).isTrue();
    assertThat(ResponseEnvelope.isSuccess(JSON.readTree("{\"success\":\"true\"}"))).isTrue();
    assertThat(ResponseEnvelope.isSuccess(JSON.readTree("{\"success\":\"false\",\"displaytext\":\"x\"}"))).isFalse();
    assertThat(ResponseEnvelope.intValue(JSON.readTree("\"2\""))).isEqualTo(2);
    assertThat(ResponseEnvelope.booleanValue(JSON.readTree("\"true\""))).isTrue();
  }

  @Test
  void failedAndCancelledJobsCarryCodeAndText() throws IOException {
    JsonNode failed = JSON.readTree("{\"jobid\":\"j\",\"jobstatus\":2,\"jobresultcode\":530,"
        + "\"jobresult\":{\"errorcode\":533,\"errortext\":\"no capacity\"}}");
    assertThat(AsyncJobResult.read("j", failed)).isEqualTo(new AsyncJobStatus.Failed("j", 533, "no capacity"));
    JsonNode bare = JSON.readTree("{\"jobid\":\"j\",\"jobstatus\":\"2\",\"jobresultcode\":531}");
    assertThat(AsyncJobResult.read("j", bare)).isEqualTo(
        new AsyncJobStatus.Failed("j", 531, "job failed without an error text"));
    JsonNode cancelled = JSON.readTree("{\"jobid\":\"j\",\"jobstatus\":3}");
    assertThat(AsyncJobResult.read("j", cancelled)).isEqualTo(new AsyncJobStatus.Failed("j", 530, "job was cancelled"));
  }
}
