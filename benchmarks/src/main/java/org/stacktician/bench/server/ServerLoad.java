package org.stacktician.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.stacktician.bench.ConcurrentLoad;
import org.stacktician.bench.engine.EngineLoad;
import org.stacktician.bench.engine.LayeredTemplate;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.server.StackticianServer;
import org.stacktician.server.auth.SigV4Signer;
import org.stacktician.server.config.ServerConfig;

/**
 * Load harness of the Stacktician server: a real {@link StackticianServer} (embedded H2 file in a
 * fresh data directory, Javalin on loopback) used over real HTTP by an ordinary user's access key.
 * <ul>
 *   <li>{@code reads}: with {@code --seed-stacks} stacks stored (one wait-condition handle each, no
 *       cloud work), describe-stacks ({@code GET /api/v1/stacks/{id}}, a random stack each time) and
 *       list-stacks ({@code GET /api/v1/stacks?limit=50}) from {@code --clients} threads at once,
 *       each sending its next request as soon as the last is answered, and the same through the
 *       CloudFormation API ({@code DescribeStacks} by name, {@code ListStacks}' first page): requests/s, p50, p99;
 *   <li>{@code throughput}: {@code --stacks} generated stacks of D x W {@code CloudStack::Volume}s
 *       submitted through the REST API at once, timed until all are complete (resources/s), in
 *       rounds alternating with the same stacks submitted to a CLI engine ({@link EngineLoad},
 *       H2 file) on the same zero-latency simulator: the server's figure beside the CLI's.
 * </ul>
 * Every wait is bounded; nothing but loopback is contacted.
 *
 * <p>{@code java -Xmx1g -cp benchmarks/target/benchmarks.jar org.stacktician.bench.server.ServerLoad
 * [--scenario all|reads|throughput] [--clients 64] [--seconds 15] [--seed-stacks 1000] [--stacks 100]
 * [--stack-depth 4] [--stack-width 5] [--warmup-rounds 5] [--rounds 3]}
 */
