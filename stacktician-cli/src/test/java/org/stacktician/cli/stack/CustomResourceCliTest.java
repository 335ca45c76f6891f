package org.stacktician.cli.stack;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.CloudCli;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/**
 * A custom resource served by a loopback provider whose Delete always fails, next to a security
 * group in the simulator: the properties it receives, and delete-stack --retain-resources.
 */
class CustomResourceCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TEMPLATE = """
      {"Parameters": {"Token": {"Type": "String"}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
         "Stuck": {"Type": "Custom::Stuck", "Properties": {"ServiceToken": {"Ref": "Token"},
                   "Count": 3, "Ratio": 0.5, "Enabled": true, "Name": "n",
                   "Nested": {"Ports": [80, 443], "Tls": false, "Empty": []}}}}}
      """;

  @TempDir Path tmp;
  CloudStackSimulator simulator;
  CloudCli cli;
  HttpServer provider;
  Path template;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    simulator = CloudStackSimulator.start();
    cli = new CloudCli(simulator, tmp.resolve("state"));
    template = Files.writeString(tmp.resolve("custom.json"), TEMPLATE);
    provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    provider.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    provider.createContext("/", exchange -> {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      requests.add(request);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      boolean delete = request.get("RequestType").asText().equals("Delete");
      ObjectNode answer = JSON.createObjectNode().put("Status", delete ? "FAILED" : "SUCCESS")
          .put("Reason", delete ? "the bucket is not empty" : "ok").put("PhysicalResourceId", "stuck-1")
          .put("RequestId", request.get("RequestId").asText()).put("StackId", request.get("StackId").asText())
          .put("LogicalResourceId", request.get("LogicalResourceId").asText());
      try {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(request.get("ResponseURL").asText()))
            .PUT(HttpRequest.BodyPublishers.ofString(answer.toString())).build(), HttpResponse.BodyHandlers.discarding());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    provider.start();
  }

  @AfterEach
  void stop() {
    provider.stop(0);
    simulator.close();
  }

  private String token() {
    return "Token=http://127.0.0.1:" + provider.getAddress().getPort() + "/stuck";
  }

  private List<String> groupNames() {
    try (CloudStackClient client = cli.client()) {
      return client.list("listSecurityGroups", Map.of()).stream().map(g -> g.path("name").asText()).toList();
    }
  }

  @Test
  void propertiesAreSentAsStringsAsCloudFormationSendsThem() {
    CliRun created = cli.run("create-stack", "typed", "--template-file", template.toString(), "-p", token());
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    JsonNode props = requests.get(0).get("ResourceProperties");
    assertThat(props.toString()).isEqualTo(JSON.createObjectNode()
        .put("ServiceToken", token().substring("Token=".length())).put("Count", "3").put("Ratio", "0.5")
        .put("Enabled", "true").put("Name", "n")
        .set("Nested", JSON.createObjectNode().<ObjectNode>set("Ports", JSON.createArrayNode().add("80").add("443"))
            .put("Tls", "false").set("Empty", JSON.createArrayNode())).toString());
  }

  @Test
  void aDeleteFailedStackIsDeletedRetainingWhatCannotBeDeleted() throws Exception {
    assertThat(cli.run("create-stack", "stuck", "--template-file", template.toString(), "-p", token()).exit()).isZero();
    CliRun early = cli.run("delete-stack", "stuck", "--retain-resources", "Stuck");
    assertThat(early.exit()).isEqualTo(1);
    assertThat(early.err()).contains("only when a stack is DELETE_FAILED").contains("CREATE_COMPLETE");
    assertThat(groupNames()).as("nothing was deleted").contains("stuck-sg");

    CliRun failed = cli.run("delete-stack", "stuck");
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.out()).contains("the bucket is not empty").contains("Stack stuck: DELETE_FAILED");
    assertThat(groupNames()).doesNotContain("stuck-sg");

    CliRun unknown = cli.run("delete-stack", "stuck", "--retain-resources", "Stuck,Nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("has no resource Nope to retain").contains("Sg, Stuck");

    CliRun retained = cli.run("delete-stack", "stuck", "--retain-resources", "Stuck");
    assertThat(retained.exit()).as(retained.out() + retained.err()).isZero();
    assertThat(retained.out()).containsSubsequence("Stuck", "DELETE_SKIPPED", "--retain-resources",
        "Stack stuck: DELETE_COMPLETE");
    assertThat(requests).extracting(r -> r.get("RequestType").asText()).as("no Delete sent for the retained one")
        .containsExactly("Create", "Delete");
  }
}
