package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.client.AsyncJobFailedException;
import org.stacktician.cloudstack.client.AsyncJobStatus;
import org.stacktician.cloudstack.client.AsyncJobTimeoutException;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.CloudStackOutcomeUnknownException;
import org.stacktician.cloudstack.client.CloudStackTransportException;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.cloudstack.simulator.config.SimulatorConfigFile;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.KnobSettings;
import org.stacktician.cloudstack.simulator.faults.Latency;

/** Latency, injected errors, the Nth call failing, hanging jobs and dropped connections, set every way. */
class KnobsTest {

  private static List<String> outcomes(long seed) {
    SimulatorConfig config = SimulatorConfig.defaults().withSeed(seed)
        .withKnobs(KnobSettings.DEFAULT.withFaults("createSecurityGroup", CommandFaults.errorRate(0.5, 534)));
    List<String> out = new ArrayList<>();
    try (CloudStackSimulator sim = CloudStackSimulator.start(config); CloudStackClient c = SimulatorTesting.client(sim)) {
      for (int i = 0; i < 20; i++) {
        try {
          c.call("createSecurityGroup", Map.of("name", "g" + i));
          out.add("ok");
        } catch (CloudStackApiException e) {
          assertThat(e.httpStatus()).isEqualTo(534);
          assertThat(e.csErrorCode()).isEqualTo(4380);
          out.add("534");
        }
      }
    }
    return out;
  }

  @Test
  void errorRateIsReproducibleWithASeed() {
    List<String> first = outcomes(7);
    assertThat(first).contains("ok", "534");
    assertThat(outcomes(7)).isEqualTo(first);
  }

