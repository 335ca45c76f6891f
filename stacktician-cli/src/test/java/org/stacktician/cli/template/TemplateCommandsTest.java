package org.stacktician.cli.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.testing.SharedFiles;

/** {@code stackmate validate-template} and {@code stackmate plan}, run in-process on real files. */
class TemplateCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.stackmate(args);
  }

  private Path write(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  static final String WEB = """
      AWSTemplateFormatVersion: "2010-09-09"
      Description: A web server
      Parameters:
        ZoneName:
          Type: CloudStack::Zone::Name
          Description: Zone to deploy into
        Size:
          Type: String
          Default: small
          AllowedValues: [small, large]
        DbPassword:
          Type: String
          NoEcho: true
          MinLength: 8
      Conditions:
        IsLarge: !Equals [!Ref Size, large]
      Resources:
        Group:
          Type: CloudStack::SecurityGroup
          Properties:
            name: !Sub "${AWS::StackName}-web"
        Web:
          Type: CloudStack::VirtualMachine
          Properties:
            zonename: !Ref ZoneName
            securitygroupids: [!Ref Group]
            userdata: !Base64
              Fn::Sub: "password=${DbPassword}"
            serviceofferingname: !If [IsLarge, Large, Small]
        Extra:
          Type: CloudStack::Volume
          Condition: IsLarge
          Properties:
            name: extra
      Outputs:
        Url:
          Description: The site
          Value: !Sub "http://${Web.ipaddress}/"
        Zone:
          Value: !Ref ZoneName
          Export:
            Name: !Sub "${AWS::StackName}-zone"
      """;

  @Test
  void validateTemplateSummarisesAValidTemplate() throws IOException {
    Path file = write("web.yaml", WEB);
    CliRun r = run("validate-template", "--template-file", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains(": valid", "ZoneName (CloudStack::Zone::Name) required - Zone to deploy into",
        "Size (String) default: \"small\"", "DbPassword (String) required, NoEcho",
        "CloudStack::VirtualMachine: Web", "CloudStack::SecurityGroup: Group", "Url - The site", "Zone (exported)");
  }

  @Test
  void validateTemplateJson() throws IOException {
    Path file = write("web.yaml", WEB);
    CliRun r = run("validate-template", "--template-file", file.toString(), "--output", "json");
    assertThat(r.exit()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.get("errors")).isEmpty();
    assertThat(json.get("parameters")).hasSize(3);
    assertThat(json.at("/parameters/0/cloudStackReference").asText()).isEqualTo("Zone by name");
    assertThat(json.at("/parameters/1/default").asText()).isEqualTo("small");
    assertThat(json.at("/resourcesByType/CloudStack::VirtualMachine/0").asText()).isEqualTo("Web");
    assertThat(json.at("/outputs/1/exported").asBoolean()).isTrue();
  }

  @Test
  void validateTemplateReportsEveryErrorWithPositions() throws IOException {
    Path file = write("bad.json", """
        {
          "Resources": {
            "A": {"Type": "CloudStack::VirtualMachine", "Properties": {"x": {"Ref": "Nope"}}},
            "B": {"Type": "bad type"},
            "C": {"Type": "AWS::EC2::Instance", "DependsOn": "Missing"}
          }
        }
        """);
    CliRun r = run("validate-template", "--template-file", file.toString(), "--output", "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode errors = r.json().get("errors");
    assertThat(r.json().get("valid").asBoolean()).isFalse();
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0).get("path").asText()).isEqualTo("Resources/B/Type");
    assertThat(errors.get(0).get("line").asInt()).isEqualTo(4);
    assertThat(errors).anySatisfy(e -> {
      assertThat(e.get("path").asText()).isEqualTo("Resources/A/Properties/x/Ref");
      assertThat(e.get("line").asInt()).isEqualTo(3);
      assertThat(e.get("message").asText()).contains("[Nope]");
    });
    assertThat(errors).anySatisfy(e -> assertThat(e.get("message").asText()).contains("[Missing]"));

    CliRun text = run("validate-template", "--template-file", file.toString());
    assertThat(text.exit()).isEqualTo(1);
    assertThat(text.err()).contains("3 errors", "bad.json:4:", "Resources/B/Type: Template format error: Invalid "
        + "resource type 'bad type'");
  }

  @Test
  void missingFileIsAClearError() {
    CliRun r = run("validate-template", "--template-file", tmp.resolve("nope.json").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Cannot read", "no such file");
  }

  @Test
  void missingOptionIsAUsageError() {
    CliRun r = run("validate-template");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--template-file");
  }

  @Test
  void planShowsResolvedParametersConditionsResourcesWavesAndOutputs() throws IOException {
    Path file = write("web.yaml", WEB);
    CliRun r = run("plan", "--template-file", file.toString(), "-p", "ZoneName=zone1", "-p",
        "ParameterKey=DbPassword,ParameterValue=s3cretPassw0rd", "--stack-name", "demo", "--output", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode plan = r.json();
    assertThat(plan.at("/parameters/ZoneName").asText()).isEqualTo("zone1");
    assertThat(plan.at("/parameters/DbPassword").asText()).isEqualTo("****");
    assertThat(plan.at("/conditions/IsLarge").asBoolean()).isFalse();
    assertThat(plan.at("/resources/Group/properties/name").asText()).isEqualTo("demo-web");
    assertThat(plan.at("/resources/Web/properties/zonename").asText()).isEqualTo("zone1");
    assertThat(plan.at("/resources/Web/properties/serviceofferingname").asText()).isEqualTo("Small");
    assertThat(plan.at("/resources/Web/properties/securitygroupids/0/Ref").asText()).isEqualTo("Group");
    assertThat(plan.at("/resources/Web/dependsOn").toString()).isEqualTo("[\"Group\"]");
    assertThat(plan.at("/resources/Extra/included").asBoolean()).isFalse();
    assertThat(plan.at("/waves").toString()).isEqualTo("[[\"Group\"],[\"Web\"]]");
    assertThat(plan.at("/outputs/Url/value/Fn::Sub").asText()).isEqualTo("http://${Web.ipaddress}/");
    assertThat(plan.at("/outputs/Zone/value").asText()).isEqualTo("zone1");
    assertThat(plan.at("/outputs/Zone/export").asText()).isEqualTo("demo-zone");
    // the NoEcho value appears nowhere, not even inside the Base64 of a Sub
    assertThat(r.out()).doesNotContain("s3cretPassw0rd");
    String encoded = java.util.Base64.getEncoder().encodeToString(
        "password=s3cretPassw0rd".getBytes(StandardCharsets.UTF_8));
    assertThat(r.out()).doesNotContain(encoded);
    assertThat(plan.at("/resources/Web/properties/userdata").asText()).isEqualTo(
        java.util.Base64.getEncoder().encodeToString("password=****".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void planTextForm() throws IOException {
    Path file = write("web.yaml", WEB);
    CliRun r = run("plan", "--template-file", file.toString(), "-p", "ZoneName=zone1;DbPassword=s3cretPassw0rd;Size=large");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("ZoneName = zone1", "DbPassword = ****", "IsLarge = true", "1: Group, Extra",
        "2: Web", "Web (CloudStack::VirtualMachine)", "depends on: Group", "\"serviceofferingname\" : \"Large\"");
    assertThat(r.out()).doesNotContain("s3cretPassw0rd");
  }

  @Test
  void planReadsAnAwsCliParametersFile() throws IOException {
    Path file = write("web.yaml", WEB);
    Path params = write("params.json", """
        [{"ParameterKey": "ZoneName", "ParameterValue": "zone-from-file"},
         {"ParameterKey": "DbPassword", "ParameterValue": "longenough"}]
        """);
    CliRun r = run("plan", "--template-file", file.toString(), "--parameters-file", params.toString(), "--output", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().at("/parameters/ZoneName").asText()).isEqualTo("zone-from-file");
    CliRun overridden = run("plan", "--template-file", file.toString(), "--parameters-file", params.toString(),
        "-p", "ZoneName=zone-from-option", "--output", "json");
    assertThat(overridden.json().at("/parameters/ZoneName").asText()).isEqualTo("zone-from-option");
  }

  @Test
  void planReportsAllParameterErrors() throws IOException {
    Path file = write("web.yaml", WEB);
    CliRun r = run("plan", "--template-file", file.toString(), "-p", "Size=huge", "-p", "DbPassword=short",
        "-p", "Unknown=1", "--output", "json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.json().get("errors").findValuesAsText("message")).containsExactly(
        "Parameters: [Unknown] do not exist in the template",
        "Parameter 'Size' must be one of AllowedValues",
        "Parameter 'DbPassword' must contain at least 8 characters",
        "Parameters: [ZoneName] must have values");
    assertThat(r.out()).doesNotContain("short");
  }

  @Test
  void planRejectsUsePreviousValueAndBadSyntax() throws IOException {
    Path file = write("web.yaml", WEB);
    CliRun previous = run("plan", "--template-file", file.toString(), "-p",
        "ParameterKey=ZoneName,UsePreviousValue=true");
    assertThat(previous.exit()).isEqualTo(1);
    assertThat(previous.err()).contains("UsePreviousValue is not supported");
    CliRun bad = run("plan", "--template-file", file.toString(), "-p", "novalue");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("Bad parameter 'novalue'");
    Path params = write("params.json", "{\"not\": \"a list\"}");
    CliRun file2 = run("plan", "--template-file", file.toString(), "--parameters-file", params.toString());
    assertThat(file2.exit()).isEqualTo(1);
    assertThat(file2.err()).contains("must be a JSON list");
  }

  @Test
  void plansAShippedTemplateAndRejectsTheCircularOne() throws IOException {
    Path dir = SharedFiles.resolve("templates/stackmate");
    CliRun r = run("plan", "--template-file", dir.resolve("LAMP_Two_Instance.template").toString(),
        "-p", "KeyName=mykey", "-p", "DBUsername=admin", "-p", "DBPassword=secretpw", "-p", "DBRootPassword=rootpw1",
        "--output", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode waves = r.json().get("waves");
    assertThat(waves.toString()).isEqualTo(
        "[[\"WaitHandle\",\"WebServerSecurityGroup\"],[\"WebServer\",\"DbServer\"],[\"WaitCondition\"]]");
    assertThat(r.out()).doesNotContain("secretpw", "rootpw1");

    CliRun circular = run("validate-template", "--template-file",
        dir.resolve("negative/test_dependency_circular.template").toString());
    assertThat(circular.exit()).isEqualTo(1);
    assertThat(circular.err()).contains("Circular dependency between resources: [WebServer, WebServerSecurityGroup]");
  }

  @Test
  void aBadConditionDoesNotHideTheResourcesOtherErrors() throws Exception {
    Path t = write("cond.yaml", """
        Resources:
          Group:
            Type: CloudStack::SecurityGroup
            Condition: NoSuchCondition
            Properties:
              name: !Ref NoSuchParameter
        """);
    CliRun r = run("validate-template", "--template-file", t.toString(), "-o", "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode errors = r.json().get("errors");
    assertThat(errors.toString()).contains("Resources/Group/Condition").contains("NoSuchCondition")
        .contains("NoSuchParameter");
  }
}
