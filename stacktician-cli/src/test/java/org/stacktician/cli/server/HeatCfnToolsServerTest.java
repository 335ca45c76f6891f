package org.stacktician.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.testing.HeatCfnTools;

/**
 * Debian's heat-cfntools against a real {@code stacktician server} process: handle URLs and
 * {@code CloudStack::StackMateApiURL} are under the configured public URL; cfn-get-metadata reads a
 * stack's metadata only when signed with its owner's keys (another user's, a wrong secret or none
 * get nothing); the stack-scoped URL reads it by the stack's name; cfn-signal completes the stack.
 */
class HeatCfnToolsServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEMPLATE = """
      {"Resources": {
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle",
                    "Metadata": {"AWS::CloudFormation::Init": {"config": {"files": {"/etc/motd": {"content": "hello guest"}}}}}},
         "Wait": {"Type": "AWS::CloudFormation::WaitCondition",
                  "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": "120"}}},
       "Outputs": {"Api": {"Value": {"Ref": "CloudStack::StackMateApiURL"}},
                   "Data": {"Value": {"Fn::GetAtt": ["Wait", "Data"]}}}}
      """;

  @TempDir Path tmp;

  @Test
  void cfnGetMetadataAndCfnSignalWorkAgainstTheServer() throws Exception {
    HeatCfnTools.assumeInstalled();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // localhost, not the 127.0.0.1 the server would advertise by default: the configured URL is used.
    URI publicUrl = URI.create("http://localhost:" + port + "/");
    ServerProcess server = ServerProcess.start(tmp.resolve("data"), tmp.resolve("server.log"),
        "--port", String.valueOf(port), "--public-url", publicUrl.toString());
    try {
      JsonNode bob = server.call("POST", "/users", Map.of("name", "bob", "password", "correct horse battery"))
          .path("accessKey");
      String stack = server.call("POST", "/stacks", Map.of("name", "guest", "templateBody", TEMPLATE))
          .path("id").asText();
      String handleUrl = handleUrl(server, stack);
      assertThat(handleUrl).startsWith(publicUrl + "waitcondition/");

      try (HeatCfnTools tools = HeatCfnTools.pointAt(publicUrl, tmp)) {
        JsonNode metadata = JSON.readTree(HeatCfnTools.json(tools.run("cfn-get-metadata", "-s", "guest",
            "-r", "Handle", "--access-key", server.accessKeyId(), "--secret-key", server.secretKey())));
        assertThat(metadata.at("/AWS::CloudFormation::Init/config/files/~1etc~1motd/content").asText())
            .isEqualTo("hello guest");

        HeatCfnTools.Result wrongSecret = tools.attempt("cfn-get-metadata", "-s", "guest", "-r", "Handle",
            "--access-key", server.accessKeyId(), "--secret-key", "not-the-secret");
        assertThat(wrongSecret.exitCode()).isNotZero();
        assertThat(wrongSecret.output()).doesNotContain("hello guest");
        HeatCfnTools.Result otherUser = tools.attempt("cfn-get-metadata", "-s", "guest", "-r", "Handle",
            "--access-key", bob.path("accessKeyId").asText(), "--secret-key", bob.path("secretAccessKey").asText());
        assertThat(otherUser.exitCode()).isNotZero();
        assertThat(otherUser.output()).doesNotContain("hello guest");
        HeatCfnTools.Result guessed = tools.attempt("cfn-get-metadata", "-s", "guest", "-r", "Handle",
            "--access-key", "guessed", "--secret-key", "anything");
        assertThat(guessed.exitCode()).isNotZero();
        assertThat(guessed.output()).doesNotContain("hello guest");

        tools.run("cfn-signal", "-e", "0", "-r", "configured", "-d", "booted", "-i", "vm1", handleUrl);
      }
      JsonNode done = server.settled(stack);
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("CREATE_COMPLETE");
      Map<String, String> outputs = new java.util.HashMap<>();
      server.call("GET", "/stacks/" + stack + "/outputs", null).path("items")
          .forEach(o -> outputs.put(o.path("key").asText(), o.path("value").asText()));
      assertThat(JSON.readTree(outputs.get("Data"))).isEqualTo(JSON.readTree("{\"vm1\":\"booted\"}"));

      String api = outputs.get("Api");
      assertThat(api).startsWith(publicUrl + "metadata-api/");
      String query = "?Action=DescribeStackResource&StackName=guest&LogicalResourceId=Handle&ContentType=JSON";
      HttpResponse<String> scoped = get(api + query);
      assertThat(scoped.statusCode()).as(scoped.body()).isEqualTo(200);
      assertThat(scoped.body()).contains("hello guest");
      HttpResponse<String> open = get(publicUrl + "v1/" + query);
      assertThat(open.statusCode()).as("metadata is never open").isIn(401, 403);
      assertThat(open.body()).doesNotContain("hello guest");
    } finally {
      server.process().destroy();
      server.process().waitFor();
    }
  }

  private static String handleUrl(ServerProcess server, String stack) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      for (JsonNode r : server.call("GET", "/stacks/" + stack + "/resources", null).path("items")) {
        if (r.path("logicalId").asText().equals("Handle") && r.path("status").asText().equals("CREATE_COMPLETE")) {
          return r.path("physicalId").asText();
        }
      }
      assertThat(System.nanoTime()).as("the handle was never created").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
