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
class ResumeAfterKillTest {
  static final String TEMPLATE = """
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

  @Test
  void aKilledCreateIsResumedWithoutDuplicatesAndDeletedCompletely() throws Exception {
    try (CloudStackSimulator simulator = CloudStackSimulator.start()) {
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
      Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(tmp.resolve("first-run.log").toFile()).start();
      // Kill the process once it has recorded Vm1's cloud job (read through H2's mixed mode while it runs).
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!jobRecorded(state)) {
        assertThat(process.isAlive()).as("the first run ended early: " + Files.readString(tmp.resolve("first-run.log")))
            .isTrue();
        assertThat(System.nanoTime()).as("Vm1's job was never recorded").isLessThan(deadline);
        Thread.sleep(100);
      }
      process.destroyForcibly().waitFor();
      assertThat(Files.readString(tmp.resolve("first-run.log"))).doesNotContain("CREATE_COMPLETE\n" + "Stack resumed");

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
      List<String> args = new ArrayList<>(List.of("delete-stack", "resumed"));
      args.addAll(cloud);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = Main.newCommandLine(new StackmateCommand());
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(err));
      int exit = cl.execute(args.toArray(String[]::new));
      watcher.interrupt();

      assertThat(exit).as(out + "\n" + err).isZero();
      assertThat(out.toString()).contains("is CREATE_IN_PROGRESS; waiting")
          .containsSubsequence("Vm2", "CREATE_COMPLETE", "Stack resumed: CREATE_COMPLETE", "Stack resumed: DELETE_COMPLETE");
      assertThat(maxVms.get()).as("no VM was created twice").isLessThanOrEqualTo(2);
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

  private static String id(CloudStackSimulator simulator, String command, String name, String extra) {
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
