package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;

/**
 * A simulator started with hidden APIs, or with another cloud's listApis answer, is a cloud without the APIs it
 * lacks: not in listApis, unknown when called.
 */
class HiddenApisTest {
  @Test
  void hiddenCommandsAreNeitherListedNorAnswered() {
    SimulatorConfig config = SimulatorConfig.defaults()
        .withHiddenApis(Set.of("createSecurityGroup", "deleteSecurityGroup"));
    try (CloudStackSimulator sim = CloudStackSimulator.start(config); CloudStackClient client = SimulatorTesting.client(sim)) {
      var apis = client.discover().apis();
      assertThat(apis).doesNotContainKeys("createSecurityGroup", "deleteSecurityGroup").containsKey("listSecurityGroups");
      assertThat(ResourceTypeCatalog.derive(client.discover()).types())
          .doesNotContainKey("CloudStack::SecurityGroup").containsKey("CloudStack::VirtualMachine");
      assertThatThrownBy(() -> client.call("createSecurityGroup", Map.of("name", "x")))
          .isInstanceOfSatisfying(CloudStackApiException.class,
              e -> assertThat(e.getMessage()).contains("Unknown API command: createSecurityGroup"));
    }
    assertThatThrownBy(() -> CloudStackSimulator.start(SimulatorConfig.defaults().withHiddenApis(Set.of("listUnicorns"))))
        .hasMessageContaining("cannot hide listUnicorns");
  }

  @Test
  void aChosenListApisAnswerIsTheCloudsApi() {
    com.fasterxml.jackson.databind.node.ObjectNode answer;
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient client = SimulatorTesting.client(sim)) {
      answer = (com.fasterxml.jackson.databind.node.ObjectNode) client.call("listApis", Map.of());
    }
    var apis = (com.fasterxml.jackson.databind.node.ArrayNode) answer.path("api");
    for (int i = apis.size() - 1; i >= 0; i--) {
      String name = apis.get(i).path("name").asText();
      if (name.equals("createVPC")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) apis.get(i)).put("description", "an older cloud's VPC");
      } else if (name.equals("deleteVPC")) {
        apis.remove(i);
      }
    }
    try (CloudStackSimulator sim = CloudStackSimulator.start(SimulatorConfig.defaults().withListApis(answer));
        CloudStackClient client = SimulatorTesting.client(sim)) {
      var catalog = client.discover();
      assertThat(catalog.apis()).doesNotContainKey("deleteVPC");
      assertThat(catalog.api("createVPC").orElseThrow().description()).isEqualTo("an older cloud's VPC");
      assertThat(ResourceTypeCatalog.derive(catalog).types()).doesNotContainKey("CloudStack::VPC")
          .containsKey("CloudStack::SecurityGroup");
      assertThatThrownBy(() -> client.call("deleteVPC", Map.of("id", "x")))
          .hasMessageContaining("Unknown API command: deleteVPC");
    }
  }
}
