package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;

/** The stack commands in-process against a real simulator over HTTP, with a state directory per test. */
class StackCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TEMPLATE = """
      {"Parameters": {"Port": {"Type": "Number", "Default": 80},
                      "Secret": {"Type": "String", "NoEcho": true, "Default": "hunter2-secret"}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
         "Rule": {"Type": "CloudStack::SecurityGroupIngress", "Properties": {"securitygroupid": {"Ref": "Sg"},
                  "protocol": "tcp", "startport": {"Ref": "Port"}, "endport": {"Ref": "Port"}, "cidrlist": "0.0.0.0/0"}}},
       "Outputs": {"GroupId": {"Value": {"Ref": "Sg"}, "Description": "the group"},
                   "Hidden": {"Value": {"Ref": "Secret"}}}}
      """;

  @TempDir Path tmp;
  CloudStackSimulator simulator;
  Path template;

  @BeforeEach
  void start() throws IOException {
    simulator = CloudStackSimulator.start();
    template = Files.writeString(tmp.resolve("sg.json"), TEMPLATE);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static CliRun run(String... args) {
    return CliRun.stackmate(args);
  }

  private CliRun cloud(Path stateDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", stateDir.toString(), "--endpoint", simulator.endpoint().toString(),
        "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey()));
    return run(all.toArray(String[]::new));
  }

  private CliRun local(Path stateDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", stateDir.toString()));
    return run(all.toArray(String[]::new));
  }

  @Test
  void aTrailingSlashOrCapitalSchemeInTheEndpointIsTheSameCloud() throws Exception {
    Path state = tmp.resolve("state");
    CliRun created = cloud(state, "create-stack", "web", "--template-file", template.toString());
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    String respelled = simulator.endpoint().toString().replaceFirst("^http:", "HTTP:") + "/";
    CliRun deleted = run("delete-stack", "web", "--state-dir", state.toString(), "--endpoint", respelled,
        "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey());
    assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();
    assertThat(deleted.out() + deleted.err()).doesNotContain("another cloud").contains("DELETE_COMPLETE");
    assertThat(simulator.inventory().created()).isEmpty();
  }

  @Test
  void createDescribeAndDeleteAStack() throws Exception {
    Path state = tmp.resolve("state");
    CliRun created = cloud(state, "create-stack", "web", "--template-file", template.toString(), "-p", "Port=8080");
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    assertThat(created.out()).contains("Sg", "CloudStack::SecurityGroup", "CREATE_IN_PROGRESS", "CREATE_COMPLETE")
        .contains("Stack web: CREATE_COMPLETE").contains("GroupId").containsPattern("Hidden +\\*\\*\\*\\*")
        .doesNotContain("hunter2-secret");

    JsonNode stacks = local(state, "describe-stacks", "web", "--output", "json").json();
    JsonNode web = stacks.get("Stacks").get(0);
    assertThat(web.get("StackStatus").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(web.has("CreationTime")).isTrue();
    assertThat(web.has("LastUpdatedTime")).as("set by CloudFormation only on stacks that were updated").isFalse();
    assertThat(web.has("DeletionTime")).isFalse();
    assertThat(web.toString()).contains("\"ParameterKey\":\"Port\",\"ParameterValue\":\"8080\"")
        .contains("\"ParameterKey\":\"Secret\",\"ParameterValue\":\"****\"").doesNotContain("hunter2-secret");

    JsonNode events = local(state, "describe-stack-events", "web", "--output", "json").json().get("StackEvents");
    assertThat(events.get(0).get("ResourceStatus").asText()).as("newest first").isEqualTo("CREATE_COMPLETE");
    assertThat(events.get(0).get("LogicalResourceId").asText()).isEqualTo("web");

    JsonNode resources = local(state, "describe-stack-resources", "web", "--output", "json").json().get("StackResources");
    assertThat(resources).hasSize(2);
    assertThat(resources.get(0).get("PhysicalResourceId").asText()).isNotBlank();
    assertThat(local(state, "describe-stack-resources", "web").out()).contains("CloudStack::SecurityGroupIngress");

    assertThat(local(state, "get-template", "web").out()).isEqualTo(TEMPLATE);
    assertThat(local(state, "list-stacks").out()).contains("web").contains("CREATE_COMPLETE");

    CliRun deleted = cloud(state, "delete-stack", "web");
    assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();
    assertThat(deleted.out()).contains("DELETE_IN_PROGRESS").contains("Stack web: DELETE_COMPLETE");
    assertThat(simulator.inventory().created()).isEmpty();
    JsonNode summary = local(state, "list-stacks", "--output", "json").json().get("StackSummaries").get(0);
    assertThat(summary.get("StackStatus").asText()).isEqualTo("DELETE_COMPLETE");
    assertThat(java.time.Instant.parse(summary.get("DeletionTime").asText()))
        .isAfterOrEqualTo(java.time.Instant.parse(summary.get("CreationTime").asText()));
    assertThat(summary.has("LastUpdatedTime")).isFalse();
    assertThat(local(state, "describe-stacks", web.get("StackId").asText(), "--output", "json").json()
        .get("Stacks").get(0).has("DeletionTime")).isTrue();
    assertThat(local(state, "describe-stacks", "web").exit()).as("deleted stacks are found by id only").isEqualTo(1);
  }

  @Test
  void reRunningAnInterruptedDeleteExitsZeroAndSoDoesDeletingWhatIsGone() throws Exception {
    Path state = tmp.resolve("state");
    CliRun created = cloud(state, "create-stack", "web", "--template-file", template.toString(), "-o", "json");
    assertThat(created.exit()).as(created.err()).isZero();
    String stackId = created.json().path("Stack").path("StackId").asText();
    simulator.knobs().jobLatency(Latency.fixed(1500));
    CloudOptions options = new CloudOptions();
    options.endpoint = simulator.endpoint().toString();
    options.apiKey = simulator.credentials().apiKey();
    options.secretKey = simulator.credentials().secretKey();
    options.callbackBind = "127.0.0.1";
    try (LocalStackmate first = LocalStackmate.open(options, StateOptions.at(state))) {
      first.engine().deleteStack("web");
    } // closed with the delete in flight, as an interrupted delete-stack leaves it
    assertThat(local(state, "describe-stacks", "web", "-o", "json").json().path("Stacks").get(0)
        .path("StackStatus").asText()).isEqualTo("DELETE_IN_PROGRESS");

    CliRun rerun = cloud(state, "delete-stack", "web");
    assertThat(rerun.exit()).as(rerun.out() + rerun.err()).isZero();
    assertThat(rerun.out()).contains("waiting for that operation").contains("Stack web: DELETE_COMPLETE");
    assertThat(rerun.err()).isEmpty();
    try (var client = CloudStackClient.builder().endpoint(simulator.endpoint()).credentials(simulator.credentials())
        .build()) {
      assertThat(client.list("listSecurityGroups", java.util.Map.of())).as("only the account's default group")
          .extracting(g -> g.path("name").asText()).doesNotContain("web-sg");
    }

    CliRun byName = cloud(state, "delete-stack", "web");
    assertThat(byName.exit()).as("as CloudFormation: deleting a stack that is not there succeeds").isZero();
    assertThat(byName.err()).contains("Stack web does not exist here").contains("nothing to delete");
    CliRun byId = cloud(state, "delete-stack", stackId);
    assertThat(byId.exit()).isZero();
    assertThat(byId.out()).contains("Stack web is already deleted");
    assertThat(cloud(state, "delete-stack", "never-was").exit()).isZero();
  }

  @Test
  void aFailedCreateRollsBackAndExitsOne() throws Exception {
    simulator.knobs().faults("authorizeSecurityGroupIngress", CommandFaults.failNth(1, 530));
    CliRun r = cloud(tmp.resolve("state"), "create-stack", "bad", "--template-file", template.toString(),
        "--output", "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.get("Stack").get("StackStatus").asText()).isEqualTo("ROLLBACK_COMPLETE");
    assertThat(json.get("StackEvents").toString()).contains("CREATE_FAILED").contains("530")
        .contains("ROLLBACK_IN_PROGRESS");
    assertThat(simulator.inventory().created()).isEmpty();
  }

  @Test
  void disableRollbackKeepsResourcesUntilDeleted() {
    simulator.knobs().faults("authorizeSecurityGroupIngress", CommandFaults.failNth(1, 530));
    Path state = tmp.resolve("state");
    CliRun r = cloud(state, "create-stack", "kept", "--template-file", template.toString(), "--disable-rollback");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("Stack kept: CREATE_FAILED");
    assertThat(simulator.inventory().created()).isNotEmpty();
    assertThat(cloud(state, "delete-stack", "kept").exit()).isZero();
    assertThat(simulator.inventory().created()).isEmpty();
  }

  @Test
  void deleteByTagsFindsAStackWithNoRecord() {
    assertThat(cloud(tmp.resolve("a"), "create-stack", "orphan", "--template-file", template.toString()).exit()).isZero();
    assertThat(simulator.inventory().created()).isNotEmpty();

    CliRun r = cloud(tmp.resolve("b"), "delete-stack", "orphan", "--by-tags");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("DELETE_COMPLETE");
    assertThat(simulator.inventory().created()).as(r.out()).isEmpty();
  }

  @Test
  void deleteByTagsTellsStacksOfTheSameNameApartAndTakesOnlyTheChosenOnes() throws Exception {
    Path kept = Files.writeString(tmp.resolve("kept.json"), TEMPLATE.replace(
        "\"Sg\": {\"Type\": \"CloudStack::SecurityGroup\",",
        "\"Sg\": {\"Type\": \"CloudStack::SecurityGroup\", \"DeletionPolicy\": \"Retain\",")
        .replace("${AWS::StackName}-sg", "${AWS::StackName}-kept")); // group names are unique per account
    Path other = Files.writeString(tmp.resolve("other.json"), TEMPLATE.replace("${AWS::StackName}-sg",
        "${AWS::StackName}-other"));
    assertThat(cloud(tmp.resolve("a"), "create-stack", "twice", "--template-file", kept.toString()).exit()).isZero();
    assertThat(cloud(tmp.resolve("a"), "delete-stack", "twice").exit()).isZero(); // the group is retained
    String retained = simulator.inventory().created().get(0).id();
    // Two stacks of that name from two state directories (two machines): both have their resources tagged.
    String secondId = createdId(tmp.resolve("c"), template);
    String thirdId = createdId(tmp.resolve("d"), other);

    CliRun ambiguous = cloud(tmp.resolve("b"), "delete-stack", "twice", "--by-tags");
    assertThat(ambiguous.exit()).isEqualTo(1);
    assertThat(ambiguous.err()).as("the retained group is no longer the deleted stack's").contains("belong to 2 stacks")
        .contains(secondId).contains(thirdId).contains("--stack-id");
    assertThat(simulator.inventory().created()).as("nothing touched: the three groups are there").hasSize(3);

    CliRun chosen = cloud(tmp.resolve("b"), "delete-stack", "twice", "--by-tags", "--stack-id", secondId);
    assertThat(chosen.exit()).as(chosen.out() + chosen.err()).isZero();
    assertThat(simulator.inventory().created()).as("the second stack's group went").hasSize(2)
        .extracting(i -> i.id()).contains(retained);
    CliRun rest = cloud(tmp.resolve("b"), "delete-stack", "twice", "--by-tags");
    assertThat(rest.exit()).as(rest.out() + rest.err()).isZero();
    assertThat(simulator.inventory().created()).as("only the retained group of the first stack is left")
        .extracting(i -> i.id()).containsExactly(retained);

    CliRun misuse = cloud(tmp.resolve("b"), "delete-stack", "twice", "--stack-id", secondId);
    assertThat(misuse.exit()).isEqualTo(1);
    assertThat(misuse.err()).contains("--stack-id chooses among resources found --by-tags");
  }

  /** Creates stack {@code twice} from {@code template} with the state in {@code state}; its id. */
  private String createdId(Path state, Path template) throws java.io.IOException {
    CliRun created = cloud(state, "create-stack", "twice", "--template-file", template.toString(), "--output", "json");
    assertThat(created.exit()).as(created.err()).isZero();
    String id = created.json().path("Stack").path("StackId").asText();
    assertThat(id).isNotBlank();
    return id;
  }

  @Test
  void aStackOfAnotherCloudIsNeitherDeletedNorWatchedFromHere() {
    Path state = tmp.resolve("shared-state");
    assertThat(cloud(state, "create-stack", "elsewhere", "--template-file", template.toString()).exit()).isZero();

    CliRun delete = run("delete-stack", "elsewhere", "--simulator", "--state-dir", state.toString());
    assertThat(delete.exit()).isEqualTo(1);
    assertThat(delete.err()).contains("Stack elsewhere was created in another cloud (" + simulator.endpoint() + ")")
        .contains("that cloud's endpoint and keys");
    CliRun watch = run("watch-stack", "elsewhere", "--simulator", "--state-dir", state.toString());
    assertThat(watch.exit()).isEqualTo(1);
    assertThat(watch.err()).contains("created in another cloud");
    assertThat(simulator.inventory().created()).as("untouched").isNotEmpty();

    assertThat(cloud(state, "delete-stack", "elsewhere").exit()).isZero();
    assertThat(simulator.inventory().created()).isEmpty();
  }

  @Test
  void badInputIsReportedClearly() throws IOException {
    Path state = tmp.resolve("state");
    Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"Resources\": {\"X\": {\"Type\": \"Nope::Thing\"}}}");
    CliRun invalid = cloud(state, "create-stack", "x", "--template-file", broken.toString());
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.err()).contains("Resources/X/Type").contains("Nope::Thing");

    CliRun noCloud = run("create-stack", "x", "--template-file", template.toString(), "--state-dir", state.toString());
    assertThat(noCloud.exit()).isEqualTo(1);
    assertThat(noCloud.err()).contains("no cloud given");

    Path profile = Files.writeString(tmp.resolve("cloud.properties"), "endpoint=" + simulator.endpoint()
        + "\napi_key=" + simulator.credentials().apiKey() + "\nsecret-key=" + simulator.credentials().secretKey() + "\n");
    CliRun misspelled = run("create-stack", "x", "--template-file", template.toString(), "--profile", profile.toString(),
        "--state-dir", state.toString());
    assertThat(misspelled.exit()).isEqualTo(1);
    assertThat(misspelled.err()).contains("unknown key 'api_key'").contains("endpoint, api-key, secret-key")
        .doesNotContain(simulator.credentials().apiKey());

    CliRun missing = local(state, "describe-stack-events", "nothing");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("Stack with id nothing does not exist");

    CliRun noFile = cloud(state, "create-stack", "x", "--template-file", tmp.resolve("none.json").toString());
    assertThat(noFile.exit()).isEqualTo(1);
    assertThat(noFile.err()).contains("none.json: no such file");
  }

  @Test
  void createStackPrintsRefusedTemplatesAsJsonInValidateTemplatesShape() throws Exception {
    Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"Resources\": {\"X\": {\"Type\": \"Nope::Thing\"}}}");
    CliRun invalid = cloud(tmp.resolve("state"), "create-stack", "x", "--template-file", broken.toString(), "-o", "json");
    assertThat(invalid.exit()).isEqualTo(1);
    JsonNode json = invalid.json();
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("errors").get(0).get("path").asText()).isEqualTo("Resources/X/Type");
    assertThat(json.get("errors").get(0).get("message").asText()).contains("Nope::Thing");
    Path untyped = Files.writeString(tmp.resolve("untyped.json"), "{\"Resources\": {\"X\": {\"Properties\": {}}}}");
    CliRun refused = cloud(tmp.resolve("state"), "create-stack", "x", "--template-file", untyped.toString(), "-o", "json");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.json().toString()).contains("Resources/X").isEqualTo(
        run("validate-template", "--template-file", untyped.toString(), "-o", "json").json().toString());

    CliRun badParameter = cloud(tmp.resolve("state"), "create-stack", "x", "--template-file", template.toString(),
        "-p", "Port=eighty", "-o", "json");
    assertThat(badParameter.exit()).isEqualTo(1);
    assertThat(badParameter.json().get("errors").get(0).get("path").asText()).contains("Port");
  }
}
