package org.stacktician.cli.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.CloudCli;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/** {@code -p} values with {@code ;} in them, through create-stack on a simulator, checked through the CloudStack API. */
class ParametersCliTest {
  static final String TEMPLATE = """
      {"Parameters": {"Password": {"Type": "String", "NoEcho": true},
                      "Secret": {"Type": "String"}},
       "Resources": {"Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {
         "name": {"Fn::Sub": "${AWS::StackName}-sg"},
         "description": {"Fn::Join": ["|", [{"Ref": "Secret"}, {"Ref": "Password"}]]}}}}}
      """;

  @TempDir Path tmp;
  CloudStackSimulator simulator;
  CloudCli cli;
  Path template;

  @BeforeEach
  void start() throws Exception {
    simulator = CloudStackSimulator.start();
    cli = new CloudCli(simulator, tmp.resolve("state"));
    template = Files.writeString(tmp.resolve("t.json"), TEMPLATE);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void aSemicolonInAValueIsKeptUnlessEveryPartNamesADeclaredParameter() throws Exception {
    CliRun created = cli.run("create-stack", "semi", "--template-file", template.toString(),
        "-p", "Password=pass;word12", "-p", "Secret=Passw0rd;");
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    assertThat(created.out() + created.err()).doesNotContain("word12").doesNotContain("pass;");
    try (CloudStackClient client = cli.client()) {
      List<JsonNode> groups = client.list("listSecurityGroups", Map.of("securitygroupname", "semi-sg"));
      assertThat(groups).hasSize(1);
      assertThat(groups.get(0).path("description").asText()).isEqualTo("Passw0rd;|pass;word12");
    }
    JsonNode described = cli.local("describe-stacks", "semi", "--output", "json").json();
    assertThat(described.toString()).contains("\"ParameterKey\":\"Secret\",\"ParameterValue\":\"Passw0rd;\"")
        .doesNotContain("word12");
  }

  @Test
  void theOriginalFormStillSetsSeveralDeclaredParameters() throws Exception {
    CliRun created = cli.run("create-stack", "both", "--template-file", template.toString(),
        "-p", "Password=pw1;Secret=s2");
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    try (CloudStackClient client = cli.client()) {
      assertThat(client.list("listSecurityGroups", Map.of("securitygroupname", "both-sg")).get(0)
          .path("description").asText()).isEqualTo("s2|pw1");
    }
  }
}
