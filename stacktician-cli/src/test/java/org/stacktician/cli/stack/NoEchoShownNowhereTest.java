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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;

/**
 * NoEcho values are shown nowhere by the real CLI (output bytes, text and JSON) and are not in the
 * state file's bytes: a NoEcho parameter a guest echoes in its signal's reason, and the Data of a
 * custom resource that answered {@code NoEcho: true}, read with Fn::GetAtt (every value of it, as
 * CloudFormation masks them).
 */
class NoEchoShownNowhereTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "Pw-4f1d2c9e-in-a-reason";
  static final String DATA_SECRET = "data-7b3e55a1-from-a-service";
  static final String SIGNALLING = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"}, "OfferingId": {"Type": "String"},
                      "DbPassword": {"Type": "String", "NoEcho": true}},
       "Resources": {
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
         "Vm": {"Type": "CloudStack::VirtualMachine", "Properties": {"zoneid": {"Ref": "ZoneId"},
                "templateid": {"Ref": "TemplateId"}, "serviceofferingid": {"Ref": "OfferingId"},
                "userdata": {"Fn::Base64": {"Fn::Join": ["", ["#!/bin/bash\\ncfn-signal -e 1 -r 'guest ", "refused ",
                  "password ", {"Ref": "DbPassword"}, "' '", {"Ref": "Handle"}, "'\\n"]]}}}},
         "Ready": {"Type": "AWS::CloudFormation::WaitCondition", "DependsOn": "Vm",
                   "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": 60}}}}
      """;
  static final String CUSTOM = """
      {"Parameters": {"Token": {"Type": "String"}},
       "Resources": {"Db": {"Type": "Custom::Database", "Properties": {"ServiceToken": {"Ref": "Token"}}}},
       "Outputs": {"Password": {"Value": {"Fn::GetAtt": ["Db", "Password"]}},
                   "Url": {"Value": {"Fn::Sub": "postgres://app:${Db.Password}@db"}},
                   "Host": {"Value": {"Fn::GetAtt": ["Db", "Host"]}}}}
      """;

  @TempDir Path tmp;
  CliCloud cloud;
  HttpServer service;

  @BeforeEach
  void start() throws Exception {
    cloud = new CliCloud(CloudStackSimulator.start(SimulatorConfig.defaults()
        .withGuestSignals(true, Duration.ofMillis(100))));
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    service.createContext("/", exchange -> {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      ObjectNode answer = JSON.createObjectNode().put("Status", "SUCCESS").put("PhysicalResourceId", "db-1")
          .put("RequestId", request.get("RequestId").asText()).put("StackId", request.get("StackId").asText())
          .put("LogicalResourceId", request.get("LogicalResourceId").asText()).put("NoEcho", true);
      answer.putObject("Data").put("Password", DATA_SECRET).put("Host", "db.internal");
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
    cloud.close();
  }

  private static String bytes(CliRun r) {
    return new String((r.out() + r.err()).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private static boolean fileContains(Path stateDir, String text) throws Exception {
    byte[] file = Files.readAllBytes(stateDir.resolve("stackmate.mv.db"));
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + needle.length <= file.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (file[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void aNoEchoValueAGuestEchoesInItsSignalIsMaskedInEveryReasonAndEncryptedAtRest() throws Exception {
    Path template = Files.writeString(tmp.resolve("signal.json"), SIGNALLING);
    Path state = tmp.resolve("state");
    List<String> create = new ArrayList<>(List.of("create-stack", "echo", "--template-file", template.toString(),
        "-p", "DbPassword=" + SECRET));
    create.addAll(cloud.machineParameters());
    CliRun created = cloud.run(state, create.toArray(String[]::new));
    assertThat(created.exit()).as(bytes(created)).isEqualTo(1);
    assertThat(bytes(created)).contains("ROLLBACK_COMPLETE").contains("guest refused password ****")
        .doesNotContain(SECRET);

    String stackId = CliCloud.newestStackId(state);
    CliRun text = CliCloud.local(state, "describe-stack-events", stackId);
    assertThat(bytes(text)).contains("guest refused password ****").doesNotContain(SECRET);
    CliRun json = CliCloud.local(state, "describe-stack-events", stackId, "--output", "json");
    assertThat(bytes(json)).contains("guest refused password ****").doesNotContain(SECRET);

    assertThat(fileContains(state, SECRET)).as("the secret in the state file").isFalse();
    assertThat(fileContains(state, "guest refused password")).as("a reason from outside, in plaintext").isFalse();
  }

  @Test
  void aCustomResourcesNoEchoDataIsMaskedInOutputsAndEvents() throws Exception {
    Path template = Files.writeString(tmp.resolve("custom.json"), CUSTOM);
    Path state = tmp.resolve("state");
    CliRun created = cloud.run(state, "create-stack", "db", "--template-file", template.toString(),
        "-p", "Token=http://127.0.0.1:" + service.getAddress().getPort() + "/db");
    assertThat(created.exit()).as(bytes(created)).isZero();
    assertThat(bytes(created)).containsPattern("Password +\\*\\*\\*\\*").containsPattern("Url +\\*\\*\\*\\*")
        .containsPattern("Host +\\*\\*\\*\\*").doesNotContain(DATA_SECRET).doesNotContain("db.internal");

    for (String format : List.of("text", "json")) {
      CliRun described = CliCloud.local(state, "describe-stacks", "db", "--output", format);
      assertThat(described.exit()).isZero();
      assertThat(bytes(described)).contains("****").doesNotContain(DATA_SECRET).doesNotContain("db.internal");
      CliRun events = CliCloud.local(state, "describe-stack-events", "db", "--output", format);
      assertThat(bytes(events)).doesNotContain(DATA_SECRET);
    }
  }
}
