package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/** {@code stackmate plan --stack}: change sets for a stack created on a real simulator through the CLI. */
class PlanStackChangesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static CloudStackSimulator simulator;
  static Path state;
  static Path template;

  @BeforeAll
  static void createStack() throws IOException {
    simulator = CloudStackSimulator.start();
    state = tmp.resolve("state");
    template = Files.writeString(tmp.resolve("sg.json"), StackCommandsTest.TEMPLATE);
    CliRun created = run("create-stack", "web", "--template-file", template.toString(), "-p", "Port=8080",
        "-p", "Secret=first-secret");
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static List<String> cloud() {
    return List.of("--state-dir", state.toString(), "--endpoint", simulator.endpoint().toString(),
        "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey());
  }

  private static CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(cloud());
    return CliRun.stackmate(all.toArray(String[]::new));
  }

  private static CliRun plan(Path file, String... args) {
    List<String> all = new ArrayList<>(List.of("plan", "--stack", "web", "--template-file", file.toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  private static Path variant(String name, String from, String to) throws IOException {
    assertThat(StackCommandsTest.TEMPLATE).contains(from);
    return Files.writeString(tmp.resolve(name), StackCommandsTest.TEMPLATE.replace(from, to));
  }

  private static JsonNode change(JsonNode root, String logicalId) {
    for (JsonNode c : root.get("Changes")) {
      if (c.at("/ResourceChange/LogicalResourceId").asText().equals(logicalId)) {
        return c.get("ResourceChange");
      }
    }
    throw new AssertionError(logicalId + " not in " + root);
  }

  @Test
  void theSameTemplateAndValuesAreNoUpdate() throws IOException {
    CliRun r = plan(template, "-p", "Port=8080", "-p", "Secret=UsePreviousValue");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("Changes to stack web:\n  No updates are to be performed.\n");
    JsonNode json = plan(template, "-p", "Port=UsePreviousValue", "-p", "Secret=UsePreviousValue", "-o", "json").json();
    assertThat(json.get("Changes")).isEmpty();
    assertThat(json.get("StatusReason").asText()).isEqualTo("No updates are to be performed.");
  }

  @Test
  void aParameterChangeReplacesTheRuleThatUsesIt() throws IOException {
    CliRun r = plan(template, "-p", "Port=9090", "-p", "Secret=UsePreviousValue", "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode root = r.json();
    assertThat(root.get("StackName").asText()).isEqualTo("web");
    assertThat(root.get("Changes")).hasSize(1);
    JsonNode rule = change(root, "Rule");
    assertThat(rule.get("Action").asText()).isEqualTo("Modify");
    assertThat(rule.get("PhysicalResourceId").asText()).isNotBlank();
    assertThat(rule.get("ResourceType").asText()).isEqualTo("CloudStack::SecurityGroupIngress");
    assertThat(rule.get("Replacement").asText()).isEqualTo("True");
    assertThat(rule.get("Scope").toString()).isEqualTo("[\"Properties\"]");
    assertThat(rule.get("Details").toString()).contains(
        "{\"Target\":{\"Attribute\":\"Properties\",\"Name\":\"startport\",\"RequiresRecreation\":\"Always\"},"
            + "\"Evaluation\":\"Static\",\"ChangeSource\":\"ParameterReference\",\"CausingEntity\":\"Port\"}");
    // NoEcho values never shown
    assertThat(root.get("Parameters").toString()).contains("{\"ParameterKey\":\"Secret\",\"ParameterValue\":\"****\"}")
        .contains("{\"ParameterKey\":\"Port\",\"ParameterValue\":\"9090\"}");
    assertThat(r.out()).doesNotContain("first-secret");

    CliRun text = plan(template, "-p", "Port=9090", "-p", "Secret=UsePreviousValue");
    assertThat(text.out()).contains("Action  LogicalResourceId  PhysicalResourceId")
        .containsPattern("Modify +Rule +\\S+ +CloudStack::SecurityGroupIngress +True +Properties")
        .contains("Properties startport: Static ParameterReference Port, recreation Always")
        .doesNotContain("first-secret");
  }

  @Test
  void replacingTheGroupMakesItsRuleConditionallyReplaced() throws IOException {
    Path renamed = variant("renamed.json", "\"${AWS::StackName}-sg\"", "\"${AWS::StackName}-sg2\"");
    JsonNode root = plan(renamed, "-p", "Port=8080", "-p", "Secret=UsePreviousValue", "-o", "json").json();
    JsonNode sg = change(root, "Sg");
    assertThat(sg.get("Replacement").asText()).isEqualTo("True");
    JsonNode rule = change(root, "Rule");
    assertThat(rule.get("Replacement").asText()).isEqualTo("Conditional");
    assertThat(rule.get("Details").toString()).isEqualTo("[{\"Target\":{\"Attribute\":\"Properties\",\"Name\":"
        + "\"securitygroupid\",\"RequiresRecreation\":\"Always\"},\"Evaluation\":\"Dynamic\",\"ChangeSource\":"
        + "\"ResourceReference\",\"CausingEntity\":\"Sg\"}]");
  }

  @Test
  void aParameterOnlyChangeWithThePreviousTemplate() throws IOException {
    CliRun r = run("plan", "--stack", "web", "--use-previous-template", "-p", "Port=9090", "-p", "Secret=UsePreviousValue",
        "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(change(r.json(), "Rule").get("Replacement").asText()).isEqualTo("True");
    CliRun both = plan(template, "--use-previous-template");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("give --template-file FILE or --use-previous-template, not both");
    CliRun noStack = CliRun.stackmate("plan", "--use-previous-template");
    assertThat(noStack.err()).contains("--use-previous-template needs --stack NAME");
    assertThat(CliRun.stackmate("plan").err()).contains("Missing required option: '--template-file=FILE'");
  }

  @Test
  void addedAndRemovedResources() throws IOException {
    Path other = variant("other.json", "\"Rule\": {", "\"Rule2\": {");
    JsonNode root = plan(other, "-p", "Port=8080", "-p", "Secret=x", "-o", "json").json();
    assertThat(root.get("Changes")).hasSize(2);
    assertThat(change(root, "Rule").get("Action").asText()).isEqualTo("Remove");
    assertThat(change(root, "Rule").get("PhysicalResourceId").asText()).isNotBlank();
    assertThat(change(root, "Rule2").toString()).isEqualTo("{\"Action\":\"Add\",\"LogicalResourceId\":\"Rule2\","
        + "\"ResourceType\":\"CloudStack::SecurityGroupIngress\",\"Scope\":[],\"Details\":[]}");
  }

  @Test
  void replacingAGroupThatKeepsItsNameIsRefusedAsCloudFormationRefusesIt() throws IOException {
    Path described = variant("described.json", "\"name\": {\"Fn::Sub\": \"${AWS::StackName}-sg\"}",
        "\"name\": {\"Fn::Sub\": \"${AWS::StackName}-sg\"}, \"description\": \"new\"");
    CliRun r = plan(described, "-p", "Port=8080", "-p", "Secret=UsePreviousValue");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Resources/Sg/Properties/name: CloudFormation cannot update a stack when a "
        + "custom-named resource requires replacing. Rename web-sg and update the stack again.");
  }

  @Test
  void mistakesAreReportedClearly() throws IOException {
    CliRun noCatalog = CliRun.stackmate("plan", "--stack", "web", "--template-file", template.toString(),
        "--state-dir", state.toString(), "-p", "Port=8080");
    assertThat(noCatalog.exit()).isEqualTo(1);
    assertThat(noCatalog.err()).contains("uses CloudStack:: types [CloudStack::SecurityGroup, "
        + "CloudStack::SecurityGroupIngress]: give --catalog FILE");
    Path misspelt = variant("misspelt.json", "\"cidrlist\"", "\"cidrlistt\"");
    CliRun bad = plan(misspelt, "-p", "Port=8080");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("Resources/Rule/Properties/cidrlistt: is not a parameter of "
        + "authorizeSecurityGroupIngress");
    CliRun badCatalog = CliRun.stackmate("plan", "--stack", "web", "--template-file", template.toString(),
        "--state-dir", state.toString(), "--catalog", template.toString());
    assertThat(badCatalog.exit()).isEqualTo(1);
    assertThat(badCatalog.err()).startsWith("error: ").doesNotContain("Exception", "\tat ");
    CliRun unknown = CliRun.stackmate("plan", "--stack", "nope", "--template-file", template.toString(),
        "--state-dir", state.toString());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("Stack with id nope does not exist");
    CliRun newParameter = plan(template, "-p", "Port=8080", "-p", "Other=UsePreviousValue");
    assertThat(newParameter.exit()).isEqualTo(1);
    assertThat(newParameter.err()).contains("Invalid input for parameter key Other. Cannot specify "
        + "usePreviousValue as true for a parameter key not in the previous template");
  }
}
