package org.stacktician.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.stack.StackStatus;

/**
 * Keeps the engine load harness from rotting: each scenario at tiny sizes against a real
 * simulator and engine. Checks what the scenarios report, never how fast they were.
 */
class EngineLoadTest {

  @Test
  void layeredTemplateChainsEveryLayerToTheWholeLayerBefore() throws Exception {
    JsonNode t = new ObjectMapper().readTree(new LayeredTemplate(3, 2).body());
    assertThat(t.path("Resources").size()).isEqualTo(6);
    assertThat(t.path("Resources").path("L0V1").has("DependsOn")).isFalse();
    assertThat(t.path("Resources").path("L2V0").path("DependsOn").toString()).isEqualTo("[\"L1V0\",\"L1V1\"]");
    assertThatThrownBy(() -> new LayeredTemplate(0, 3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void criticalPathScenarioRunsAStackOfLayers() throws Exception {
    Duration latency = Duration.ofMillis(50);
    try (EngineLoad load = new EngineLoad(Latency.fixed(latency.toMillis()), EngineLoad.optionsFor(2, 4))) {
      EngineLoad.CriticalPath r = load.criticalPath(new LayeredTemplate(2, 2), latency, Duration.ofSeconds(60));
      assertThat(r.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(r.criticalPath()).isEqualTo(Duration.ofMillis(100));
      assertThat(r.sequential()).isEqualTo(Duration.ofMillis(200));
      assertThat(r.layers()).hasSize(2);
      assertThat(load.simulator().inventory().countsByKind()).containsEntry("VOLUME", 4L);
    }
  }

  @Test
  void throughputScenarioCompletesEveryStack() throws Exception {
    try (EngineLoad load = new EngineLoad(Latency.NONE, EngineLoad.optionsFor(6, 4))) {
      EngineLoad.Throughput r = load.throughput(3, new LayeredTemplate(2, 2), Duration.ofSeconds(60));
      assertThat(r.completeStacks()).isEqualTo(3);
      assertThat(r.stats().resourcesCreated()).isEqualTo(12);
      assertThat(r.resourcesPerSecond()).isPositive();
      assertThat(load.simulator().inventory().created()).as("the round's stacks are deleted after it").isEmpty();
      assertThat(load.engine().stats().resourcesDeleted()).isEqualTo(12);
    }
  }

  @Test
  void updateScenarioChangesOneResourceAndCountsTheCallsThatNamedIt() throws Exception {
    try (EngineLoad load = new EngineLoad(Latency.fixed(20), EngineLoad.optionsFor(3, 4))) {
      LayeredTemplate t = new LayeredTemplate(2, 3);
      EngineLoad.OneChangeUpdate r = load.updateOneProperty(t, Duration.ofSeconds(60));
      assertThat(r.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
      assertThat(r.resources()).isEqualTo(6);
      assertThat(r.callsNamingTheChanged()).as("%s", r.commands()).isPositive();
      assertThat(r.commands()).containsKey("createTags").doesNotContainKey("createVolume");
      assertThat(load.simulator().inventory().created()).filteredOn(i -> i.tags().containsValue("gold")).hasSize(1);
    }
  }

  @Test
  void inFlightScenarioMeasuresHeapAndPlatformThreadsWhileStacksWait() throws Exception {
    Duration latency = Duration.ofMillis(1500);
    try (EngineLoad load = new EngineLoad(Latency.fixed(latency.toMillis()), EngineLoad.optionsFor(8, 4))) {
      EngineLoad.InFlight r = load.inFlight(4, new LayeredTemplate(1, 2), latency, Duration.ofSeconds(60));
      assertThat(r.completeStacks()).isEqualTo(4);
      assertThat(r.pendingJobs()).isBetween(0L, 8L + 8L); // creates, plus any tag jobs already submitted
      assertThat(r.heapUsedBytes()).isPositive();
      assertThat(r.platformThreads()).isPositive().isLessThanOrEqualTo(r.peakPlatformThreads());
      assertThat(r.threadsByName()).isNotEmpty();
    }
  }

  @Test
  void medianOfSortedRates() {
    assertThat(EngineLoad.median(new double[] {1, 2, 9})).isEqualTo(2);
    assertThat(EngineLoad.median(new double[] {1, 2, 4, 9})).isEqualTo(3);
  }

  @Test
  void optionsAreBoundedAndUnknownOnesRejected() {
    EngineLoad.Options d = EngineLoad.Options.parse(new String[0]);
    assertThat(d.scenario()).isEqualTo("all");
    assertThat(d.inflightStacks()).isEqualTo(1000);
    assertThat(EngineLoad.Options.parse(new String[] {"--scenario", "path", "--depth", "3"}).depth()).isEqualTo(3);
    assertThatThrownBy(() -> EngineLoad.Options.parse(new String[] {"--stackz", "3"}))
        .hasMessageContaining("unknown option(s) [stackz]");
    assertThatThrownBy(() -> EngineLoad.Options.parse(new String[] {"--inflight-stacks", "100000"}))
        .hasMessageContaining("bounded harness");
    assertThat(d.warmupRounds()).isEqualTo(15);
    assertThat(d.rounds()).isEqualTo(5);
    assertThatThrownBy(() -> EngineLoad.Options.parse(new String[] {"--rounds", "0"}))
        .hasMessageContaining("--rounds at least 1");
  }
}