public final class ServerLoad implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HANDLE = """
      {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"Url": {"Value": {"Ref": "Handle"}}}}
      """;

  private final Path dataDir;
  private final StackticianServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final EngineLoad cli;
  private final String auth;
  private final SigV4Signer signer;
  /** Each client thread's keep-alive connection, and all of them, closed at the end. */
  private final ThreadLocal<KeepAliveClient> connection = new ThreadLocal<>();
  private final List<KeepAliveClient> connections = new ArrayList<>();
  private int runs;

  /**
   * A server on a fresh data directory with one ordinary user whose cloud account is the CLI
   * engine's simulator (no job latency), and that CLI engine with the server engine's options.
   */
  public ServerLoad() throws Exception {
    dataDir = Files.createTempDirectory("stacktician-server-load");
    server = StackticianServer.start(new ServerConfig(dataDir, "127.0.0.1", 0, null, null, null, null, null, true));
    var admin = server.printedCredentials().orElseThrow();
    String adminAuth = "Bearer " + admin.accessKeyId() + ":" + admin.secretAccessKey();
    JsonNode key = send("POST", "/users", Map.of("name", "bench", "password", "bench password 1"), adminAuth)
        .path("accessKey");
    auth = "Bearer " + key.path("accessKeyId").asText() + ":" + key.path("secretAccessKey").asText();
    signer = new SigV4Signer(key.path("accessKeyId").asText(), key.path("secretAccessKey").asText(), "us-east-1",
        "cloudformation");
    // The server's engine runs with the default options; so does the CLI engine it is compared with.
    cli = new EngineLoad(Latency.NONE, EngineOptions.defaults());
    var sim = cli.simulator();
    send("POST", "/cloud-accounts", Map.of("name", "load", "endpoint", sim.endpoint().toString(),
        "apiKey", sim.credentials().apiKey(), "secretKey", sim.credentials().secretKey()), auth);
  }

  // ------------------------------------------------------------------------------ reads

  /** Stores {@code count} stacks (8 at a time) and waits until every one is complete; returns their ids. */
  public List<String> seed(int count, Duration timeout) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> made = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "seed-" + i;
        made.add(pool.submit(() -> send("POST", "/stacks", Map.of("name", name, "templateBody", HANDLE), auth)
            .path("id").asText()));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : made) {
        ids.add(f.get());
      }
      awaitNoneInProgress(System.nanoTime() + timeout.toNanos());
      return ids;
    } finally {
      pool.shutdown();
    }
  }

  /** describe-stacks of random stored stacks from {@code clients} threads for {@code limit}. */
  public ConcurrentLoad.Result describe(List<String> ids, int clients, Duration limit) throws Exception {
    return ConcurrentLoad.run("describe-stacks REST", () -> get("/stacks/" + ids.get(
        ThreadLocalRandom.current().nextInt(ids.size()))), clients, Long.MAX_VALUE, limit);
  }

  /** list-stacks (the first page of 50) from {@code clients} threads for {@code limit}. */
  public ConcurrentLoad.Result list(int clients, Duration limit) throws Exception {
    return ConcurrentLoad.run("list-stacks REST", () -> get("/stacks?limit=50"), clients, Long.MAX_VALUE, limit);
  }

  /** CloudFormation API DescribeStacks of random stored stacks (by name) from {@code clients} threads for {@code limit}. */
  public ConcurrentLoad.Result describeViaCfn(int count, int clients, Duration limit) throws Exception {
    return ConcurrentLoad.run("DescribeStacks /cfn/", () -> cfn("Action=DescribeStacks&StackName=seed-"
        + ThreadLocalRandom.current().nextInt(count)), clients, Long.MAX_VALUE, limit);
  }

  /** CloudFormation API ListStacks (its first page) from {@code clients} threads for {@code limit}. */
  public ConcurrentLoad.Result listViaCfn(int clients, Duration limit) throws Exception {
    return ConcurrentLoad.run("ListStacks /cfn/", () -> cfn("Action=ListStacks"), clients, Long.MAX_VALUE, limit);
  }

  // ------------------------------------------------------------------------------ throughput

  /** One round through the REST API: {@code stacks} stacks submitted at once, timed until all are complete. */
  public EngineLoad.Throughput throughputViaApi(int stacks, LayeredTemplate template, Duration timeout) throws Exception {
    String body = template.body();
    String prefix = "api" + (++runs) + "-";
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < stacks; i++) {
      ids.add(send("POST", "/stacks", Map.of("name", prefix + i, "templateBody", body,
          "parameters", cli.parameters()), auth).path("id").asText());
    }
    awaitNoneInProgress(start + timeout.toNanos());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    Duration cpu = Duration.ofNanos(processCpuNanos() - cpu0);
    long complete = 0;
    for (String id : ids) {
      complete += send("GET", "/stacks/" + id, null, auth).path("status").asText().equals("CREATE_COMPLETE") ? 1 : 0;
      send("DELETE", "/stacks/" + id, null, auth);
    }
    awaitNoneInProgress(System.nanoTime() + timeout.toNanos());
    if (!cli.simulator().inventory().created().isEmpty()) {
      throw new IllegalStateException("resources left in the simulator after deleting every stack of the round");
    }
    return new EngineLoad.Throughput(stacks, template.resources(), elapsed, complete, null, cpu);
  }

  /** The same round on the CLI engine. */
  public EngineLoad.Throughput throughputViaCli(int stacks, LayeredTemplate template, Duration timeout) throws Exception {
    return cli.throughput(stacks, template, timeout);
  }

  // ------------------------------------------------------------------------------ helpers

  /** Waits until none of the user's stacks is in progress. */
  private void awaitNoneInProgress(long deadlineNanos) throws Exception {
    String inProgress = "CREATE_IN_PROGRESS,DELETE_IN_PROGRESS,ROLLBACK_IN_PROGRESS";
    while (send("GET", "/stacks?limit=1&status=" + inProgress, null, auth).path("total").asLong() > 0) {
      if (System.nanoTime() > deadlineNanos) {
        throw new java.util.concurrent.TimeoutException("stacks still in progress");
      }
      Thread.sleep(50);
    }
  }

  /** A CloudFormation API GET signed with Signature Version 4 by the user's key, as the AWS SDKs and CLI sign. */
  private void cfn(String query) throws Exception {
    URI uri = URI.create(server.url() + "cfn/?" + query + "&Version=2010-05-15");
    Map<String, String> headers = signer.sign("GET", uri, Map.of(), new byte[0], java.time.Instant.now());
    expectOk(client().get(uri.getRawPath() + "?" + uri.getRawQuery(), headers), uri.toString());
  }

  private void get(String path) throws Exception {
    URI uri = URI.create(server.api() + path);
    expectOk(client().get(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
        Map.of("Authorization", auth)), uri.toString());
  }

  private static void expectOk(KeepAliveClient.Answer answer, String what) {
    if (answer.status() != 200 || answer.bodyBytes() == 0) {
      throw new IllegalStateException("GET " + what + ": " + answer.status() + " with " + answer.bodyBytes() + " bytes");
    }
  }

  /** This client thread's connection, made on its first request. */
  private KeepAliveClient client() {
    KeepAliveClient c = connection.get();
    if (c == null) {
      c = new KeepAliveClient(server.url());
      connection.set(c);
      synchronized (connections) {
        connections.add(c);
      }
    }
    return c;
  }

  private JsonNode send(String method, String path, Object body, String authorization) throws Exception {
    HttpResponse<String> r = http.send(request(method, path, body, authorization), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
  }

  private HttpRequest request(String method, String path, Object body, String authorization) throws IOException {
    return HttpRequest.newBuilder(URI.create(server.api() + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", authorization).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
        .build();
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  @Override
  public void close() throws IOException {
    connections.forEach(KeepAliveClient::close);
    http.close();
    server.close();
    cli.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ------------------------------------------------------------------------------ main

  /** The harness's options, with the defaults of the README's run. */
  record Options(String scenario, int clients, int seconds, int seedStacks, int stacks, int stackDepth, int stackWidth,
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
      Options parsed = new Options(scenario, num(o, "clients", 64), num(o, "seconds", 15), num(o, "seed-stacks", 1000),
          num(o, "stacks", 100), num(o, "stack-depth", 4), num(o, "stack-width", 5), num(o, "warmup-rounds", 5),
          num(o, "rounds", 3));
      if (!o.isEmpty()) {
        throw new IllegalArgumentException("unknown option(s) " + o.keySet() + "; known: --scenario all|reads|throughput,"
            + " --clients, --seconds, --seed-stacks, --stacks, --stack-depth, --stack-width, --warmup-rounds, --rounds");
      }
      if (parsed.clients() < 1 || parsed.clients() > 256 || parsed.seconds() < 1 || parsed.seconds() > 120
          || parsed.seedStacks() < 1 || parsed.seedStacks() > 5000 || parsed.stacks() > 500 || parsed.rounds() < 1
          || parsed.warmupRounds() < 0 || parsed.warmupRounds() + parsed.rounds() > 40) {
        throw new IllegalArgumentException("bounded harness: 1-256 clients, 1-120 s, 1-5000 stored stacks, at most 500"
            + " stacks a round, at least 1 measured round, at most 40 rounds in all");
      }
      return parsed;
    }

    private static int num(Map<String, String> o, String key, int def) {
      String v = o.remove(key);
      return v == null ? def : Integer.parseInt(v);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    System.out.printf("Stacktician server load: %d CPUs (load average %.1f), JDK %s, max heap %d MB; server (embedded H2"
        + " file), clients and simulator in one JVM over loopback HTTP; Bearer access key of an ordinary user%n",
        Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
    boolean all = o.scenario().equals("all");
    try (ServerLoad load = new ServerLoad()) {
      if (all || o.scenario().equals("reads")) {
        long t0 = System.nanoTime();
        List<String> ids = load.seed(o.seedStacks(), Duration.ofMinutes(10));
        System.out.printf("reads: %d stacks stored in %d s; %d clients, %d s each after a warm-up of %d s%n",
            ids.size(), (System.nanoTime() - t0) / 1_000_000_000, o.clients(), o.seconds(), o.seconds());
        Duration limit = Duration.ofSeconds(o.seconds());
        load.describe(ids, o.clients(), limit);
        load.list(o.clients(), limit);
        load.describeViaCfn(ids.size(), o.clients(), limit);
        load.listViaCfn(o.clients(), limit);
        System.out.println("   " + load.describe(ids, o.clients(), limit));
        System.out.println("   " + load.list(o.clients(), limit));
        System.out.println("   " + load.describeViaCfn(ids.size(), o.clients(), limit));
        System.out.println("   " + load.listViaCfn(o.clients(), limit));
      }
      if (all || o.scenario().equals("throughput")) {
        LayeredTemplate t = new LayeredTemplate(o.stackDepth(), o.stackWidth());
        System.out.printf("throughput: %d stacks x %d resources (D=%d W=%d), no job latency, same simulator; rounds"
            + " alternate CLI engine / REST API; %d warm-up rounds each, then %d measured each%n", o.stacks(),
            t.resources(), t.depth(), t.width(), o.warmupRounds(), o.rounds());
        List<Double> viaCli = new ArrayList<>();
        List<Double> viaApi = new ArrayList<>();
        for (int round = 1; round <= o.warmupRounds() + o.rounds(); round++) {
          boolean warmUp = round <= o.warmupRounds();
          EngineLoad.Throughput c = load.throughputViaCli(o.stacks(), t, Duration.ofMinutes(5));
          EngineLoad.Throughput a = load.throughputViaApi(o.stacks(), t, Duration.ofMinutes(5));
          if (!warmUp) {
            viaCli.add(c.resourcesPerSecond());
            viaApi.add(a.resourcesPerSecond());
          }
          System.out.printf("   round %2d%s: CLI engine %.0f resources/s (%d/%d complete, %.2f ms CPU each), REST API"
              + " %.0f resources/s (%d/%d complete, %.2f ms CPU each)%n", round, warmUp ? " (warm-up)" : "          ",
              c.resourcesPerSecond(), c.completeStacks(), c.stacks(), c.cpuMillisPerResource(), a.resourcesPerSecond(),
              a.completeStacks(), a.stacks(), a.cpuMillisPerResource());
        }
        double cliMedian = EngineLoad.median(viaCli.stream().mapToDouble(Double::doubleValue).sorted().toArray());
        double apiMedian = EngineLoad.median(viaApi.stream().mapToDouble(Double::doubleValue).sorted().toArray());
        System.out.printf("   measured rounds: median CLI engine %.0f resources/s, REST API %.0f resources/s"
            + " (API / CLI = %.2f)%n", cliMedian, apiMedian, apiMedian / cliMedian);
      }
    }
  }
}
