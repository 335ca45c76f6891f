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

/** A simulator started with hidden APIs is a cloud without them: not in listApis, unknown when called. */
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
}
