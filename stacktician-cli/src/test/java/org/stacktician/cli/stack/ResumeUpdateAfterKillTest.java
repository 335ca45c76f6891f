package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stacktician.cli.Main;
import org.stacktician.cli.StackmateCommand;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;
import picocli.CommandLine;

/**
 * A real {@code stackmate update-stack} process is killed (SIGKILL) at a step of an update (the replacement's create
 * running, the VM's in-place update running, the cleanup running) or of its rollback; the next run on the same state
 * directory ({@code watch-stack}) finishes the operation with nothing created twice and nothing left behind.
 */
class ResumeUpdateAfterKillTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"}, "Cidr": {"Type": "String", "Default": "0.0.0.0/0"}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
         "Http": {"Type": "CloudStack::SecurityGroupIngress", "Properties": {"securitygroupid": {"Ref": "Sg"},
                  "protocol": "tcp", "startport": 80, "endport": 80, "cidrlist": {"Ref": "Cidr"}}},
         "Vm": {"Type": "CloudStack::VirtualMachine", "DependsOn": "Http", "Properties": {
                  "zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
                  "serviceofferingid": {"Ref": "OfferingId"}, "securitygroupids": {"Ref": "Sg"}}}}}
      """;

  /** Where the first run is killed, and whether the update is made to fail (then the kill hits its rollback). */
  enum KillPoint {
    REPLACEMENT_CREATING(false, (s, rows) -> rows.stream().anyMatch(r -> r.logicalId().equals("Http")
        && r.replaces() != null && r.callbackContext() != null)),
    VM_UPDATING(false, (s, rows) -> rows.stream().anyMatch(r -> r.logicalId().equals("Vm")
        && r.status() == ResourceStatus.UPDATE_IN_PROGRESS && r.callbackContext() != null)),
    CLEANING_UP(false, (s, rows) -> s.status() == StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS),
    ROLLBACK_VM_UPDATING(true, (s, rows) -> s.status() == StackStatus.UPDATE_ROLLBACK_IN_PROGRESS
        && rows.stream().anyMatch(r -> r.logicalId().equals("Vm") && r.status() == ResourceStatus.UPDATE_IN_PROGRESS
            && r.callbackContext() != null));

    final boolean failing;
    final java.util.function.BiPredicate<StackRecord, List<ResourceRecord>> reached;

    KillPoint(boolean failing, java.util.function.BiPredicate<StackRecord, List<ResourceRecord>> reached) {
      this.failing = failing;
      this.reached = reached;
    }
  }

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(KillPoint.class)
  void aKilledUpdateIsFinishedByTheNextRunWithNothingTwiceAndNothingLeft(KillPoint point) throws Exception {
    try (CloudStackSimulator simulator = CloudStackSimulator.start();
        CloudStackClient client = CloudStackClient.builder().endpoint(simulator.endpoint())
            .credentials(simulator.credentials()).build()) {
      Path template = Files.writeString(tmp.resolve("t.json"), TEMPLATE);
      Path state = tmp.resolve("state");
      List<String> cloud = List.of("--state-dir", state.toString(), "--endpoint", simulator.endpoint().toString(),
          "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey());
      List<String> params = List.of(
          "-p", "ZoneId=" + ResumeAfterKillTest.id(simulator, "listZones", "Sandbox-simulator", ""),
          "-p", "TemplateId=" + ResumeAfterKillTest.id(simulator, "listTemplates", "Ubuntu 22.04 LTS",
              "&templatefilter=executable"),
          "-p", "OfferingId=" + ResumeAfterKillTest.id(simulator, "listServiceOfferings", "Small Instance", ""));
      List<String> create = new ArrayList<>(List.of("create-stack", "resumed", "--template-file", template.toString()));
      create.addAll(params);
      create.addAll(cloud);
      assertThat(run(create).exit).isZero();
      Map<String, String> before = inventory(simulator, client);

      simulator.knobs().jobLatency(Latency.fixed(1200));
      if (point == KillPoint.REPLACEMENT_CREATING) {
        // The window is one job: long enough for this test to see it on a loaded machine.
        simulator.knobs().faults("authorizeSecurityGroupIngress", CommandFaults.latency(Latency.fixed(5000)));
      }
      if (point.failing) {
        simulator.knobs().faults("startVirtualMachine", CommandFaults.failNth(1, 530));
      }
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "-Dstacktician.tool=stackmate", Main.class.getName(),
          "update-stack", "resumed", "--use-previous-template", "-p", "ZoneId=UsePreviousValue",
          "-p", "TemplateId=UsePreviousValue", "-p", "Cidr=10.0.0.0/8",
          "-p", "OfferingId=" + ResumeAfterKillTest.id(simulator, "listServiceOfferings", "Medium Instance", "")));
      cmd.addAll(cloud);
      Path log = tmp.resolve("update.log");
      Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!reached(state, point)) {
        assertThat(process.isAlive()).as("the update ended before " + point + ": " + Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as(point + " was never reached").isLessThan(deadline);
        Thread.sleep(50);
      }
      process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
      long deploysBefore = jobs(client, "DeployVMCmd");

      List<String> watch = new ArrayList<>(List.of("watch-stack", "resumed"));
      watch.addAll(cloud);
      Run resumed = run(watch);
      StackStatus expected = point.failing ? StackStatus.UPDATE_ROLLBACK_COMPLETE : StackStatus.UPDATE_COMPLETE;
      assertThat(resumed.out).as(resumed.out + resumed.err).contains("Stack resumed: " + expected);
      assertThat(resumed.exit).as("watch-stack exits 0 only when the resumed update completed")
          .isEqualTo(point.failing ? 1 : 0);
      assertThat(jobs(client, "DeployVMCmd")).as("no VM created again").isEqualTo(deploysBefore).isEqualTo(1);
      Map<String, String> after = inventory(simulator, client);
      if (point.failing) {
        assertThat(after).as("the cloud as before the update").isEqualTo(before);
      } else {
        assertThat(after.values()).as("one rule, the new one, and the VM changed in place")
            .containsOnlyOnce("[tcp:80:10.0.0.0/8]").anyMatch(v -> v.contains("Medium Instance Running"))
            .noneMatch(v -> v.contains("0.0.0.0/0"));
        assertThat(after.keySet()).isEqualTo(before.keySet());
      }
      simulator.knobs().reset();
      List<String> delete = new ArrayList<>(List.of("delete-stack", "resumed"));
      delete.addAll(cloud);
      assertThat(run(delete).exit).isZero();
      assertThat(simulator.inventory().created()).as("nothing leaked").isEmpty();
    }
  }

  private static boolean reached(Path state, KillPoint point) {
    try (EngineDatabase db = EngineDatabase.h2File(state)) {
      StateStore store = new JdbiStateStore(db);
      return store.findStack("resumed").map(s -> point.reached.test(s, store.resources(s.stackId())))
          .orElse(false);
    } catch (RuntimeException e) {
      return false; // the update process holds the file a moment
    }
  }

  private static long jobs(CloudStackClient client, String cmdClass) {
    return client.list("listAsyncJobs", Map.of()).stream().filter(j -> j.path("cmd").asText().endsWith(cmdClass))
        .count();
  }

  /** Each resource by kind and id, with each VM's offering and state and each group's rules. */
  private static Map<String, String> inventory(CloudStackSimulator simulator, CloudStackClient client)
      throws InterruptedException {
    for (int i = 0; i < 100 && simulator.inventory().pendingJobs() > 0; i++) {
      Thread.sleep(50);
    }
    Map<String, String> out = new TreeMap<>();
    simulator.inventory().created().forEach(i -> out.put(i.kind() + " " + i.id(), i.name() + " " + i.state()));
    for (JsonNode vm : client.list("listVirtualMachines", Map.of("listall", "true"))) {
      out.put("VM " + vm.path("id").asText(), vm.path("serviceofferingname").asText() + " " + vm.path("state").asText());
    }
    for (JsonNode sg : client.list("listSecurityGroups", Map.of("listall", "true"))) {
      List<String> rules = new ArrayList<>();
      sg.path("ingressrule").forEach(r -> rules.add(r.path("protocol").asText() + ":" + r.path("startport").asText()
          + ":" + r.path("cidr").asText()));
      out.put("SG " + sg.path("id").asText(), rules.stream().sorted().toList().toString());
    }
    return out;
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine(new StackmateCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }
}
