package org.stacktician.engine.custom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.testing.SimulatedCloud;

/** A stack with a custom resource served by a real loopback service, through the whole engine. */
class CustomResourceStackTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TEMPLATE = """
      {"Parameters": {"Token": {"Type": "String"}},
       "Resources": {
         "Bucket": {"Type": "Custom::Bucket", "Properties": {"ServiceToken": {"Ref": "Token"},
                    "BucketName": {"Fn::Sub": "${AWS::StackName}-data"}, "Fail": "no"}},
         "Alias": {"Type": "AWS::CloudFormation::CustomResource", "Properties": {"ServiceToken": {"Ref": "Token"},
                    "BucketName": {"Fn::GetAtt": ["Bucket", "Arn"]}, "Fail": "no"}}},
       "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Bucket", "Arn"]}},
                   "AliasId": {"Value": {"Ref": "Alias"}}}}
      """;

  @TempDir Path dir;
  SimulatedCloud cloud;
  LocalEngine local;
  HttpServer service;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cloud = new SimulatedCloud();
    local = LocalEngine.builder(cloud.client).database(EngineDatabase.open("jdbc:h2:file:"
            + dir.resolve("state").toAbsolutePath() + "/stackmate", "sa", "", 8, true))
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build();
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    service.createContext("/", exchange -> {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      requests.add(request);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      String name = request.at("/ResourceProperties/BucketName").asText();
      if (request.at("/ResourceProperties/Silent").asText().equals("yes")
          && request.get("RequestType").asText().equals("Create")) {
        return; // a service that took the request and never answers
      }
      String failOn = request.at("/ResourceProperties/Fail").asText();
      String type = request.get("RequestType").asText();
      boolean fail = failOn.equals("yes") && type.equals("Create") || failOn.equals("update") && type.equals("Update");
      ObjectNode answer = JSON.createObjectNode().put("Status", fail ? "FAILED" : "SUCCESS")
          .put("Reason", fail ? "quota exceeded for " + name : "ok")
          .put("PhysicalResourceId", "bucket-" + name)
          .put("RequestId", request.get("RequestId").asText())
          .put("StackId", request.get("StackId").asText())
          .put("LogicalResourceId", request.get("LogicalResourceId").asText());
      answer.putObject("Data").put("Arn", "arn:cloudstack:bucket:::" + name);
      try {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(request.get("ResponseURL").asText()))
            .PUT(HttpRequest.BodyPublishers.ofString(answer.toString())).build(), HttpResponse.BodyHandlers.discarding());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    service.start();
  }

  @AfterEach
  void stop() {
    service.stop(0);
    local.close();
    cloud.close();
  }

  Map<String, String> params(String token) {
    return Map.of("Token", token);
  }

  String token() {
    return "http://127.0.0.1:" + service.getAddress().getPort() + "/buckets";
  }

  @Test
  void createsReadsDataThroughGetAttAndDeletes() throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of("store", TEMPLATE, params(token())));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(30));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    Map<String, String> outputs = new LinkedHashMap<>();
    done.outputs().forEach(o -> outputs.put(o.key(), o.value()));
    assertThat(outputs).containsEntry("Arn", "arn:cloudstack:bucket:::store-data")
        .containsEntry("AliasId", "bucket-arn:cloudstack:bucket:::store-data");
    assertThat(requests).extracting(r -> r.get("RequestType").asText()).containsExactly("Create", "Create");
    assertThat(requests.get(0).get("ResourceType").asText()).isEqualTo("Custom::Bucket");
    assertThat(requests.get(0).get("StackId").asText()).isEqualTo(s.stackId());

    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("store").stackId(), Duration.ofSeconds(30));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(requests.subList(2, 4)).extracting(r -> r.get("RequestType").asText() + " " + r.get("PhysicalResourceId").asText())
        .containsExactly("Delete bucket-arn:cloudstack:bucket:::store-data", "Delete bucket-store-data");
  }

  @Test
  void aResponseUrlRefusesAnswersOnceItsRequestIsDoneAndAfterDelete() throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of("late", TEMPLATE, params(token())));
    assertThat(local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(30)).status())
        .isEqualTo(StackStatus.CREATE_COMPLETE);
    JsonNode create = requests.get(0);
    String answer = JSON.createObjectNode().put("Status", "SUCCESS").put("PhysicalResourceId", "other")
        .put("RequestId", create.get("RequestId").asText()).toString();
    HttpResponse<String> replay = put(create.get("ResponseURL").asText(), answer);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(410);
    assertThat(replay.body()).contains("CREATE_COMPLETE").contains(create.get("LogicalResourceId").asText());

    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("late").stackId(), Duration.ofSeconds(30));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    HttpResponse<String> afterDelete = put(requests.get(2).get("ResponseURL").asText(), answer);
    assertThat(afterDelete.statusCode()).as(afterDelete.body()).isEqualTo(404);
    assertThat(afterDelete.body()).contains("does not exist");
  }

  static HttpResponse<String> put(String url, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFailedAnswerRollsTheStackBackWithTheServicesReason() throws Exception {
    String failing = TEMPLATE.replaceFirst("\"Fail\": \"no\"", "\"Fail\": \"yes\"");
    assertThat(failing).isNotEqualTo(TEMPLATE);
    StackRecord s = local.engine().createStack(CreateStackRequest.of("broken", failing, params(token())));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(30));
    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(local.engine().events(s.stackId(), 0)).anySatisfy(e -> assertThat(e.statusReason())
        .contains("Received response status [FAILED] from custom resource. Message returned: quota exceeded for broken-data"));
    // CloudFormation sends a Delete on rollback with the PhysicalResourceId of the failed answer,
    // so that whatever the service made before failing does not leak.
    assertThat(requests).extracting(r -> r.get("RequestType").asText() + " " + r.path("PhysicalResourceId").asText())
        .containsExactly("Create ", "Delete bucket-broken-data");
  }

  @Test
  void aCreateThatTimedOutGetsADeleteOnRollback() throws Exception {
    String silent = TEMPLATE.replaceFirst("\"Fail\": \"no\"", "\"Fail\": \"no\", \"Silent\": \"yes\", \"ServiceTimeout\": 1");
    StackRecord s = local.engine().createStack(CreateStackRequest.of("mute", silent, params(token())));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(30));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(local.engine().events(s.stackId(), 0)).anySatisfy(e -> assertThat(e.statusReason())
        .contains("Failed to receive a response from the custom resource service"));
    assertThat(requests).extracting(r -> r.get("RequestType").asText()).containsExactly("Create", "Delete");
    String createId = requests.get(0).get("RequestId").asText();
    assertThat(requests.get(1).get("PhysicalResourceId").asText()).as("no answer named one: a generated id")
        .isEqualTo("mute-Bucket-" + createId.substring(0, 8));
    assertThat(local.engine().events(s.stackId(), 0)).anySatisfy(e -> {
      assertThat(e.logicalId()).isEqualTo("Bucket");
      assertThat(e.status()).isEqualTo("DELETE_COMPLETE");
    });
  }

  private List<String> sent(int from) {
    return requests.subList(from, requests.size()).stream().map(r -> r.get("RequestType").asText() + " "
        + r.get("LogicalResourceId").asText() + " " + r.path("PhysicalResourceId").asText()).toList();
  }

  private StackRecord update(String template) throws Exception {
    StackRecord s = local.engine().updateStack("store", new UpdateRequest(template,
        Map.of("Token", new UpdateRequest.ParameterValue.Given(token()))));
    return local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(30));
  }

  private String physicalId(StackRecord s, String logicalId) {
    return local.engine().resources(s.stackId()).stream().filter(r -> r.logicalId().equals(logicalId))
        .map(org.stacktician.engine.stack.ResourceRecord::physicalId).findFirst().orElseThrow();
  }

  @Test
  void anUpdateAnsweredWithANewPhysicalIdDeletesTheOldOneInTheCleanup() throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of("store", TEMPLATE, params(token())));
    assertThat(local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(30)).status())
        .isEqualTo(StackStatus.CREATE_COMPLETE);

    StackRecord done = update(TEMPLATE.replace("-data", "-logs"));

    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(requests.get(2).get("OldResourceProperties").get("BucketName").asText()).isEqualTo("store-data");
    // The service replaced both (its ids follow the names): as CloudFormation, the old ones get a Delete in the
    // cleanup, dependents first; the new ones are the stack's.
    assertThat(sent(2)).containsExactly("Update Bucket bucket-store-data",
        "Update Alias bucket-arn:cloudstack:bucket:::store-data",
        "Delete Alias bucket-arn:cloudstack:bucket:::store-data", "Delete Bucket bucket-store-data");
    assertThat(physicalId(done, "Bucket")).isEqualTo("bucket-store-logs");
    assertThat(physicalId(done, "Alias")).isEqualTo("bucket-arn:cloudstack:bucket:::store-logs");
    assertThat(local.engine().resources(done.stackId())).hasSize(2);
    assertThat(done.outputs()).anySatisfy(o -> assertThat(o.value()).isEqualTo("arn:cloudstack:bucket:::store-logs"));

    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("store").stackId(),
        Duration.ofSeconds(30));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(sent(6)).containsExactly("Delete Alias bucket-arn:cloudstack:bucket:::store-logs",
        "Delete Bucket bucket-store-logs");
  }

  @Test
  void aRollbackAfterAnUpdateAnsweredWithANewPhysicalIdDeletesTheNewOneAndKeepsTheOld() throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of("store", TEMPLATE, params(token())));
    assertThat(local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(30)).status())
        .isEqualTo(StackStatus.CREATE_COMPLETE);

    // The bucket is replaced by its service; the alias's update then fails.
    String failing = TEMPLATE.replace("-data", "-logs").replace("\"Arn\"]}, \"Fail\": \"no\"",
        "\"Arn\"]}, \"Fail\": \"update\"");
    assertThat(failing).contains("\"Fail\": \"update\"");
    StackRecord done = update(failing);

    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(sent(2)).containsExactly("Update Bucket bucket-store-data",
        "Update Alias bucket-arn:cloudstack:bucket:::store-data",
        "Update Alias bucket-arn:cloudstack:bucket:::store-data", "Delete Bucket bucket-store-logs");
    assertThat(requests.get(4).at("/ResourceProperties/BucketName").asText()).as("the alias back on the old bucket")
        .isEqualTo("arn:cloudstack:bucket:::store-data");
    assertThat(physicalId(done, "Bucket")).isEqualTo("bucket-store-data");
    assertThat(local.engine().resources(done.stackId())).hasSize(2);
  }
}
