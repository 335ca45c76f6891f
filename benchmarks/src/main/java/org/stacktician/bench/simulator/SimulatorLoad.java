package org.stacktician.bench.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
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
  /** What one run measured. */
  public record Result(String command, int threads, long requests, long errors, Duration elapsed, long p50Micros,
      long p99Micros, long cpuNanosPerRequest) {
    public double perSecond() {
      return requests / (elapsed.toNanos() / 1e9);
    }

    /** Requests per second the CPUs could carry if this process had them to itself (CPU time is not stolen by others). */
    public double cpuBoundPerSecond() {
      return cpuNanosPerRequest == 0 ? 0 : Runtime.getRuntime().availableProcessors() * 1e9 / cpuNanosPerRequest;
    }

    @Override
    public String toString() {
      return String.format("%-20s threads=%-3d requests=%-7d errors=%-4d %7.0f req/s  p50=%d us  p99=%d us"
              + "  CPU/request (client+simulator)=%d us -> %.0f req/s on %d idle cores",
          command, threads, requests, errors, perSecond(), p50Micros, p99Micros, cpuNanosPerRequest / 1000,
          cpuBoundPerSecond(), Runtime.getRuntime().availableProcessors());
    }
  }

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
      Result base = run(baseline, "listZones", Map.of(), threads, requests, Duration.ofSeconds(seconds));
      System.out.println(base.toString().replaceFirst("listZones ", "baseline* ")
          + "\n  * the same client and listZones body against a JDK HTTP server that answers a canned body");
    }
  }

  private static CloudStackClient client(java.net.URI endpoint, CloudStackSimulator sim) {
    return CloudStackClient.builder().endpoint(endpoint).credentials(sim.credentials()).retryPolicy(RetryPolicy.none()).build();
  }

  /** Sends up to {@code requests} calls of {@code command} from {@code threads} threads, stopping at {@code limit}. */
  public static Result run(CloudStackClient client, String command, Map<String, String> params, int threads, long requests,
      Duration limit) throws Exception {
    {
      AtomicLong issued = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      long deadline = System.nanoTime() + limit.toNanos();
      long[][] latencies = new long[threads][];
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int slot = t;
        futures.add(pool.submit(() -> {
          long[] mine = new long[(int) Math.min(Integer.MAX_VALUE - 8, requests / threads + 1)];
          int n = 0;
          while (issued.incrementAndGet() <= requests && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            try {
              client.call(command, params);
            } catch (RuntimeException e) {
              errors.incrementAndGet();
            }
            if (n < mine.length) mine[n++] = System.nanoTime() - t0;
          }
          latencies[slot] = Arrays.copyOf(mine, n);
          return null;
        }));
      }
      for (Future<?> f : futures) f.get();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      long cpu = os.getProcessCpuTime() - cpuStart;
      pool.shutdown();
      long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
      long done = all.length;
      return new Result(command, threads, done, errors.get(), elapsed, percentile(all, 0.50) / 1000,
          percentile(all, 0.99) / 1000, done == 0 ? 0 : cpu / done);
    }
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}
