package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/**
 * No property error shows a NoEcho parameter's value, whether the check before creation finds it
 * or the check once a value is resolved, through the real CLI against a simulator.
 */
class NoEchoInPropertyErrorsTest {
  static final String SECRET = "Sup3rS3cret\"pa$$";
  static final String TEMPLATE = """
      Parameters:
        Password: {Type: String, NoEcho: true}
        ZoneId: {Type: String, Default: none}
      Resources:
        Sg: {Type: CloudStack::SecurityGroup, Properties: {name: !Sub "${AWS::StackName}-sg"}}
        Vol:
          Type: CloudStack::Volume
          Properties: {zoneid: !Ref ZoneId, size: %s}
      """;

  @TempDir Path tmp;
  CloudStackSimulator simulator;

  @BeforeEach
  void start() {
    simulator = CloudStackSimulator.start();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private CliRun create(String size) throws IOException {
    Path template = Files.writeString(tmp.resolve("vol.yaml"), TEMPLATE.formatted(size));
    List<String> args = new ArrayList<>(List.of("create-stack", "vol", "--template-file", template.toString(),
        "-p", "Password=" + SECRET, "--state-dir", tmp.resolve("state").toString(),
        "--endpoint", simulator.endpoint().toString(),
        "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey()));
    return CliRun.stackmate(args.toArray(String[]::new));
  }

  @Test
  void theCheckBeforeCreationMasksTheValue() throws Exception {
    CliRun r = create("!Ref Password");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out() + r.err()).contains("Resources/Vol/Properties/size").contains("must be an integer, got \"****\"")
        .doesNotContain("Sup3rS3cret");
  }

  @Test
  void theCheckOnceResolvedMasksTheValue() throws Exception {
    CliRun r = create("!Join ['-', [!Ref Password, !GetAtt Sg.name]]");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out() + r.err()).contains("Resources/Vol/Properties/size: must be an integer, got \"****-vol-sg\"")
        .doesNotContain("Sup3rS3cret");
  }
}
