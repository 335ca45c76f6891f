package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.http.CallLog;

/** The simulator keeps the calls it answered over HTTP, with the resources each named, until cleared. */
class CallLogTest {
  @Test
  void callsAreKeptWithTheResourcesTheyNameAndClearedOnRequest() {
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient c = SimulatorTesting.client(sim)) {
      String group = c.call("createSecurityGroup", Map.of("name", "web")).path("securitygroup").path("id").asText();
      assertThat(group).isNotBlank();
      c.list("listSecurityGroups", Map.of("id", group));
      c.list("listZones", Map.of());
      assertThat(sim.calls().calls()).extracting(CallLog.Call::command)
          .containsExactly("createSecurityGroup", "listSecurityGroups", "listZones");
      assertThat(sim.calls().calls().get(1).names(group)).isTrue();
      assertThat(sim.calls().calls().get(0).names(group)).as("the create named no id").isFalse();

      sim.calls().clear();
      c.list("listZones", Map.of());
      assertThat(sim.calls().calls()).extracting(CallLog.Call::command).containsExactly("listZones");
    }
  }
}
