package org.stacktician.bench.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.RetryPolicy;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;

/**
 * Signed API requests per second from the real client to an embedded simulator over loopback,
 * eight client threads: a catalogue list, a 20-VM list, and a job poll.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Threads(8)
@Fork(1)
public class SimulatorThroughputBenchmark {
  private CloudStackSimulator sim;
  private CloudStackClient client;
  private Map<String, String> jobParams;

  @Setup(Level.Trial)
  public void setUp() {
    sim = CloudStackSimulator.start(SimulatorConfig.defaults().withGuestSignals(false, Duration.ZERO));
    client = CloudStackClient.builder().endpoint(sim.endpoint()).credentials(sim.credentials())
        .retryPolicy(RetryPolicy.none()).build();
    Fixture.params(client, "listVirtualMachines");
    jobParams = Fixture.params(client, "queryAsyncJobResult");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    sim.close();
  }

  @Benchmark
  public Object listZones() {
    return client.list("listZones", Map.of());
  }

  @Benchmark
  public Object listTwentyVirtualMachines() {
    return client.list("listVirtualMachines", Map.of());
  }

  @Benchmark
  public Object queryAsyncJobResult() {
    return client.call("queryAsyncJobResult", jobParams);
  }
}
