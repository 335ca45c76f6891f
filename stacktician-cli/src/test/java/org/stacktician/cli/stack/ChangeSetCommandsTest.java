package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;

/**
 * Stored change sets through the CLI on a real simulator: create-change-set computes and keeps one
 * (no cloud change), describe-change-set shows it in the AWS CLI's shape with NoEcho values masked,
 * list-change-sets and delete-change-set manage them.
 */
class ChangeSetCommandsTest {
  private static final String FIRST_SECRET = "first-secret-4711";
  private static final String SECOND_SECRET = "second-secret-0815";

  @TempDir static Path tmp;
  static CliCloud cloud;
  static Path state;
  static Path template;

  @BeforeAll
  static void createStack() throws Exception {
    cloud = new CliCloud();
    state = tmp.resolve("state");
    template = Files.writeString(tmp.resolve("sg.json"), StackCommandsTest.TEMPLATE);
    CliRun created = cloud.run(state, "create-stack", "web", "--template-file", template.toString(),
        "-p", "Port=8080", "-p", "Secret=" + FIRST_SECRET);
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  private static CliRun local(String... args) {
    return CliCloud.local(state, args);
  }

  @Test
  void aChangeSetIsComputedStoredAndDescribedInTheAwsShapeWithNoEchoValuesMasked() throws Exception {
    String rulesBefore = cloud.client.list("listSecurityGroups", java.util.Map.of("name", "web-sg")).toString();
    CliRun created = cloud.run(state, "create-change-set", "web", "--change-set-name", "port",
        "--use-previous-template", "-p", "Port=9090", "-p", "Secret=" + SECOND_SECRET, "--description", "new port");
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    assertThat(created.out()).contains("Change set port of stack web: CREATE_COMPLETE, execution AVAILABLE")
        .contains("Modify").contains("Rule").contains("Secret = ****");
    // Computed only: the cloud is as it was.
    assertThat(cloud.client.list("listSecurityGroups", java.util.Map.of("name", "web-sg")).toString())
        .isEqualTo(rulesBefore);

    JsonNode cs = local("describe-change-set", "web", "--change-set-name", "port", "--output", "json").json();
    assertThat(cs.get("ChangeSetName").asText()).isEqualTo("port");
    assertThat(cs.get("ChangeSetId").asText()).contains(":changeSet/port/");
    assertThat(cs.get("StackName").asText()).isEqualTo("web");
    assertThat(cs.get("StackId").asText()).contains(":stack/web/");
    assertThat(cs.get("Status").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(cs.get("ExecutionStatus").asText()).isEqualTo("AVAILABLE");
    assertThat(cs.get("Description").asText()).isEqualTo("new port");
    assertThat(cs.get("CreationTime").asText()).isNotEmpty();
    assertThat(cs.get("Parameters").toString())
        .contains("{\"ParameterKey\":\"Port\",\"ParameterValue\":\"9090\"}")
        .contains("{\"ParameterKey\":\"Secret\",\"ParameterValue\":\"****\"}");
    assertThat(cs.get("Changes")).hasSize(1);
    JsonNode rc = cs.at("/Changes/0/ResourceChange");
    assertThat(cs.at("/Changes/0/Type").asText()).isEqualTo("Resource");
    assertThat(rc.get("Action").asText()).isEqualTo("Modify");
    assertThat(rc.get("LogicalResourceId").asText()).isEqualTo("Rule");
    assertThat(rc.get("PhysicalResourceId").asText()).isNotEmpty();
    assertThat(rc.get("ResourceType").asText()).isEqualTo("CloudStack::SecurityGroupIngress");
    assertThat(rc.get("Replacement").asText()).isEqualTo("True");
    assertThat(rc.get("Scope").toString()).isEqualTo("[\"Properties\"]");
    assertThat(rc.get("Details").toString())
        .contains("{\"Target\":{\"Attribute\":\"Properties\",\"Name\":\"startport\",\"RequiresRecreation\":\"Always\"},"
            + "\"Evaluation\":\"Static\",\"ChangeSource\":\"ParameterReference\",\"CausingEntity\":\"Port\"}");

    CliRun text = local("describe-change-set", "web", "--change-set-name", cs.get("ChangeSetId").asText());
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out()).contains("Change set port of stack web: CREATE_COMPLETE, execution AVAILABLE")
        .contains("Properties startport: Static ParameterReference Port, recreation Always");
    for (CliRun r : new CliRun[] {created, text}) {
      assertThat(r.out() + r.err()).doesNotContain(SECOND_SECRET).doesNotContain(FIRST_SECRET);
    }
    assertThat(cs.toString()).doesNotContain(SECOND_SECRET);
    byte[] file = Files.readAllBytes(state.resolve("stackmate.mv.db"));
    assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain(SECOND_SECRET);
  }

  @Test
  void aChangeSetThatChangesNothingFailsWithCloudFormationsReason() throws Exception {
    CliRun none = cloud.run(state, "create-change-set", "web", "--change-set-name", "same",
        "--template-file", template.toString(), "-p", "Port=UsePreviousValue", "-p", "Secret=UsePreviousValue");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains("change set same FAILED: The submitted information didn't contain changes."
        + " Submit different information to create a change set.");
    JsonNode cs = local("describe-change-set", "web", "--change-set-name", "same", "-o", "json").json();
    assertThat(cs.get("Status").asText()).isEqualTo("FAILED");
    assertThat(cs.get("ExecutionStatus").asText()).isEqualTo("UNAVAILABLE");
    assertThat(cs.get("StatusReason").asText()).startsWith("The submitted information didn't contain changes.");
    assertThat(cs.get("Changes")).isEmpty();
  }

  @Test
  void listAndDeleteChangeSetsAndReportBadInput() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"Resources\": {\"X\": {\"Type\": 5}}}");
    CliRun invalid = cloud.run(state, "create-change-set", "web", "--change-set-name", "bad",
        "--template-file", bad.toString());
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.err()).contains("error: the change set was not created").contains("bad.json");
    CliRun badName = cloud.run(state, "create-change-set", "web", "--change-set-name", "1-bad",
        "--use-previous-template", "-p", "Port=1", "-p", "Secret=UsePreviousValue");
    assertThat(badName.exit()).isEqualTo(1);
    assertThat(badName.err()).contains("'1-bad' is not a valid change set name");
    CliRun noStack = cloud.run(state, "create-change-set", "nope", "--change-set-name", "x",
        "--use-previous-template");
    assertThat(noStack.exit()).isEqualTo(1);
    assertThat(noStack.err()).contains("Stack with id nope does not exist");
    CliRun both = cloud.run(state, "create-change-set", "web", "--change-set-name", "x",
        "--use-previous-template", "--template-file", template.toString());
    assertThat(both.exit()).isEqualTo(2);

    CliRun a = cloud.run(state, "create-change-set", "web", "--change-set-name", "list-a",
        "--use-previous-template", "-p", "Port=7070", "-p", "Secret=UsePreviousValue");
    assertThat(a.exit()).as(a.out() + a.err()).isZero();
    CliRun again = cloud.run(state, "create-change-set", "web", "--change-set-name", "list-a",
        "--use-previous-template", "-p", "Port=7071", "-p", "Secret=UsePreviousValue");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("ChangeSet [list-a] already exists and cannot be created again");

    JsonNode listed = local("list-change-sets", "web", "-o", "json").json();
    assertThat(listed.get("Summaries").findValuesAsText("ChangeSetName")).contains("list-a");
    assertThat(listed.get("Summaries").toString()).doesNotContain("\"bad\"").doesNotContain("1-bad");
    assertThat(local("list-change-sets", "web").out()).contains("list-a").contains("AVAILABLE");

    CliRun deleted = local("delete-change-set", "web", "--change-set-name", "list-a");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("Deleted change set list-a of stack web.");
    assertThat(local("list-change-sets", "web", "-o", "json").json().get("Summaries").findValuesAsText("ChangeSetName"))
        .doesNotContain("list-a");
    CliRun gone = local("describe-change-set", "web", "--change-set-name", "list-a");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).contains("ChangeSet [list-a] does not exist for stack web");
    assertThat(local("delete-change-set", "web", "--change-set-name", "list-a").exit()).isEqualTo(1);
    assertThat(local("list-change-sets", "nope").err()).contains("Stack with id nope does not exist");
  }
}
