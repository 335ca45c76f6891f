package org.stacktician.bench.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stacktician.bench.ConcurrentLoad;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.RetryPolicy;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;

/**
 * Load harness: simple signed API requests per second from the project's client to an embedded
 * simulator on loopback, bounded by a request count and a time limit.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar org.stacktician.bench.simulator.SimulatorLoad
 * [--threads 8] [--requests 50000] [--seconds 30] [--command listZones|listVirtualMachines|queryAsyncJobResult]}
 */
public final class SimulatorLoad {
  private SimulatorLoad() {}

  public static void main(String[] args) throws Exception {
    int threads = 8;
    long requests = 50_000;
    long seconds = 30;
    List<String> commands = new ArrayList<>(List.of("listZones", "listVirtualMachines", "queryAsyncJobResult"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--requests" -> requests = Long.parseLong(args[i + 1]);
        case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
        case "--command" -> commands = List.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (use --threads, --requests, --seconds, --command)");
      }
    }
    System.out.println("Simulator load, " + Runtime.getRuntime().availableProcessors() + " CPUs, JDK "
        + Runtime.version() + ", client and simulator in one JVM over loopback HTTP, load average before: "
        + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (CloudStackSimulator sim = CloudStackSimulator.start(SimulatorConfig.defaults().withGuestSignals(false, Duration.ZERO));
        CloudStackClient client = client(sim.endpoint(), sim);
        MinimalServer minimal = new MinimalServer(
            ("{\"listzonesresponse\":" + client.call("listZones", Map.of()) + "}").getBytes(StandardCharsets.UTF_8));
        CloudStackClient baseline = client(minimal.endpoint(), sim)) {
      Map<String, Map<String, String>> params = new java.util.LinkedHashMap<>();
      for (String command : commands) params.put(command, Fixture.params(client, command));
      for (int round = 0; round < 2; round++) { // warm-up: the JIT compiles client, Jetty and simulator first
        for (String command : commands) {
          run(client, command, params.get(command), threads, requests / 5, Duration.ofSeconds(Math.max(1, seconds / 5)));
        }
        run(baseline, "listZones", Map.of(), threads, requests / 5, Duration.ofSeconds(Math.max(1, seconds / 5)));
      }
      for (String command : commands) {
        System.out.println(run(client, command, params.get(command), threads, requests, Duration.ofSeconds(seconds)));
      }
      ConcurrentLoad.Result base = run(baseline, "listZones", Map.of(), threads, requests, Duration.ofSeconds(seconds));
      System.out.println(base.toString().replaceFirst("listZones ", "baseline* ")
          + "\n  * the same client and listZones body against a JDK HTTP server that answers a canned body");
    }
  }

  private static CloudStackClient client(java.net.URI endpoint, CloudStackSimulator sim) {
    return CloudStackClient.builder().endpoint(endpoint).credentials(sim.credentials()).retryPolicy(RetryPolicy.none()).build();
  }

  /** Sends up to {@code requests} calls of {@code command} from {@code threads} threads, stopping at {@code limit}. */
  public static ConcurrentLoad.Result run(CloudStackClient client, String command, Map<String, String> params, int threads,
      long requests, Duration limit) throws Exception {
    return ConcurrentLoad.run(command, () -> client.call(command, params), threads, requests, limit);
  }
}
