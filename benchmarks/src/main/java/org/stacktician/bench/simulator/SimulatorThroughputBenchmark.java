package org.stacktician.bench.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
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
 * eight client threads: a catalogue list, a 20-VM list, and a job poll; beside them the same
 * client calling a minimal JDK server that answers a canned listZones body without checking
 * anything, so the simulator's own cost reads as a ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 3)
@Threads(8)
@Fork(1)
public class SimulatorThroughputBenchmark {
  private CloudStackSimulator sim;
  private CloudStackClient client;
  private Map<String, String> jobParams;
  private HttpServer minimal;
  private CloudStackClient minimalClient;

  @Setup(Level.Trial)
  public void setUp() {
    sim = CloudStackSimulator.start(SimulatorConfig.defaults().withGuestSignals(false, Duration.ZERO));
    client = CloudStackClient.builder().endpoint(sim.endpoint()).credentials(sim.credentials())
        .retryPolicy(RetryPolicy.none()).build();
    Fixture.params(client, "listVirtualMachines");
    jobParams = Fixture.params(client, "queryAsyncJobResult");
    byte[] canned = ("{\"listzonesresponse\":" + client.call("listZones", Map.of()) + "}").getBytes(StandardCharsets.UTF_8);
    try {
      minimal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    minimal.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    minimal.createContext("/client/api", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
      exchange.sendResponseHeaders(200, canned.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(canned);
      }
    });
    minimal.start();
    minimalClient = CloudStackClient.builder()
        .endpoint(URI.create("http://127.0.0.1:" + minimal.getAddress().getPort() + "/client/api"))
        .credentials(sim.credentials()).retryPolicy(RetryPolicy.none()).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    sim.close();
    minimalClient.close();
    minimal.stop(0);
  }

  @Benchmark
  public Object minimalServerListZones() {
    return minimalClient.list("listZones", Map.of());
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
