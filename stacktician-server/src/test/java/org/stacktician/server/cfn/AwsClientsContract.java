package org.stacktician.server.cfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.server.ApiClient;
import org.stacktician.server.StackticianServer;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.server.demo.DemoSetup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.AlreadyExistsException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackDriftInformation;
import software.amazon.awssdk.services.cloudformation.model.StackDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftInformation;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Real clients of the CloudFormation API against a real server on loopback, its database H2 or
 * PostgreSQL by subclass: the AWS SDK for Java v2's CloudFormation client (its waiters included),
 * and Debian's AWS CLI ({@code /usr/bin/aws}; required under {@value #REQUIRE_AWSCLI}=1, as in CI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AwsClientsContract {
  static final String REQUIRE_AWSCLI = "STACKTICIAN_REQUIRE_AWSCLI";
  static final Path AWS = Path.of("/usr/bin/aws");
  static final String TEMPLATE = """
      {"Description": "sg and handle",
       "Parameters": {"Secret": {"Type": "String", "NoEcho": true}},
       "Resources": {"Sg": {"Type": "CloudStack::SecurityGroup",
                            "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
                     "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"SgId": {"Value": {"Ref": "Sg"}}, "Hidden": {"Value": {"Ref": "Secret"}}}}
      """;

  StackticianServer server;
  DemoSetup.Credentials creds;

  /** The configuration of the server under test (its database), with the demo on. */
  abstract ServerConfig config(Path dataDir);

  /** Drops what {@link #config} made outside the data directory, after the server stopped. */
  void dropDatabase() {}

  @BeforeAll
  void start(@TempDir Path dir) {
    server = StackticianServer.start(config(dir.resolve("data")));
    creds = server.printedCredentials().orElseThrow();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    dropDatabase();
  }

  CloudFormationClient sdk(String accessKeyId, String secret) {
    return CloudFormationClient.builder()
        .endpointOverride(server.url())
        .region(Region.EU_CENTRAL_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static WaiterOverrideConfiguration quickly() {
    return WaiterOverrideConfiguration.builder().maxAttempts(300)
        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(300))).build();
  }

  @Test
  void theAwsSdkForJavaCreatesDescribesAndDeletesAStack() {
    try (CloudFormationClient cfn = sdk(creds.accessKeyId(), creds.secretAccessKey())) {
      String stackId = cfn.createStack(b -> b.stackName("sdk-web").templateBody(TEMPLATE)
          .parameters(Parameter.builder().parameterKey("Secret").parameterValue("sdk-noecho-value").build()))
          .stackId();
      assertThat(stackId).contains(":stack/sdk-web/");
      WaiterResponse<DescribeStacksResponse> created = cfn.waiter()
          .waitUntilStackCreateComplete(DescribeStacksRequest.builder().stackName("sdk-web").build(), quickly());
      Stack stack = created.matched().response().orElseThrow().stacks().get(0);
      assertThat(stack.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(stack.stackId()).isEqualTo(stackId);
      assertThat(stack.creationTime()).isNotNull();
      assertThat(stack.description()).isEqualTo("sg and handle");
      assertThat(stack.parameters().get(0).parameterValue()).isEqualTo("****");
      assertThat(stack.outputs()).anySatisfy(o -> assertThat(o.outputKey()).isEqualTo("SgId"));
      assertThat(stack.outputs()).anySatisfy(o -> assertThat(o.outputValue()).isEqualTo("****"));
      assertThat(stack.toString()).doesNotContain("sdk-noecho-value");

      List<StackEvent> events = new ArrayList<>();
      cfn.describeStackEventsPaginator(b -> b.stackName("sdk-web")).stackEvents().forEach(events::add);
      assertThat(events.get(0).resourceStatusAsString()).isEqualTo("CREATE_COMPLETE");
      assertThat(events).extracting(StackEvent::logicalResourceId).contains("Sg", "Handle", "sdk-web");
      assertThat(cfn.describeStackResources(b -> b.stackName("sdk-web")).stackResources())
          .extracting(r -> r.logicalResourceId() + " " + r.resourceStatusAsString())
          .containsExactly("Sg CREATE_COMPLETE", "Handle CREATE_COMPLETE");
      assertThat(cfn.describeStackResource(b -> b.stackName(stackId).logicalResourceId("Sg")).stackResourceDetail()
          .physicalResourceId()).isNotBlank();
      assertThat(cfn.listStackResourcesPaginator(b -> b.stackName("sdk-web")).stackResourceSummaries().stream()
          .count()).isEqualTo(2);
      assertThat(cfn.getTemplate(b -> b.stackName("sdk-web")).templateBody()).isEqualTo(TEMPLATE);
      assertThat(cfn.listStacksPaginator(b -> b.stackStatusFiltersWithStrings("CREATE_COMPLETE")).stackSummaries()
          .stream().map(s -> s.stackName()).toList()).contains("sdk-web");
      assertThat(cfn.validateTemplate(b -> b.templateBody(TEMPLATE)).parameters().get(0).noEcho()).isTrue();

      // errors, typed as the SDK types them
      assertThatThrownBy(() -> cfn.createStack(b -> b.stackName("sdk-web").templateBody(TEMPLATE)
          .parameters(Parameter.builder().parameterKey("Secret").parameterValue("x").build())))
          .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("Stack [sdk-web] already exists");
      assertThatThrownBy(() -> cfn.describeStacks(b -> b.stackName("sdk-missing")))
          .isInstanceOfSatisfying(CloudFormationException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Stack with id sdk-missing does not exist");
          });
      assertThatThrownBy(() -> cfn.createStack(b -> b.stackName("sdk-bad").templateBody(
          "{\"Resources\": {\"H\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}},\n"
              + " \"Outputs\": {\"X\": {\"Value\": {\"Ref\": \"Nowhere\"}}}}")))
          .isInstanceOfSatisfying(CloudFormationException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.awsErrorDetails().errorMessage()).contains("Outputs/X/Value/Ref (2:").contains("Nowhere");
          });

      cfn.deleteStack(b -> b.stackName("sdk-web"));
      WaiterResponse<DescribeStacksResponse> deleted = cfn.waiter()
          .waitUntilStackDeleteComplete(DescribeStacksRequest.builder().stackName("sdk-web").build(), quickly());
      assertThat(deleted.matched().exception().map(Throwable::getMessage).orElse(""))
          .as("deleted: the name no longer names a stack").contains("does not exist");
      assertThat(cfn.describeStacks(b -> b.stackName(stackId)).stacks().get(0).stackStatus())
          .isEqualTo(StackStatus.DELETE_COMPLETE);
    }
  }

  /** Polls DescribeStacks until the stack is no longer in progress; the stack. */
  static Stack settled(CloudFormationClient cfn, String stack) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      Stack s = cfn.describeStacks(b -> b.stackName(stack)).stacks().get(0);
      if (!s.stackStatusAsString().endsWith("_IN_PROGRESS")) {
        return s;
      }
      assertThat(System.nanoTime()).as(stack + " still " + s.stackStatusAsString()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void theAwsSdkDetectsDriftAsynchronouslyRollsBackAFailedUpdateAndSeesTheAccountTag() throws Exception {
    try (CloudFormationClient cfn = sdk(creds.accessKeyId(), creds.secretAccessKey())) {
      cfn.createStack(b -> b.stackName("sdk-drift").templateBody(TEMPLATE)
          .parameters(Parameter.builder().parameterKey("Secret").parameterValue("x").build()));
      Stack created = cfn.waiter().waitUntilStackCreateComplete(DescribeStacksRequest.builder().stackName("sdk-drift").build(), quickly()).matched()
          .response().orElseThrow().stacks().get(0);
      assertThat(created.tags()).extracting(t -> t.key()).containsExactly("stacktician:account");
      assertThat(created.tags().get(0).value()).isNotBlank();
      assertThat(created.driftInformation().stackDriftStatus()).isEqualTo(StackDriftStatus.NOT_CHECKED);
      assertThat(created.driftInformation().lastCheckTimestamp()).isNull();

      // DetectStackDrift answers at once; the detection's status is polled to its end
      String id = cfn.detectStackDrift(b -> b.stackName("sdk-drift")).stackDriftDetectionId();
      DescribeStackDriftDetectionStatusResponse status;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      do {
        assertThat(System.nanoTime()).as("the detection never ended").isLessThan(deadline);
        Thread.sleep(100);
        status = cfn.describeStackDriftDetectionStatus(b -> b.stackDriftDetectionId(id));
      } while (status.detectionStatus() == StackDriftDetectionStatus.DETECTION_IN_PROGRESS);
      assertThat(status.detectionStatus()).isEqualTo(StackDriftDetectionStatus.DETECTION_COMPLETE);
      assertThat(status.stackDriftStatus()).isEqualTo(StackDriftStatus.IN_SYNC);
      StackDriftInformation drift = cfn.describeStacks(b -> b.stackName("sdk-drift")).stacks().get(0)
          .driftInformation();
      assertThat(drift.stackDriftStatus()).isEqualTo(StackDriftStatus.IN_SYNC);
      assertThat(drift.lastCheckTimestamp()).isEqualTo(status.timestamp());
      assertThat(cfn.listStacks(b -> b.stackStatusFiltersWithStrings("CREATE_COMPLETE")).stackSummaries().stream()
          .filter(s -> s.stackName().equals("sdk-drift")).findFirst().orElseThrow().driftInformation()
          .stackDriftStatus()).isEqualTo(StackDriftStatus.IN_SYNC);
      StackResourceDriftInformation sg = cfn.describeStackResource(b -> b.stackName("sdk-drift")
          .logicalResourceId("Sg")).stackResourceDetail().driftInformation();
      assertThat(sg.stackResourceDriftStatus()).isEqualTo(StackResourceDriftStatus.IN_SYNC);
      assertThat(sg.lastCheckTimestamp()).isEqualTo(status.timestamp());
      assertThat(cfn.listStackResources(b -> b.stackName("sdk-drift")).stackResourceSummaries())
          .extracting(r -> r.logicalResourceId() + " " + r.driftInformation().stackResourceDriftStatusAsString())
          .containsExactly("Sg IN_SYNC", "Handle NOT_CHECKED");

      // an update that fails with DisableRollback, then RollbackStack
      cfn.updateStack(b -> b.stackName("sdk-drift").disableRollback(true).templateBody(TEMPLATE.replace(
          "\"Handle\": {", "\"W\": {\"Type\": \"AWS::CloudFormation::WaitCondition\", \"Properties\":"
              + " {\"Handle\": {\"Ref\": \"Handle\"}, \"Timeout\": \"1\"}}, \"Handle\": {"))
          .parameters(Parameter.builder().parameterKey("Secret").usePreviousValue(true).build()));
      assertThat(settled(cfn, "sdk-drift").stackStatus()).isEqualTo(StackStatus.UPDATE_FAILED);
      assertThat(cfn.rollbackStack(b -> b.stackName("sdk-drift")).stackId()).isEqualTo(created.stackId());
      Stack rolledBack = cfn.waiter().waitUntilStackRollbackComplete(DescribeStacksRequest.builder().stackName("sdk-drift").build(), quickly())
          .matched().response().orElseThrow().stacks().get(0);
      assertThat(rolledBack.stackStatus()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
      assertThatThrownBy(() -> cfn.rollbackStack(b -> b.stackName("sdk-drift")))
          .isInstanceOfSatisfying(CloudFormationException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).contains("UPDATE_ROLLBACK_COMPLETE");
          });
      cfn.deleteStack(b -> b.stackName("sdk-drift"));
      cfn.waiter().waitUntilStackDeleteComplete(DescribeStacksRequest.builder().stackName("sdk-drift").build(), quickly());
    }
  }

  @Test
  void theAwsSdkIsRefusedWithoutAValidActiveKey() {
    try (CloudFormationClient wrong = sdk(creds.accessKeyId(), "not-the-secret");
        CloudFormationClient unknown = sdk("STKNOSUCHKEY000000000", "whatever")) {
      assertThatThrownBy(wrong::listStacks).isInstanceOfSatisfying(CloudFormationException.class, e -> {
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.statusCode()).isEqualTo(403);
      });
      assertThatThrownBy(unknown::listStacks).isInstanceOfSatisfying(CloudFormationException.class, e ->
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
    }
    ApiClient rest = ApiClient.signed(server.api(), creds.accessKeyId(), creds.secretAccessKey());
    JsonNode key = rest.post("/access-keys", Map.of("description", "sdk")).body();
    try (CloudFormationClient revocable = sdk(key.path("accessKeyId").asText(), key.path("secretAccessKey").asText())) {
      assertThat(revocable.listStacks().stackSummaries()).isNotNull();
      assertThat(rest.delete("/access-keys/" + key.path("accessKeyId").asText()).status()).isEqualTo(200);
      assertThatThrownBy(revocable::listStacks).isInstanceOfSatisfying(CloudFormationException.class, e -> {
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        assertThat(e.statusCode()).isEqualTo(403);
      });
    }
  }

  /** One run of {@code /usr/bin/aws}: exit code, standard output and error. */
  record Run(int exit, String out, String err) {}

  /** Runs the AWS CLI against the server with the demo user's key, in a HOME of its own. */
  Run aws(Path home, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", server.cfn().toString(),
        "--output", "json", "cloudformation"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("HOME", home.toString());
    env.put("AWS_ACCESS_KEY_ID", creds.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", creds.secretAccessKey());
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_PAGER", "");
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("aws " + String.join(" ", args) + " did not end in 120 s");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * The CLI's waiters poll every 30 s; a model of the user's ({@code ~/.aws/models}, which the CLI
   * reads before its own) makes them poll each second. Built from the CLI's own waiter file.
   */
  static void quickWaiters(Path home) throws IOException {
    try (var found = Files.find(Path.of("/usr/lib/python3/dist-packages/awscli"), 8,
        (p, a) -> p.endsWith(Path.of("cloudformation/2010-05-15/waiters-2.json")))) {
      Path original = found.findFirst().orElse(null);
      if (original == null) {
        return; // the waits take longer, but work
      }
      ObjectMapper json = new ObjectMapper();
      JsonNode waiters = json.readTree(original.toFile());
      waiters.path("waiters").forEach(w -> ((com.fasterxml.jackson.databind.node.ObjectNode) w).put("delay", 1));
      Path dir = home.resolve(".aws/models/cloudformation/2010-05-15");
      Files.createDirectories(dir);
      json.writeValue(dir.resolve("waiters-2.json").toFile(), waiters);
    }
  }

  @Test
  void theAwsCliCreatesWaitsDescribesAndDeletesAStack(@TempDir Path home) throws Exception {
    if (!Files.isExecutable(AWS)) {
      String message = "AWS CLI test skipped: " + AWS + " is not installed (apt-get install awscli)";
      if ("1".equals(System.getenv(REQUIRE_AWSCLI))) {
        throw new AssertionError(message.replace("skipped", "required") + " (" + REQUIRE_AWSCLI + "=1)");
      }
      Assumptions.abort(message);
    }
    quickWaiters(home);
    Path template = home.resolve("web.json");
    Files.writeString(template, TEMPLATE, StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();

    Run created = aws(home, "create-stack", "--stack-name", "cli-web", "--template-body", "file://" + template,
        "--parameters", "ParameterKey=Secret,ParameterValue=cli-noecho-value");
    assertThat(created.exit()).as(created.err()).isZero();
    String stackId = json.readTree(created.out()).path("StackId").asText();
    assertThat(stackId).contains(":stack/cli-web/");
    Run waited = aws(home, "wait", "stack-create-complete", "--stack-name", "cli-web");
    assertThat(waited.exit()).as(waited.err()).isZero();
    Run described = aws(home, "describe-stacks", "--stack-name", "cli-web");
    assertThat(described.exit()).as(described.err()).isZero();
    JsonNode stack = json.readTree(described.out()).path("Stacks").get(0);
    assertThat(stack.path("StackStatus").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(stack.path("StackId").asText()).isEqualTo(stackId);
    assertThat(described.out()).contains("SgId").contains("****").doesNotContain("cli-noecho-value");
    Run events = aws(home, "describe-stack-events", "--stack-name", "cli-web");
    assertThat(events.exit()).as(events.err()).isZero();
    JsonNode list = json.readTree(events.out()).path("StackEvents");
    assertThat(list.get(0).path("ResourceStatus").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(list.size()).isGreaterThanOrEqualTo(6);

    Run missing = aws(home, "describe-stacks", "--stack-name", "cli-missing");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err()).contains("An error occurred (ValidationError) when calling the DescribeStacks operation:"
        + " Stack with id cli-missing does not exist");

    Path changed = home.resolve("web2.json");
    Files.writeString(changed, TEMPLATE.replace("\"Handle\": {", "\"Handle2\": {\"Type\": "
        + "\"AWS::CloudFormation::WaitConditionHandle\"}, \"Handle\": {"), StandardCharsets.UTF_8);
    Run changeSet = aws(home, "create-change-set", "--stack-name", "cli-web", "--change-set-name", "more",
        "--template-body", "file://" + changed, "--parameters", "ParameterKey=Secret,UsePreviousValue=true");
    assertThat(changeSet.exit()).as(changeSet.err()).isZero();
    assertThat(json.readTree(changeSet.out()).path("Id").asText()).contains(":changeSet/more/");
    Run ready = aws(home, "wait", "change-set-create-complete", "--stack-name", "cli-web", "--change-set-name", "more");
    assertThat(ready.exit()).as(ready.err()).isZero();
    Run shown = aws(home, "describe-change-set", "--stack-name", "cli-web", "--change-set-name", "more");
    assertThat(shown.exit()).as(shown.err()).isZero();
    JsonNode change = json.readTree(shown.out()).path("Changes").get(0).path("ResourceChange");
    assertThat(change.path("Action").asText() + " " + change.path("LogicalResourceId").asText())
        .isEqualTo("Add Handle2");

    Run executed = aws(home, "execute-change-set", "--stack-name", "cli-web", "--change-set-name", "more");
    assertThat(executed.exit()).as(executed.err()).isZero();
    Run updated = aws(home, "wait", "stack-update-complete", "--stack-name", "cli-web");
    assertThat(updated.exit()).as(updated.err()).isZero();
    Run afterUpdate = aws(home, "describe-stack-resources", "--stack-name", "cli-web");
    assertThat(afterUpdate.exit()).as(afterUpdate.err()).isZero();
    assertThat(afterUpdate.out()).contains("\"Handle2\"");
    Run again = aws(home, "execute-change-set", "--stack-name", "cli-web", "--change-set-name", "more");
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("InvalidChangeSetStatus").contains("EXECUTE_COMPLETE");

    Run deleting = aws(home, "delete-stack", "--stack-name", "cli-web");
    assertThat(deleting.exit()).as(deleting.err()).isZero();
    Run gone = aws(home, "wait", "stack-delete-complete", "--stack-name", "cli-web");
    assertThat(gone.exit()).as(gone.err()).isZero();
    Run after = aws(home, "describe-stacks", "--stack-name", stackId);
    assertThat(json.readTree(after.out()).path("Stacks").get(0).path("StackStatus").asText())
        .isEqualTo("DELETE_COMPLETE");
  }
}
