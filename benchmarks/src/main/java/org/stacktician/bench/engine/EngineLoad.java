package org.stacktician.bench.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.EngineStats;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * End-to-end load harness of the StackMate engine: a real {@link LocalEngine} (H2 state file,
 * db-scheduler, callback listener) against an embedded simulator on loopback, running generated
 * {@link LayeredTemplate} stacks. Four scenarios, each on a fresh simulator and state file:
 * <ul>
 *   <li>{@code path}: one stack of depth D and width W with a fixed job latency L: elapsed time vs
 *       D x L (the critical path) and vs N x L (the original's one resource at a time);
 *   <li>{@code throughput}: no job latency, many stacks at once: resources completed per second,
 *       in rounds (the first ones warm the JIT up; each round's stacks are deleted after it);
 *   <li>{@code update}: one stack of 100 resources, then an update that changes one property of
 *       one resource: its wall time against the create's, and the cloud calls it made, by the
 *       resources they named (the simulator's call log);
 *   <li>{@code inflight}: a long job latency and many stacks in flight at once: heap used after GC
 *       and platform threads, while every stack waits on the cloud.
 * </ul>
 * Every wait is bounded; nothing but loopback is contacted.
 *
 * <p>{@code java -Xmx1g -cp benchmarks/target/benchmarks.jar org.stacktician.bench.engine.EngineLoad
 * [--scenario all|path|throughput|update|inflight] [--latency-ms 1000] [--depth 4] [--width 5]
 * [--stacks 100] [--stack-depth 4] [--stack-width 5] [--inflight-stacks 1000] [--inflight-width 5]
 * [--inflight-latency-ms 30000] [--warmup-rounds 15] [--rounds 5] [--scheduler-threads 8] [--state file|memory]}
 */
public final class EngineLoad implements AutoCloseable {
  private static final String ZONE = "Sandbox-simulator";

  private final Path stateDir;
  private final CloudStackSimulator simulator;
  private final CloudStackClient client;
  private final LocalEngine local;
  private final Map<String, String> parameters;
  private int runs;

  /** A fresh simulator with this job latency and an engine with these options on a new state directory. */
  public EngineLoad(Latency jobLatency, EngineOptions options) throws IOException {
    this(jobLatency, options, false);
  }

  /**
   * As {@link #EngineLoad(Latency, EngineOptions)}, the state in an in-memory H2 database instead
   * of the CLI's H2 file when {@code inMemoryState} (to see what the file store costs).
   */
  public EngineLoad(Latency jobLatency, EngineOptions options, boolean inMemoryState) throws IOException {
    stateDir = Files.createTempDirectory("stackmate-load");
    simulator = CloudStackSimulator.start(SimulatorConfig.defaults().withGuestSignals(false, Duration.ZERO)
        .withKnobs(SimulatorConfig.defaults().knobs().withJobLatency(jobLatency)));
    client = CloudStackClient.builder().endpoint(simulator.endpoint()).credentials(simulator.credentials()).build();
    LocalEngine.Builder builder = LocalEngine.builder(client).options(options);
    if (inMemoryState) {
      builder.database(EngineDatabase.open("jdbc:h2:mem:stackmate-load-" + java.util.UUID.randomUUID()
          + ";DB_CLOSE_DELAY=-1", "sa", "", 16, true));
    } else {
      builder.stateDir(stateDir);
    }
    local = builder.build();
    parameters = Map.of("ZoneId", idOf("listZones", ZONE, Map.of()),
        "DiskOfferingId", idOf("listDiskOfferings", "Small", Map.of()));
  }

  public StackEngine engine() {
    return local.engine();
  }

  public CloudStackSimulator simulator() {
    return simulator;
  }

  /** The parameters of {@link LayeredTemplate} stacks in this load's simulator (its zone and disk offering). */
  public Map<String, String> parameters() {
    return parameters;
  }

  // ------------------------------------------------------------------------------ scenarios

  /** What the critical-path scenario measured. */
  public record CriticalPath(int depth, int width, Duration latency, Duration elapsed, StackStatus status,
      List<String> layers) {
    public Duration criticalPath() {
      return latency.multipliedBy(depth);
    }

    public Duration sequential() {
      return latency.multipliedBy((long) depth * width);
    }

    /** Elapsed time over D x L (goal: at most 1.15). */
    public double ofCriticalPath() {
      return elapsed.toNanos() / (double) criticalPath().toNanos();
    }

    /** Elapsed time over N x L (the original's sequential time). */
    public double ofSequential() {
      return elapsed.toNanos() / (double) sequential().toNanos();
    }
  }

  /** Creates one D x W stack and times it until it settles. */
  public CriticalPath criticalPath(LayeredTemplate template, Duration latency, Duration timeout) throws Exception {
    long start = System.nanoTime();
    StackRecord done = createAndAwait("path-" + template.depth() + "x" + template.width(), template, timeout);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return new CriticalPath(template.depth(), template.width(), latency, elapsed, done.status(),
        layerTimeline(done, template));
  }

  /** Per layer: when its first resource started and its last completed, in ms since the stack began. */
  private List<String> layerTimeline(StackRecord stack, LayeredTemplate template) {
    java.time.Instant t0 = null;
    long[] firstStart = new long[template.depth()];
    long[] lastDone = new long[template.depth()];
    java.util.Arrays.fill(firstStart, Long.MAX_VALUE);
    for (var e : engine().events(stack.stackId(), 0)) {
      if (t0 == null) {
        t0 = e.timestamp();
      }
      if (!e.logicalId().startsWith("L") || e.aboutStack()) {
        continue;
      }
      int layer = Integer.parseInt(e.logicalId().substring(1, e.logicalId().indexOf('V')));
      long at = Duration.between(t0, e.timestamp()).toMillis();
      if (e.status().equals("CREATE_IN_PROGRESS")) {
        firstStart[layer] = Math.min(firstStart[layer], at);
      } else if (e.status().equals("CREATE_COMPLETE")) {
        lastDone[layer] = Math.max(lastDone[layer], at);
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < template.depth(); i++) {
      out.add("L" + i + " " + firstStart[i] + "-" + lastDone[i]);
    }
    return out;
  }

  /** What the throughput scenario measured. */
  public record Throughput(int stacks, int resourcesPerStack, Duration elapsed, long completeStacks, EngineStats stats,
      Duration processCpu) {
    public double resourcesPerSecond() {
      return (double) stacks * resourcesPerStack / (elapsed.toNanos() / 1e9);
    }

    /** CPU time of the whole process (engine, H2, simulator, client) per resource created. */
    public double cpuMillisPerResource() {
      return processCpu.toNanos() / 1e6 / ((double) stacks * resourcesPerStack);
    }

    /** CPU time per elapsed time: near the core count when CPU-bound, far below when waiting. */
    public double coresBusy() {
      return processCpu.toNanos() / (double) elapsed.toNanos();
    }
  }

  /** Starts {@code stacks} stacks at once and times them until every one has settled. */
  public Throughput throughput(int stacks, LayeredTemplate template, Duration timeout) throws Exception {
    EngineStats before = engine().stats();
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    List<StackRecord> started = startStacks("tp", stacks, template);
    List<StackRecord> done = awaitAll(started, timeout, start);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    Duration cpu = Duration.ofNanos(processCpuNanos() - cpu0);
    EngineStats after = engine().stats();
    EngineStats delta = new EngineStats(after.steps() - before.steps(), after.handlerCalls() - before.handlerCalls(),
        after.resourcesCreated() - before.resourcesCreated(), after.resourcesDeleted() - before.resourcesDeleted(),
        after.stacksSettled() - before.stacksSettled());
    long complete = done.stream().filter(s -> s.status() == StackStatus.CREATE_COMPLETE).count();
    deleteAll(done, timeout);
    return new Throughput(stacks, template.resources(), elapsed, complete, delta, cpu);
  }

  /**
   * Deletes a round's stacks (untimed) so that rounds start alike: the simulator's inventory and
   * the heap stay bounded however many rounds run, and the next round measures creates only.
   */
  private void deleteAll(List<StackRecord> stacks, Duration timeout) throws Exception {
    for (StackRecord s : stacks) {
      engine().deleteStack(s.stackId());
    }
    awaitAll(stacks, timeout, System.nanoTime());
    List<?> left = simulator.inventory().created();
    if (!left.isEmpty()) {
      throw new IllegalStateException(left.size() + " resources left in the simulator after deleting every stack of the round");
    }
  }

  /** What the in-flight scenario measured. */
  public record InFlight(int stacks, int resourcesPerStack, Duration latency, Duration submitted, long stacksInProgress,
      long pendingJobs, long heapUsedBytes, int platformThreads, int peakPlatformThreads,
      Map<String, Integer> threadsByName, Duration settled, long completeStacks) {

    /** Platform threads the in-process simulator owns (its Jetty pool and job timer), not the engine. */
    public int simulatorThreads() {
      return threadsByName.entrySet().stream().filter(e -> simulatorThread(e.getKey())).mapToInt(Map.Entry::getValue).sum();
    }
  }

  /** The simulator's Jetty runs on pooled platform threads; the engine's callback listener on virtual ones. */
  static boolean simulatorThread(String foldedName) {
    return foldedName.startsWith("simulator-")
        || (foldedName.startsWith("JettyServerThreadPool-") && !foldedName.contains("Virtual"));
  }

  /**
   * Starts {@code stacks} stacks whose jobs take {@code latency}, measures heap (after GC) and
   * platform threads once every resource's job is pending in the cloud, then waits for them all.
   */
  public InFlight inFlight(int stacks, LayeredTemplate template, Duration latency, Duration timeout) throws Exception {
    var threads = ManagementFactory.getThreadMXBean();
    threads.resetPeakThreadCount();
    long start = System.nanoTime();
    List<StackRecord> started = startStacks("fl", stacks, template);
    Duration submitted = Duration.ofNanos(System.nanoTime() - start);
    long expectedJobs = (long) stacks * template.width();
    long deadline = start + latency.toNanos() * 9 / 10;
    while (simulator.inventory().pendingJobs() < expectedJobs && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long pending = simulator.inventory().pendingJobs();
    long inProgress = engine().listStacks().stream().filter(s -> s.status() == StackStatus.CREATE_IN_PROGRESS).count();
    long heap = heapAfterGc();
    int live = threads.getThreadCount();
    int peak = threads.getPeakThreadCount();
    Map<String, Integer> byName = platformThreadsByName();
    List<StackRecord> done = awaitAll(started, timeout, start);
    Duration settled = Duration.ofNanos(System.nanoTime() - start);
    long complete = done.stream().filter(s -> s.status() == StackStatus.CREATE_COMPLETE).count();
    return new InFlight(stacks, template.resources(), latency, submitted, inProgress, pending, heap, live, peak, byName,
        settled, complete);
  }

  /**
   * What the one-change update measured: the create of a stack, then an update that changes one
   * property of one of its resources, with the cloud calls the update made (from the simulator's
   * call log) sorted by which of the stack's resources they named.
   */
  public record OneChangeUpdate(int resources, Duration create, Duration update, StackStatus status,
      Map<String, Long> commands, long callsNamingTheChanged, long callsNamingOthers, long callsNamingNone) {
    public long calls() {
      return callsNamingTheChanged + callsNamingOthers + callsNamingNone;
    }
  }

  /** Creates one stack of {@code template}, then updates one property of one resource and counts the cloud calls. */
  public OneChangeUpdate updateOneProperty(LayeredTemplate template, Duration timeout) throws Exception {
    String name = "update-" + (++runs);
    long start = System.nanoTime();
    StackRecord created = engine().awaitSettled(
        engine().createStack(CreateStackRequest.of(name, template.body(), parameters)).stackId(), timeout);
    Duration create = Duration.ofNanos(System.nanoTime() - start);
    if (created.status() != StackStatus.CREATE_COMPLETE) {
      throw new IllegalStateException("the stack to update ended " + created.status() + ": " + created.statusReason());
    }
    Map<String, String> physicalIds = new java.util.HashMap<>();
    engine().resources(created.stackId()).forEach(r -> physicalIds.put(r.logicalId(), r.physicalId()));
    String changed = physicalIds.get(template.changedLogicalId());
    Map<String, UpdateRequest.ParameterValue> values = new java.util.LinkedHashMap<>();
    parameters.forEach((k, v) -> values.put(k, new UpdateRequest.ParameterValue.Given(v)));
    simulator.calls().clear();
    start = System.nanoTime();
    engine().updateStack(name, new UpdateRequest(
        template.bodyWithOneTag("tier", "gold"), values));
    StackRecord updated = engine().awaitSettled(created.stackId(), timeout);
    Duration update = Duration.ofNanos(System.nanoTime() - start);
    Map<String, Long> commands = new TreeMap<>();
    long theChanged = 0;
    long others = 0;
    long none = 0;
    for (var call : simulator.calls().calls()) {
      commands.merge(call.command(), 1L, Long::sum);
      if (call.names(changed)) {
        theChanged++;
      } else if (physicalIds.values().stream().anyMatch(call::names)) {
        others++;
      } else {
        none++;
      }
    }
    return new OneChangeUpdate(template.resources(), create, update, updated.status(), commands, theChanged, others,
        none);
  }

  // ------------------------------------------------------------------------------ helpers

  private StackRecord createAndAwait(String name, LayeredTemplate template, Duration timeout) throws Exception {
    StackRecord s = engine().createStack(CreateStackRequest.of(name + "-" + (++runs), template.body(), parameters));
    return engine().awaitSettled(s.stackId(), timeout);
  }

  private List<StackRecord> startStacks(String prefix, int count, LayeredTemplate template) {
    String body = template.body();
    prefix = prefix + (++runs);
    List<StackRecord> started = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      started.add(engine().createStack(CreateStackRequest.of(prefix + "-" + i, body, parameters)));
    }
    return started;
  }

  private List<StackRecord> awaitAll(List<StackRecord> started, Duration timeout, long startNanos) throws Exception {
    long deadline = startNanos + timeout.toNanos();
    List<StackRecord> done = new ArrayList<>(started.size());
    for (StackRecord s : started) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("stacks still in progress after " + timeout);
      }
      done.add(engine().awaitSettled(s.stackId(), Duration.ofNanos(left)));
    }
    return done;
  }

  private static long heapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  private static String loadAverage() {
    double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return l < 0 ? "unknown" : String.format("%.1f", l);
  }

  /** Live platform threads grouped by name with digits folded (virtual threads are not platform threads). */
  static Map<String, Integer> platformThreadsByName() {
    Map<String, Integer> groups = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.isVirtual()) {
        groups.merge(t.getName().replaceAll("\\d+", "N"), 1, Integer::sum);
      }
    }
    return groups;
  }

  private String idOf(String listCommand, String name, Map<String, String> params) {
    return client.list(listCommand, params).stream().filter(i -> name.equals(i.path("name").asText()))
        .map(i -> i.path("id").asText()).findFirst()
        .orElseThrow(() -> new IllegalStateException(listCommand + " has no item named " + name));
  }

  @Override
  public void close() throws IOException {
    local.close();
    client.close();
    simulator.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ------------------------------------------------------------------------------ main

  /** The harness's options, with the defaults of the README's run. */
  record Options(String scenario, long latencyMs, int depth, int width, int stacks, int stackDepth, int stackWidth,
      int inflightStacks, int inflightWidth, long inflightLatencyMs, int schedulerThreads, boolean memoryState,
      int warmupRounds, int rounds) {
    static Options parse(String[] args) {
      Map<String, String> o = new TreeMap<>();
      for (int i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("options are --name value pairs; got '" + args[i] + "'");
        }
        o.put(args[i].substring(2), args[i + 1]);
      }
      String scenario = o.containsKey("scenario") ? o.remove("scenario") : "all";
      Options parsed = new Options(scenario, num(o, "latency-ms", 1000), (int) num(o, "depth", 4),
          (int) num(o, "width", 5), (int) num(o, "stacks", 100), (int) num(o, "stack-depth", 4),
          (int) num(o, "stack-width", 5), (int) num(o, "inflight-stacks", 1000), (int) num(o, "inflight-width", 5),
          num(o, "inflight-latency-ms", 30_000), (int) num(o, "scheduler-threads", EngineOptions.defaults().schedulerThreads()),
          "memory".equals(o.remove("state")), (int) num(o, "warmup-rounds", 15), (int) num(o, "rounds", 5));
      if (!o.isEmpty()) {
        throw new IllegalArgumentException("unknown option(s) " + o.keySet() + "; known: --scenario, --latency-ms, "
            + "--depth, --width, --stacks, --stack-depth, --stack-width, --inflight-stacks, --inflight-width, "
            + "--inflight-latency-ms, --scheduler-threads, --state file|memory, --warmup-rounds, --rounds");
      }
      if (parsed.warmupRounds() < 0 || parsed.rounds() < 1 || parsed.warmupRounds() + parsed.rounds() > 100) {
        throw new IllegalArgumentException("--warmup-rounds at least 0, --rounds at least 1, at most 100 rounds in all");
      }
      if (parsed.stacks() > 2000 || parsed.inflightStacks() > 5000 || parsed.latencyMs() > 60_000
          || parsed.inflightLatencyMs() > 120_000) {
        throw new IllegalArgumentException("bounded harness: at most 2000 stacks, 5000 in flight, 60 s and 120 s latencies");
      }
      return parsed;
    }

    private static long num(Map<String, String> o, String key, long def) {
      String v = o.remove(key);
      return v == null ? def : Long.parseLong(v);
    }
  }

  /** Engine options of the runs: the defaults, with the per-account bound raised to the load offered. */
  static EngineOptions optionsFor(int resourcesInFlight, int schedulerThreads) {
    EngineOptions d = EngineOptions.defaults();
    return d.withMaxOperationsPerAccount(Math.max(d.maxOperationsPerAccount(), resourcesInFlight))
        .withSchedulerThreads(schedulerThreads);
  }

  /** The median of sorted values. */
  public static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    System.out.printf("StackMate engine load: %d CPUs (load average %s), JDK %s, max heap %d MB, %d scheduler threads;"
        + " engine, H2 state %s and simulator in one JVM over loopback%n", Runtime.getRuntime().availableProcessors(),
        loadAverage(), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20, o.schedulerThreads(),
        o.memoryState() ? "in memory" : "file");
    boolean all = o.scenario().equals("all");
    if (all || o.scenario().equals("path")) {
      Duration l = Duration.ofMillis(o.latencyMs());
      LayeredTemplate t = new LayeredTemplate(o.depth(), o.width());
      try (EngineLoad load = new EngineLoad(Latency.fixed(o.latencyMs()), optionsFor(t.width(), o.schedulerThreads()), o.memoryState())) {
        load.criticalPath(new LayeredTemplate(1, 1), l, Duration.ofMinutes(1)); // warm-up
        CriticalPath r = load.criticalPath(t, l, l.multipliedBy((long) t.resources() * 3).plusSeconds(30));
        System.out.printf("a. critical path  D=%d W=%d N=%d L=%d ms: %s in %d ms = %.3f x (D x L = %d ms), %.3f x (N x L = %d ms, the original)%n",
            r.depth(), r.width(), t.resources(), o.latencyMs(), r.status(), r.elapsed().toMillis(), r.ofCriticalPath(),
            r.criticalPath().toMillis(), r.ofSequential(), r.sequential().toMillis());
        System.out.println("   layers (first start - last complete, ms): " + r.layers());
      }
    }
    if (all || o.scenario().equals("throughput")) {
      LayeredTemplate t = new LayeredTemplate(o.stackDepth(), o.stackWidth());
      try (EngineLoad load = new EngineLoad(Latency.NONE, optionsFor(o.stacks() * t.width(), o.schedulerThreads()), o.memoryState())) {
        System.out.printf("b. throughput     %d stacks x %d resources (D=%d W=%d), no job latency; %d warm-up rounds, then %d measured;"
            + " each round's stacks are deleted (untimed) before the next%n", o.stacks(), t.resources(), t.depth(), t.width(),
            o.warmupRounds(), o.rounds());
        List<Throughput> measured = new ArrayList<>();
        for (int round = 1; round <= o.warmupRounds() + o.rounds(); round++) {
          Throughput r = load.throughput(o.stacks(), t, Duration.ofMinutes(5));
          boolean warmUp = round <= o.warmupRounds();
          if (!warmUp) {
            measured.add(r);
          }
          System.out.printf("   round %2d%s: %d complete in %d ms = %.0f resources/s (steps %d, handler calls %d);"
              + " process CPU %.2f ms per resource, %.2f cores busy%n", round, warmUp ? " (warm-up)" : "         ",
              r.completeStacks(), r.elapsed().toMillis(), r.resourcesPerSecond(), r.stats().steps(), r.stats().handlerCalls(),
              r.cpuMillisPerResource(), r.coresBusy());
        }
        double[] rates = measured.stream().mapToDouble(Throughput::resourcesPerSecond).sorted().toArray(); // rounds >= 1
        double[] cpu = measured.stream().mapToDouble(Throughput::cpuMillisPerResource).sorted().toArray();
        System.out.printf("   measured rounds: median %.0f resources/s (%.0f-%.0f), median process CPU %.2f ms per resource%n",
            median(rates), rates[0], rates[rates.length - 1], median(cpu));
      }
    }
    if (all || o.scenario().equals("update")) {
      LayeredTemplate t = new LayeredTemplate(4, 25);
      try (EngineLoad load = new EngineLoad(Latency.fixed(o.latencyMs()), optionsFor(t.width(), o.schedulerThreads()),
          o.memoryState())) {
        load.updateOneProperty(new LayeredTemplate(1, 2), Duration.ofMinutes(2)); // warm-up
        OneChangeUpdate r = load.updateOneProperty(t, Duration.ofMinutes(10));
        System.out.printf("d. one-change update  %d resources (D=4 W=25), job latency %d ms: create %d ms; update of one"
            + " property of one resource %s in %d ms = %.3f x the create; cloud calls during the update %d: %d naming the"
            + " changed resource, %d naming another resource of the stack, %d naming none; by command %s%n",
            r.resources(), o.latencyMs(), r.create().toMillis(), r.status(), r.update().toMillis(),
            r.update().toNanos() / (double) r.create().toNanos(), r.calls(), r.callsNamingTheChanged(),
            r.callsNamingOthers(), r.callsNamingNone(), r.commands());
      }
    }
    if (all || o.scenario().equals("inflight")) {
      LayeredTemplate t = new LayeredTemplate(1, o.inflightWidth());
      Duration l = Duration.ofMillis(o.inflightLatencyMs());
      try (EngineLoad load = new EngineLoad(Latency.fixed(o.inflightLatencyMs()), optionsFor(o.inflightStacks() * t.width(), o.schedulerThreads()),
          o.memoryState())) {
        InFlight r = load.inFlight(o.inflightStacks(), t, l, l.multipliedBy(4).plusMinutes(2));
        System.out.printf("c. in flight      %d stacks x %d resources, L=%d ms: submitted in %d ms; at the measurement %d stacks in progress, %d jobs pending;"
            + " heap used after GC %.1f MB; platform threads %d (peak %d), of which the simulator's %d, so engine and JVM %d;"
            + " all settled after %d ms, %d complete%n",
            r.stacks(), r.resourcesPerStack(), o.inflightLatencyMs(), r.submitted().toMillis(), r.stacksInProgress(),
            r.pendingJobs(), r.heapUsedBytes() / 1048576.0, r.platformThreads(), r.peakPlatformThreads(),
            r.simulatorThreads(), r.platformThreads() - r.simulatorThreads(), r.settled().toMillis(), r.completeStacks());
        System.out.println("   platform threads by name: " + r.threadsByName());
      }
    }
  }
}
