package org.stacktician.cli.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/**
 * validate-template and plan with a catalog (a listApis dump, here the simulator's own) or a cloud
 * check every resource against its type, each problem as FILE:LINE:COLUMN: PATH: message, or as
 * JSON; in JSON and YAML templates alike.
 */
class PropertyCheckCommandsTest {
  static CloudStackSimulator simulator;
  static Path catalog;
  @TempDir static Path tmp;

  static final String YAML = """
      Parameters:
        Port: {Type: Number, Default: 80}
      Resources:
        Sg:
          Type: CloudStack::SecurityGroup
          Properties: {name: web}
        Rule:
          Type: CloudStack::SecurityGroupIngress
          Properties:
            securitygroupid: !Ref Sg
            protocol: tcp
            startport: eighty
            endport: !Ref Port
            cidrlist: [!Ref Port, 10.0.0.0/8]
        Vm:
          Type: CloudStack::VirtualMachine
          Properties:
            zoneid: z
            serviceoffering: small
            networkids: [!Ref Sg]
        Box:
          Type: CloudStack::VirtualMachin
        Inst:
          Type: AWS::EC2::Instance
          Properties:
            ImageID: ami-1
            SecurityGroupIds: [!Ref Sg]
      """;

  static final String JSON_TEMPLATE = """
      {"Resources": {
        "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": "web"}},
        "Rule": {"Type": "CloudStack::SecurityGroupIngress",
                 "Properties": {"securitygroupid": {"Ref": "Sg"}, "protocol": "tcp", "startport": "eighty"}},
        "Vm": {"Type": "CloudStack::VirtualMachine",
               "Properties": {"zoneid": "z", "serviceoffering": "small", "networkids": [{"Ref": "Sg"}]}},
        "Box": {"Type": "CloudStack::VirtualMachin"},
        "Inst": {"Type": "AWS::EC2::Instance", "Properties": {"ImageID": "ami-1", "SecurityGroupIds": [{"Ref": "Sg"}]}}}}
      """;

  static final List<String> EXPECTED = List.of(
      "Resources/Rule/Properties/startport: must be an integer, got \"eighty\"",
      "Resources/Vm/Properties/serviceoffering: is not a parameter of deployVirtualMachine; did you mean 'serviceofferingid'?",
      "Resources/Vm/Properties/serviceofferingid: is required by deployVirtualMachine (uuid)",
      "Resources/Vm/Properties/templateid: is required by deployVirtualMachine (uuid)",
      "Resources/Box/Type: names an unknown resource type 'CloudStack::VirtualMachin'; did you mean CloudStack::VirtualMachine, CloudStack::VirtualMachineOps?",
      "Resources/Inst/Properties/ImageID: is not supported by AWS::EC2::Instance on CloudStack; did you mean 'ImageId'?",
      "Resources/Inst/Properties/ImageId: is required by AWS::EC2::Instance");

