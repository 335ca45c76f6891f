package org.stacktician.cli.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.Main;
import org.stacktician.cli.StackticianCommand;
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

  @Test
  void startsPrintsEndpointAndKeysServesTheClientAndStopsCleanly() throws Exception {
    assertThat(Main.newCommandLine(new StackticianCommand()).getSubcommands()).containsKey("simulator");
    StringWriter out = new StringWriter();
    // run the command object directly so the test can release it as Ctrl-C's shutdown hook would
    SimulatorCommand command = new SimulatorCommand();
    CommandLine direct = Main.newCommandLine(command);
    direct.setOut(new PrintWriter(out, true));
    // A thread of its own: the common pool has one worker on 2 cores, which another test's command may hold.
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> direct.execute("--port", "0",
        "--api-key", "demo-key", "--secret-key", "demo-secret", "--seed", "5", "--job-latency", "5ms"),
        task -> Thread.ofPlatform().daemon().name("simulator-command").start(task));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!out.toString().contains("Press Ctrl-C to stop.") && !exit.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String printed = out.toString();
    assertThat(exit.isDone()).as("the simulator command ended early (exit %s): %s", exit.getNow(null), printed).isFalse();
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

    command.stop.countDown();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
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
