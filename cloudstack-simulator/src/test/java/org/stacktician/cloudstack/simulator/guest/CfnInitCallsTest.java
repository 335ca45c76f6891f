package org.stacktician.cloudstack.simulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The guest emulation's cfn-init: finding its invocations, reading metadata, sending its cfn-signal commands. */
class CfnInitCallsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void findsTheWindowsSamplesInvocationWithItsMetadataUrl() {
    String script = "<script>\nset StackMateApiUrl=http://127.0.0.1:4567/\ncfn-init.exe -v -s web -r WindowsServer \n</script>";
    assertThat(CfnInitCalls.find(script)).containsExactly(
        new CfnInitCalls.Call(URI.create("http://127.0.0.1:4567/"), "web", "WindowsServer", List.of("default")));
  }

  @Test
  void withoutAMetadataUrlOrAResourceThereIsNothingToRun() {
    assertThat(CfnInitCalls.find("#!/bin/bash\n/opt/aws/bin/cfn-init -s arn:stack -r WebServer --region us-east-1\n"))
        .as("the Linux LAMP samples set no StackMateApiUrl").isEmpty();
    assertThat(CfnInitCalls.find("export StackMateApiUrl=http://127.0.0.1:1/\ncfn-init -s web\n")).isEmpty();
    assertThat(CfnInitCalls.find("export StackMateApiUrl='http://127.0.0.1:1/'\ncfn-init -s web -r Db -c a,b\n"))
        .extracting(CfnInitCalls.Call::configSets).containsExactly(List.of("a", "b"));
  }

  @Test
  void signalsFollowConfigSetsThenCommandNames() throws Exception {
    JsonNode init = JSON.readTree("""
        {"configSets": {"default": ["first", {"ConfigSet": "more"}], "more": ["second"], "unused": ["third"]},
         "first": {"commands": {
            "b-signal": {"command": "cfn-signal.exe -e 0 -d b \\"http://127.0.0.1:1/waitcondition/s/H1\\""},
            "a-signal": {"command": ["cfn-signal", "-e", "1", "-r", "broken", "http://127.0.0.1:1/waitcondition/s/H0"]},
            "c-other":  {"command": "echo not a signal"}}},
         "second": {"commands": {"z": {"command": "cfn-signal -e 0 http://127.0.0.1:1/waitcondition/s/H2"}}},
         "third": {"commands": {"z": {"command": "cfn-signal -e 0 http://127.0.0.1:1/waitcondition/s/H3"}}}}
        """);
    List<WaitConditionSignal> signals = CfnInitCalls.signals(init, List.of("default"), "vm-1");
    assertThat(signals).extracting(s -> s.url().getPath())
        .containsExactly("/waitcondition/s/H0", "/waitcondition/s/H1", "/waitcondition/s/H2");
    assertThat(signals).extracting(WaitConditionSignal::success).containsExactly(false, true, true);
    assertThat(JSON.readTree(signals.get(1).body()).path("Data").asText()).isEqualTo("b");
    assertThat(JSON.readTree(signals.get(1).body()).path("UniqueId").asText()).isEqualTo("vm-1");
  }

  @Test
  void readsTheMetadataFromTheApiAsCfnInitDoes() throws Exception {
    AtomicReference<String> query = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String metadata = JSON.writeValueAsString(JSON.readTree("""
        {"AWS::CloudFormation::Init": {"config": {"commands": {
          "z-signal-completion": {"command": "cfn-signal.exe -e 0 \\"http://127.0.0.1:9/waitcondition/s/WaitHandle\\""}}}}}
        """));
    String body = JSON.writeValueAsString(JSON.createObjectNode().set("DescribeStackResourceResponse",
        JSON.createObjectNode().set("DescribeStackResourceResult", JSON.createObjectNode().set("StackResourceDetail",
            JSON.createObjectNode().put("LogicalResourceId", "WindowsServer").put("Metadata", metadata)))));
    server.createContext("/", exchange -> {
      query.set(exchange.getRequestURI().getRawQuery());
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      URI api = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      List<WaitConditionSignal> signals = CfnInitCalls.signals(http,
          new CfnInitCalls.Call(api, "web", "WindowsServer", List.of("default")), "vm-7");
      assertThat(query.get()).contains("Action=DescribeStackResource").contains("StackName=web")
          .contains("LogicalResourceId=WindowsServer").contains("ContentType=JSON");
      assertThat(signals).singleElement().satisfies(s -> {
        assertThat(s.url()).isEqualTo(URI.create("http://127.0.0.1:9/waitcondition/s/WaitHandle"));
        assertThat(s.success()).isTrue();
      });
    } finally {
      server.stop(0);
    }
  }
}