  @BeforeAll
  static void start() throws IOException {
    simulator = CloudStackSimulator.start();
    try (CloudStackClient client = CloudStackClient.builder().endpoint(simulator.endpoint())
        .credentials(simulator.credentials()).build()) {
      JsonNode apis = client.call("listApis", Map.of());
      catalog = Files.writeString(tmp.resolve("listApis.json"), apis.toString());
    }
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static CliRun run(String... args) {
    return CliRun.stackmate(args);
  }

  private static Path file(String name, String text) throws IOException {
    return Files.writeString(tmp.resolve(name), text);
  }

  /** The lines of a text report, each "FILE:LINE:COLUMN: PATH: message" with its position checked and dropped. */
  private static List<String> problems(Path file, CliRun r) {
    List<String> out = new ArrayList<>();
    r.err().lines().skip(1).forEach(line -> {
      assertThat(line).startsWith("  " + file + ":").matches("  .*:\\d+:\\d+: .*");
      out.add(line.replaceFirst("^  .*?:\\d+:\\d+: ", ""));
    });
    return out;
  }

  @Test
  void validateTemplateWithACatalogReportsEveryKindOfProblemInYaml() throws IOException {
    Path t = file("app.yaml", YAML);
    CliRun r = run("validate-template", "--template-file", t.toString(), "--catalog", catalog.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith(t + ": 7 errors");
    assertThat(problems(t, r)).containsExactlyInAnyOrderElementsOf(EXPECTED);
    assertThat(r.err()).as("the line and column of the misspelled property")
        .contains(t + ":19:7: Resources/Vm/Properties/serviceoffering:", t + ":12:7: Resources/Rule/Properties/startport:");
  }

  @Test
  void validateTemplateWithACatalogReportsEveryKindOfProblemInJson() throws IOException {
    Path t = file("app.json", JSON_TEMPLATE);
    CliRun r = run("validate-template", "--template-file", t.toString(), "--catalog", catalog.toString(),
        "--output", "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.get("valid").asBoolean()).isFalse();
    List<String> got = new ArrayList<>();
    json.get("errors").forEach(e -> {
      assertThat(e.get("line").asInt()).as(e.toString()).isPositive();
      assertThat(e.get("column").asInt()).as(e.toString()).isPositive();
      got.add(e.get("path").asText() + ": " + e.get("message").asText());
    });
    assertThat(got).containsExactlyInAnyOrderElementsOf(EXPECTED);
  }

  @Test
  void withoutACatalogOnlyTheTemplateIsChecked() throws IOException {
    Path t = file("plain.yaml", YAML);
    CliRun r = run("validate-template", "--template-file", t.toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void deletionPolicySnapshotOnATypeWithoutSnapshotsIsRefusedAtItsLine() throws IOException {
    Path t = file("snap.yaml", """
        Resources:
          Data:
            Type: CloudStack::Volume
            DeletionPolicy: Snapshot
            Properties: {name: data, zoneid: z, diskofferingid: d}
          Sg:
            Type: CloudStack::SecurityGroup
            DeletionPolicy: Snapshot
            Properties: {name: web}
        """);
    CliRun r = run("validate-template", "--template-file", t.toString(), "--catalog", catalog.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(problems(t, r)).singleElement().asString()
        .startsWith("Resources/Sg/DeletionPolicy: DeletionPolicy:Snapshot is not supported for resource type");
    assertThat(r.err()).contains(t + ":8:");
  }

  @Test
  void aCorrectTemplateWithListsOfReferencesPasses() throws IOException {
    Path t = file("good.yaml", """
        Resources:
          Sg: {Type: CloudStack::SecurityGroup, Properties: {name: web}}
          Vm:
            Type: CloudStack::VirtualMachine
            Properties: {zoneid: z, templateid: t, serviceofferingid: s, securitygroupids: [!Ref Sg, !GetAtt Sg.id]}
        """);
    CliRun r = run("validate-template", "--template-file", t.toString(), "--catalog", catalog.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("valid");
  }

  @Test
  void planChecksWithTheParameterValuesAndACloud() throws IOException {
    Path t = file("plan.yaml", """
        Parameters:
          Port: {Type: String, Default: http}
        Resources:
          Sg: {Type: CloudStack::SecurityGroup, Properties: {name: web}}
          Rule:
            Type: CloudStack::SecurityGroupIngress
            Properties: {securitygroupid: !Ref Sg, protocol: tcp, startport: !Ref Port, endport: 80}
        """);
    List<String> cloud = List.of("--endpoint", simulator.endpoint().toString(), "--api-key",
        simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey(), "--no-cache");
    List<String> args = new ArrayList<>(List.of("plan", "--template-file", t.toString()));
    args.addAll(cloud);
    CliRun r = run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(problems(t, r)).containsExactly("Resources/Rule/Properties/startport: must be an integer, got \"http\"");

    args.addAll(List.of("-p", "Port=80", "--output", "json"));
    CliRun ok = run(args.toArray(String[]::new));
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.json().get("resources").has("Rule")).isTrue();
  }

  @Test
  void anEndpointWithoutKeysIsAUsageError() throws IOException {
    Path t = file("k.yaml", YAML);
    CliRun r = run("validate-template", "--template-file", t.toString(), "--endpoint", "http://127.0.0.1:1/client/api",
        "--api-key", "", "--secret-key", "");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--endpoint needs --api-key and --secret-key");
  }
}
