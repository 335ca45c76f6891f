package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.Main;
import org.stacktician.cli.StackmateCommand;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;
import picocli.CommandLine;

/**
 * A real {@code stackmate create-stack} process is killed (SIGKILL) while the cloud works on its
 * VM; the next run on the same state directory resumes the stack (re-polling the recorded job),
 * creates nothing twice, and deletes it completely.
 */
public class ResumeAfterKillTest {
  public static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"}, "OfferingId": {"Type": "String"}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": "resumed-sg"}},
         "Vm1": {"Type": "CloudStack::VirtualMachine", "Properties": {"zoneid": {"Ref": "ZoneId"},
                 "templateid": {"Ref": "TemplateId"}, "serviceofferingid": {"Ref": "OfferingId"},
                 "securitygroupids": {"Ref": "Sg"}}},
         "Vm2": {"Type": "CloudStack::VirtualMachine", "DependsOn": "Vm1", "Properties": {"zoneid": {"Ref": "ZoneId"},
                 "templateid": {"Ref": "TemplateId"}, "serviceofferingid": {"Ref": "OfferingId"},
                 "securitygroupids": {"Ref": "Sg"}}}}}
      """;

  @TempDir Path tmp;

  /** A running {@code create-stack resumed} process on this simulator, and the cloud options it was given. */
  private record FirstRun(Process process, List<String> cloud, Path log) {}

  /** Starts a real create-stack process and returns once it has recorded Vm1's cloud job. */
  private FirstRun startCreateUntilJobRecorded(CloudStackSimulator simulator) throws Exception {
    simulator.knobs().jobLatency(Latency.fixed(2500));
    Path template = Files.writeString(tmp.resolve("t.json"), TEMPLATE);
    Path state = tmp.resolve("state");
    String zone = id(simulator, "listZones", "Sandbox-simulator", "");
    String image = id(simulator, "listTemplates", "Ubuntu 22.04 LTS", "&templatefilter=executable");
    String offering = id(simulator, "listServiceOfferings", "Small Instance", "");
    List<String> cloud = List.of("--state-dir", state.toString(), "--endpoint", simulator.endpoint().toString(),
        "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey());

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dstacktician.tool=stackmate", Main.class.getName(),
        "create-stack", "resumed", "--template-file", template.toString(),
        "-p", "ZoneId=" + zone, "-p", "TemplateId=" + image, "-p", "OfferingId=" + offering));
    cmd.addAll(cloud);
    Path log = tmp.resolve("first-run.log");
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // Stop the process once it has recorded Vm1's cloud job (read through H2's mixed mode while it runs).
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!jobRecorded(state)) {
      assertThat(process.isAlive()).as("the first run ended early: " + Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("Vm1's job was never recorded").isLessThan(deadline);
      Thread.sleep(100);
    }
    return new FirstRun(process, cloud, log);
  }

  /** Runs a stackmate command in-process while counting the simulator's VMs; returns exit, out, err and the VM peak. */
  private record Run(int exit, String out, String err, int maxVms) {}

  private Run run(CloudStackSimulator simulator, List<String> args) {
    AtomicInteger maxVms = new AtomicInteger();
    Thread watcher = Thread.ofVirtual().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        maxVms.accumulateAndGet(vms(simulator), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine(new StackmateCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    watcher.interrupt();
    return new Run(exit, out.toString(), err.toString(), maxVms.get());
  }

  private static List<String> with(List<String> args, List<String> cloud) {
    List<String> all = new ArrayList<>(args);
    all.addAll(cloud);
    return all;
  }

  @Test
  void aKilledCreateIsResumedWithoutDuplicatesAndDeletedCompletely() throws Exception {
    try (CloudStackSimulator simulator = CloudStackSimulator.start()) {
      FirstRun first = startCreateUntilJobRecorded(simulator);
      first.process().destroyForcibly().waitFor();
      assertThat(Files.readString(first.log())).doesNotContain("CREATE_COMPLETE\n" + "Stack resumed");

      Run deleted = run(simulator, with(List.of("delete-stack", "resumed"), first.cloud()));

      assertThat(deleted.exit()).as(deleted.out() + "\n" + deleted.err()).isZero();
      assertThat(deleted.out()).contains("is CREATE_IN_PROGRESS; waiting")
          .containsSubsequence("Vm2", "CREATE_COMPLETE", "Stack resumed: CREATE_COMPLETE", "Stack resumed: DELETE_COMPLETE");
      assertThat(deleted.maxVms()).as("no VM was created twice").isLessThanOrEqualTo(2);
      assertThat(simulator.inventory().created()).isEmpty();
    }
  }

  @Test
  void aStoppedCreateSaysHowToGoOnAndWatchStackFinishesIt() throws Exception {
    try (CloudStackSimulator simulator = CloudStackSimulator.start()) {
      FirstRun first = startCreateUntilJobRecorded(simulator);
      first.process().destroy(); // TERM, as Ctrl-C would: the shutdown hooks run
      assertThat(first.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(first.log());
      assertThat(log).contains("Interrupted: stack resumed is left CREATE_IN_PROGRESS")
          .contains("stackmate watch-stack resumed").doesNotContain("Exception").doesNotContain("\tat ");

      Run watched = run(simulator, with(List.of("watch-stack", "resumed"), first.cloud()));
      assertThat(watched.exit()).as(watched.out() + "\n" + watched.err()).isZero();
      assertThat(watched.out()).contains("Resuming stack resumed (CREATE_IN_PROGRESS")
          .containsSubsequence("Vm2", "CREATE_COMPLETE", "Stack resumed: CREATE_COMPLETE");
      assertThat(watched.maxVms()).as("no VM was created twice").isLessThanOrEqualTo(2);

      Run again = run(simulator, with(List.of("watch-stack", "resumed"), first.cloud()));
      assertThat(again.exit()).isZero();
      assertThat(again.out()).contains("Stack resumed (CREATE_COMPLETE").contains("Stack resumed: CREATE_COMPLETE");
      Run unknown = run(simulator, with(List.of("watch-stack", "nope"), first.cloud()));
      assertThat(unknown.exit()).isEqualTo(1);
      assertThat(unknown.err()).contains("Stack with id nope does not exist");

      assertThat(run(simulator, with(List.of("delete-stack", "resumed"), first.cloud())).exit()).isZero();
      assertThat(simulator.inventory().created()).isEmpty();
    }
  }

  private static boolean jobRecorded(Path state) {
    if (!Files.exists(state.resolve("stackmate.mv.db"))) {
      return false;
    }
    try (EngineDatabase db = EngineDatabase.h2File(state)) {
      StateStore store = new JdbiStateStore(db);
      return store.findStack("resumed").map(s -> store.resources(s.stackId()).stream()
          .anyMatch(r -> r.logicalId().equals("Vm1") && r.callbackContext() != null)).orElse(false);
    } catch (RuntimeException e) {
      return false; // the first run is still creating the database
    }
  }

  private static int vms(CloudStackSimulator simulator) {
    return (int) simulator.inventory().created().stream().filter(i -> i.kind().equals("VIRTUAL_MACHINE")).count();
  }

  public static String id(CloudStackSimulator simulator, String command, String name, String extra) {
    try (var client = org.stacktician.cloudstack.client.CloudStackClient.builder().endpoint(simulator.endpoint())
        .credentials(simulator.credentials()).build()) {
      java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
      if (!extra.isEmpty()) {
        String[] kv = extra.substring(1).split("=");
        params.put(kv[0], kv[1]);
      }
      for (var item : client.list(command, params)) {
        if (name.equals(item.path("name").asText())) {
          return item.path("id").asText();
        }
      }
    }
    throw new IllegalStateException(name);
  }
}
