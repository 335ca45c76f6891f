package org.stacktician.cli.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.Main;
import org.stacktician.cli.StackticianCommand;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.Credentials;
import picocli.CommandLine;

/** {@code stacktician simulator} and {@code simulator inventory}, run in-process against real HTTP. */
class SimulatorCommandTest {

  private static CliRun run(String... args) {
    return CliRun.stacktician(args);
  }

  private static String line(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in: " + output)).substring(prefix.length()).strip();
  }

  /** A simulator command running until {@link #stop}: what it printed once it was up, and its exit code to come. */
  private record Running(SimulatorCommand command, CompletableFuture<Integer> exit, String printed) {
    int stop() throws Exception {
      command.stop.countDown();
      return exit.get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Runs the command object directly (so the test can release it as Ctrl-C's shutdown hook would) until it says it
   * is up.
   */
  private static Running start(String... args) throws InterruptedException {
    StringWriter out = new StringWriter();
    SimulatorCommand command = new SimulatorCommand();
    CommandLine direct = Main.newCommandLine(command);
    direct.setOut(new PrintWriter(out, true));
    // A thread of its own: the common pool has one worker on 2 cores, which another test's command may hold.
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> direct.execute(args),
        task -> Thread.ofPlatform().daemon().name("simulator-command").start(task));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!out.toString().contains("Press Ctrl-C to stop.") && !exit.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String printed = out.toString();
    assertThat(exit.isDone()).as("the simulator command ended early (exit %s): %s", exit.getNow(null), printed).isFalse();
    return new Running(command, exit, printed);
  }

  @Test
  void startsPrintsEndpointAndKeysServesTheClientAndStopsCleanly() throws Exception {
    assertThat(Main.newCommandLine(new StackticianCommand()).getSubcommands()).containsKey("simulator");
    Running sim = start("--port", "0", "--api-key", "demo-key", "--secret-key", "demo-secret", "--seed", "5",
        "--job-latency", "5ms");
    String printed = sim.printed();
    assertThat(line(printed, "APIs:")).isEqualTo("CloudStack 4.18.0.0 (built in)");
    assertThat(line(printed, "API key:")).isEqualTo("demo-key");
    assertThat(line(printed, "Secret key:")).isEqualTo("demo-secret");
    assertThat(line(printed, "Other account:")).startsWith("tenant2 (API key ");
    URI endpoint = URI.create(line(printed, "Endpoint:"));
    assertThat(endpoint.getPath()).isEqualTo("/client/api");
    try (CloudStackClient client = CloudStackClient.builder().endpoint(endpoint)
        .credentials(new Credentials("demo-key", "demo-secret")).build()) {
      assertThat(client.list("listZones", Map.of())).hasSize(2);
      client.call("createSecurityGroup", Map.of("name", "from-cli-test"));
    }
    CliRun inventory = run("simulator", "inventory", "--endpoint", endpoint.toString());
    assertThat(inventory.exit()).as(inventory.err()).isZero();
    assertThat(inventory.out()).contains("SECURITY_GROUP", "from-cli-test", "1 resources created through the API");
    CliRun json = run("simulator", "inventory", "--endpoint", endpoint.toString(), "--all", "--output", "json");
    assertThat(json.out()).contains("\"seeded\" : true", "from-cli-test");

    assertThat(sim.stop()).isZero();
    CliRun gone = run("simulator", "inventory", "--endpoint", endpoint.toString());
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).contains("cannot read the inventory from").contains("is the simulator running?");
  }

  @Test
  void badFlagsAreClearErrors() {
    CliRun r = run("simulator", "--port", "0", "--error", "deployVirtualMachine");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--error expects COMMAND=VALUE");
    CliRun latency = run("simulator", "--port", "0", "--job-latency", "quickly");
    assertThat(latency.err()).contains("invalid job latency 'quickly'");
    CliRun capacity = run("simulator", "--port", "0", "--capacity", "cpus=3");
    assertThat(capacity.err()).contains("--capacity knows vms, ips and volumes");
    CliRun keys = run("simulator", "--port", "0", "--api-key", "only-one");
    assertThat(keys.err()).contains("--api-key and --secret-key together");
    CliRun missingConfig = run("simulator", "--config", "/nonexistent/sim.json");
    assertThat(missingConfig.exit()).isEqualTo(1);
    assertThat(missingConfig.err()).contains("/nonexistent/sim.json does not exist");
  }

  /** A cloud's recorded listApis answer, cut down: listApis and listZones as it describes them, and one it lacks. */
  private static final String OLDER_CLOUD = """
      {"listapisresponse": {"count": 4, "api": [
        {"name": "listApis", "description": "lists all available apis on the server", "isasync": false,
         "since": "2.2.0", "params": [], "response": []},
        {"name": "listZones", "description": "Lists zones (as the older cloud says)", "isasync": false,
         "since": "2.2.0", "params": [{"name": "id", "type": "uuid", "required": false}], "response": []},
        {"name": "createSecurityGroup", "description": "Creates a security group", "isasync": false,
         "params": [], "response": []},
        {"name": "createSomethingNew", "description": "not simulated", "isasync": false, "params": [],
         "response": []}]}}
      """;

