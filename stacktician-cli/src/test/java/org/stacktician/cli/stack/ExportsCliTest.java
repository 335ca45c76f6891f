package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.CloudCli;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;

/** Exports and the stacks that import them, through the CLI on a simulator. */
class ExportsCliTest {
  static final String EXPORTER = """
      {"Resources": {"Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": "shared-sg"}}},
       "Outputs": {"Group": {"Value": {"Ref": "Sg"}, "Export": {"Name": "shared-group"}}}}
      """;
  static final String IMPORTER = """
      {"Resources": {"Rule": {"Type": "CloudStack::SecurityGroupIngress", "Properties": {
         "securitygroupid": {"Fn::ImportValue": "shared-group"}, "protocol": "tcp", "startport": 22, "endport": 22,
         "cidrlist": "0.0.0.0/0"}}}}
      """;

  @TempDir Path tmp;
  CloudStackSimulator simulator;
  CloudCli cli;

  @BeforeEach
  void start() {
    simulator = CloudStackSimulator.start();
    cli = new CloudCli(simulator, tmp.resolve("state"));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void anImporterThatRolledBackToNothingDoesNotHoldTheExporter() throws Exception {
    Path exporter = Files.writeString(tmp.resolve("exporter.json"), EXPORTER);
    Path importer = Files.writeString(tmp.resolve("importer.json"), IMPORTER);
    assertThat(cli.run("create-stack", "exporter", "--template-file", exporter.toString()).exit()).isZero();
    simulator.knobs().faults("authorizeSecurityGroupIngress", CommandFaults.failNth(1, 530));
    CliRun rolledBack = cli.run("create-stack", "importer", "--template-file", importer.toString());
    assertThat(rolledBack.exit()).isEqualTo(1);
    assertThat(rolledBack.out()).contains("Stack importer: ROLLBACK_COMPLETE");

    CliRun deleted = cli.run("delete-stack", "exporter");
    assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();
    try (CloudStackClient client = cli.client()) {
      assertThat(client.list("listSecurityGroups", Map.of())).extracting(g -> g.path("name").asText())
          .doesNotContain("shared-sg");
    }
  }

  @Test
  void aLiveImporterStillHoldsTheExporter() throws Exception {
    Path exporter = Files.writeString(tmp.resolve("exporter.json"), EXPORTER);
    Path importer = Files.writeString(tmp.resolve("importer.json"), IMPORTER);
    assertThat(cli.run("create-stack", "exporter", "--template-file", exporter.toString()).exit()).isZero();
    assertThat(cli.run("create-stack", "importer", "--template-file", importer.toString()).exit()).isZero();
    CliRun refused = cli.run("delete-stack", "exporter");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("Export shared-group cannot be deleted as it is in use by importer");
  }
}