  @Test
  void theNthCallFailsSynchronouslyForSyncCommandsAndInTheJobForAsyncOnes() {
    KnobSettings knobs = KnobSettings.DEFAULT
        .withFaults("createSecurityGroup", CommandFaults.failNth(2, 431))
        .withFaults("createSnapshot", CommandFaults.failNth(1, 530));
    try (CloudStackSimulator sim = CloudStackSimulator.start(SimulatorConfig.defaults().withKnobs(knobs));
        CloudStackClient c = SimulatorTesting.client(sim)) {
      c.call("createSecurityGroup", Map.of("name", "one"));
      assertThatThrownBy(() -> c.call("createSecurityGroup", Map.of("name", "two")))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(431));
      c.call("createSecurityGroup", Map.of("name", "three"));

      // Only a volume that has storage (attached once: here a machine's root disk) can be snapshotted.
      String zone = SimulatorTesting.idOf(c, "listZones", Map.of(), "Sandbox-simulator");
      String vm = c.submitAndAwait("deployVirtualMachine", Map.of("zoneid", zone,
          "templateid", SimulatorTesting.idOf(c, "listTemplates", Map.of("templatefilter", "executable"), "Ubuntu 22.04 LTS"),
          "serviceofferingid", SimulatorTesting.idOf(c, "listServiceOfferings", Map.of(), "Small Instance")), WAIT)
          .path("virtualmachine").path("id").asText();
      String volume = c.list("listVolumes", Map.of("virtualmachineid", vm)).get(0).path("id").asText();
      var job = c.submit("createSnapshot", Map.of("volumeid", volume));
      assertThatThrownBy(() -> c.await(job, WAIT)).isInstanceOfSatisfying(AsyncJobFailedException.class,
          e -> assertThat(e.getMessage()).contains("530"));
      assertThat(c.list("listSnapshots", Map.of())).as("the failed snapshot is undone").isEmpty();
      c.submitAndAwait("createSnapshot", Map.of("volumeid", volume), WAIT);
      assertThat(c.list("listSnapshots", Map.of())).hasSize(1);
      String unattached = c.submitAndAwait("createVolume", Map.of("zoneid", zone, "name", "d",
          "diskofferingid", SimulatorTesting.idOf(c, "listDiskOfferings", Map.of(), "Small")), WAIT).path("volume").path("id").asText();
      assertThatThrownBy(() -> c.submit("createSnapshot", Map.of("volumeid", unattached)))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.getMessage())
              .contains("is not in Ready state but Allocated. Cannot take snapshot."));
    }
  }

  @Test
  void hangingJobsStayPendingAndLatencyDelaysCompletion() {
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient c = SimulatorTesting.client(sim)) {
      sim.knobs().faults("createAffinityGroup", CommandFaults.hanging());
      var job = c.submit("createAffinityGroup", Map.of("name", "a", "type", "host affinity"));
      assertThatThrownBy(() -> c.await(job, Duration.ofMillis(300))).isInstanceOf(AsyncJobTimeoutException.class);
      assertThat(c.queryJob(job.jobId())).isInstanceOf(AsyncJobStatus.Pending.class);
      assertThat(sim.inventory().pendingJobs()).isEqualTo(1);

      sim.knobs().reset();
      sim.knobs().jobLatency(Latency.fixed(400));
      var slow = c.submit("createAffinityGroup", Map.of("name", "b", "type", "host affinity"));
      assertThat(c.queryJob(slow.jobId())).isInstanceOf(AsyncJobStatus.Pending.class);
      long start = System.nanoTime();
      c.await(slow, WAIT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
    }
  }

  @Test
  void droppedConnectionsLookLikeANetworkFailureToTheClient() {
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient c = SimulatorTesting.client(sim)) {
      sim.knobs().faults("createSecurityGroup", CommandFaults.dropNth(1, false));
      assertThatThrownBy(() -> c.call("createSecurityGroup", Map.of("name", "dropped")))
          .isInstanceOf(CloudStackOutcomeUnknownException.class);
      assertThat(c.list("listSecurityGroups", Map.of("securitygroupname", "dropped")))
          .as("the drop came after the command ran, so the group exists").hasSize(1);
      // every call dropped (the JDK client silently repeats an idempotent GET once on a dropped connection)
      sim.knobs().faults("listZones", new CommandFaults(null, null, null, 1.0, null, true, null, null));
      assertThatThrownBy(() -> c.list("listZones", Map.of())).isInstanceOf(CloudStackTransportException.class);
      sim.knobs().reset();
      assertThat(c.list("listZones", Map.of())).hasSize(2);
    }
  }

  @Test
  void knobsAreSetThroughTheAdminPathAndTheConfigFile(@TempDir Path dir) throws Exception {
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient c = SimulatorTesting.client(sim)) {
      var put = SimulatorTesting.admin(sim, "PUT", "knobs/listZones", "{\"failNth\":1,\"errorCode\":530}");
      assertThat(put.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> c.list("listZones", Map.of())).isInstanceOfSatisfying(CloudStackApiException.class,
          e -> assertThat(e.httpStatus()).isEqualTo(530));
      assertThat(SimulatorTesting.admin(sim, "knobs").path("commands").path("listZones").path("failNth").asInt()).isEqualTo(1);
      assertThat(SimulatorTesting.admin(sim, "PUT", "knobs", "{\"jobLatency\":\"5ms..10ms\"}").statusCode()).isEqualTo(200);
      assertThat(sim.knobs().settings().jobLatency()).isEqualTo(Latency.uniform(5, 10));
      assertThat(SimulatorTesting.admin(sim, "PUT", "knobs", "{\"jobLatency\":\"soon\"}").statusCode()).isEqualTo(400);
      assertThat(SimulatorTesting.admin(sim, "PUT", "knobs/x", "{\"errorRate\":2}").statusCode()).isEqualTo(400);
      assertThat(SimulatorTesting.admin(sim, "DELETE", "knobs", null).statusCode()).isEqualTo(200);
      assertThat(c.list("listZones", Map.of())).hasSize(2);
    }
    Path file = dir.resolve("sim.json");
    Files.writeString(file, """
        {"seed": 99, "accounts": [{"name": "ops", "apiKey": "k1", "secretKey": "s1"}],
         "capacity": {"virtualMachines": 1},
         "knobs": {"jobLatency": "exp:10ms", "commands": {"*": {"errorRate": 0.0}, "listZones": {"failNth": 2, "errorCode": 534}}}}
        """);
    SimulatorConfig config = SimulatorConfigFile.read(file).applyTo(SimulatorConfig.defaults());
    assertThat(config.seed()).isEqualTo(99);
    assertThat(config.capacity().virtualMachines()).isEqualTo(1);
    try (CloudStackSimulator sim = CloudStackSimulator.start(config); CloudStackClient c = SimulatorTesting.client(sim)) {
      assertThat(sim.credentials().apiKey()).isEqualTo("k1");
      c.list("listZones", Map.of());
      assertThatThrownBy(() -> c.list("listZones", Map.of())).isInstanceOfSatisfying(CloudStackApiException.class,
          e -> assertThat(e.httpStatus()).isEqualTo(534));
    }
    Files.writeString(file, "{\"sed\": 1}");
    assertThatThrownBy(() -> SimulatorConfigFile.read(file)).hasMessageContaining("sim.json").hasMessageContaining("sed");
  }

  @Test
  void latencyTextForms() {
    assertThat(Latency.parse("250ms")).isEqualTo(Latency.fixed(250));
    assertThat(Latency.parse("2s")).isEqualTo(Latency.fixed(2000));
    assertThat(Latency.parse("100ms..1s")).isEqualTo(Latency.uniform(100, 1000));
    assertThat(Latency.parse("exp:300ms").toString()).isEqualTo("exp:300ms");
    assertThatThrownBy(() -> Latency.parse("fast")).hasMessageContaining("invalid job latency 'fast'");
    assertThatThrownBy(() -> Latency.parse("2s..1s")).hasMessageContaining("invalid job latency");
  }
}