  @Test
  void servesARecordedListApisWithoutTheHiddenApis(@TempDir Path tmp) throws Exception {
    Path answer = Files.writeString(tmp.resolve("listApis-older.json"), OLDER_CLOUD);
    Running sim = start("--port", "0", "--api-key", "k", "--secret-key", "s", "--list-apis", answer.toString(),
        "--hide-api", "createSecurityGroup");
    String printed = sim.printed();
    assertThat(line(printed, "APIs:")).isEqualTo("as the listApis answer in " + answer + ", without createSecurityGroup");
    try (CloudStackClient client = CloudStackClient.builder().endpoint(URI.create(line(printed, "Endpoint:")))
        .credentials(new Credentials("k", "s")).build()) {
      var apis = client.call("listApis", Map.of()).path("api");
      List<String> names = new ArrayList<>();
      apis.forEach(a -> names.add(a.path("name").asText()));
      assertThat(names).containsExactlyInAnyOrder("listApis", "listZones");
      assertThat(apis.toString()).contains("Lists zones (as the older cloud says)");
      assertThat(client.list("listZones", Map.of())).hasSize(2);
      assertThatThrownBy(() -> client.call("createSecurityGroup", Map.of("name", "hidden")))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.errorCode()).isEqualTo(432));
      assertThatThrownBy(() -> client.list("listVirtualMachines", Map.of()))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.errorCode()).isEqualTo(432));
    } finally {
      assertThat(sim.stop()).isZero();
    }
  }

  @Test
  void badApiSetsAreClearErrors(@TempDir Path tmp) throws Exception {
    CliRun missing = run("simulator", "--port", "0", "--list-apis", "/nonexistent/listApis.json");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("error: --list-apis: /nonexistent/listApis.json does not exist or cannot be read");
    Path text = Files.writeString(tmp.resolve("text.json"), "listApis 4.11");
    CliRun notJson = run("simulator", "--port", "0", "--list-apis", text.toString());
    assertThat(notJson.err()).contains("error: --list-apis: " + text + " is not JSON: ");
    Path other = Files.writeString(tmp.resolve("other.json"), "{\"listzonesresponse\": {\"zone\": []}}");
    CliRun notAnswer = run("simulator", "--port", "0", "--list-apis", other.toString());
    assertThat(notAnswer.err()).contains("error: --list-apis: " + other + ": it is not a CloudStack listApis answer:"
        + " it has no list of APIs (listapisresponse.api)");
    Path none = Files.writeString(tmp.resolve("none.json"),
        "{\"listapisresponse\": {\"api\": [{\"name\": \"quotaSummary\"}]}}");
    CliRun nothing = run("simulator", "--port", "0", "--list-apis", none.toString());
    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.err()).contains("error: cannot start the simulator: the listApis answer given offers none of"
        + " the commands the simulator implements (1 APIs, e.g. [quotaSummary])");
    CliRun unknown = run("simulator", "--port", "0", "--hide-api", "createVPC,makeCoffee");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("error: cannot start the simulator: cannot hide makeCoffee: the simulator does"
        + " not implement it");
    CliRun blank = run("simulator", "--port", "0", "--hide-api", "createVPC,,deleteVPC");
    assertThat(blank.err()).contains("--hide-api expects command names");
  }

  @Test
  void aPortInUseIsAClearError() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      CliRun r = run("simulator", "--port", String.valueOf(taken.getLocalPort()));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("cannot start the simulator on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void flagsBecomeKnobs() {
    SimulatorCommand c = new SimulatorCommand();
    Main.newCommandLine(c).parseArgs("--error", "*=0.1:534", "--fail-nth", "createVPC=3", "--hang", "deployVirtualMachine",
        "--drop", "listZones=0.5", "--capacity", "vms=2,ips=1", "--no-guest-signals", "--guest-boot-delay", "2s",
        "--enforce-expires", "--job-latency", "50ms", "--job-latency", "deployVirtualMachine=1s..3s");
    var cfg = c.configuration();
    assertThat(cfg.knobs().faultsFor("createVPC").failNth()).isEqualTo(3);
    assertThat(cfg.knobs().faultsFor("createVPC").errorRate()).isEqualTo(0.1);
    assertThat(cfg.knobs().faultsFor("deployVirtualMachine").hang()).isTrue();
    assertThat(cfg.knobs().faultsFor("listZones").dropRate()).isEqualTo(0.5);
    assertThat(cfg.capacity().virtualMachines()).isEqualTo(2);
    assertThat(cfg.guestSignals()).isFalse();
    assertThat(cfg.guestBootDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(cfg.enforceExpires()).isTrue();
    assertThat(cfg.knobs().jobLatency().toString()).isEqualTo("50ms");
    assertThat(cfg.knobs().faultsFor("deployVirtualMachine").jobLatency().toString()).isEqualTo("1000ms..3000ms");
  }
}
