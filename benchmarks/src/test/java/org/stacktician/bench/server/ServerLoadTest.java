package org.stacktician.bench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stacktician.bench.ConcurrentLoad;
import org.stacktician.bench.engine.EngineLoad;
import org.stacktician.bench.engine.LayeredTemplate;

/** The server load harness at tiny sizes, so that it cannot rot (no timing is asserted). */
class ServerLoadTest {
  @Test
  void readsAndThroughputRunAtTinySizes() throws Exception {
    try (ServerLoad load = new ServerLoad()) {
      List<String> ids = load.seed(3, Duration.ofSeconds(60));
      assertThat(ids).hasSize(3).doesNotHaveDuplicates();
      for (ConcurrentLoad.Result r : List.of(load.describe(ids, 2, Duration.ofMillis(300)),
          load.list(2, Duration.ofMillis(300)), load.describeViaCfn(ids.size(), 2, Duration.ofMillis(300)),
          load.listViaCfn(2, Duration.ofMillis(300)))) {
        assertThat(r.requests()).as(r.toString()).isPositive();
        assertThat(r.errors()).as(r.toString()).isZero();
      }
      LayeredTemplate t = new LayeredTemplate(2, 2);
      EngineLoad.Throughput api = load.throughputViaApi(2, t, Duration.ofSeconds(90));
      assertThat(api.completeStacks()).isEqualTo(2);
      assertThat(api.resourcesPerSecond()).isPositive();
      assertThat(load.throughputViaCli(2, t, Duration.ofSeconds(90)).completeStacks()).isEqualTo(2);
    }
  }

  @Test
  void optionsHaveTheReadmeDefaultsAndAreBounded() {
    ServerLoad.Options d = ServerLoad.Options.parse(new String[0]);
    assertThat(d.clients()).isEqualTo(64);
    assertThat(d.seedStacks()).isEqualTo(1000);
    assertThat(d.stacks()).isEqualTo(100);
    assertThatThrownBy(() -> ServerLoad.Options.parse(new String[] {"--clients", "10000"}))
        .hasMessageContaining("bounded");
    assertThatThrownBy(() -> ServerLoad.Options.parse(new String[] {"--nope", "1"})).hasMessageContaining("nope");
  }
}
