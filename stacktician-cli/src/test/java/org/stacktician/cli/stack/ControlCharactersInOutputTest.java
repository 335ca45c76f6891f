package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliProcess;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/**
 * A guest's signal whose Reason and UniqueId carry terminal escapes (a title change, colours, a
 * forged CREATE_COMPLETE line, a bidi override): the real CLI's text output, read as bytes, holds
 * none of them raw, only their visible escapes; its JSON output keeps the values intact.
 */
class ControlCharactersInOutputTest {
  static final String REASON = "\u001b]0;owned\u0007\u001b[32mok\u001b[0m\r\n2026-01-01 00:00:00  Wait  CREATE_COMPLETE"
      + " \u202egnp.exe\u009b31m\u0085";
  static final String UNIQUE_ID = "node\u001b[2J\u0008";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void signalTextFromOutsideReachesTheTerminalWithoutControlCharacters() throws Exception {
    Path state = tmp.resolve("state");
    Path template = Files.writeString(tmp.resolve("wait.json"), StateDirectoryIsolationTest.WAITING_TEMPLATE);
    try (CloudStackSimulator simulator = CloudStackSimulator.start()) {
      List<String> cloud = List.of("--state-dir", state.toString(), "--endpoint", simulator.endpoint().toString(),
          "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey());
      List<String> create = new ArrayList<>(List.of("create-stack", "waiting", "--template-file", template.toString()));
      create.addAll(cloud);
      CliProcess creating = CliProcess.start(tmp.resolve("create.out"), create);
      try {
        creating.awaitOutput(Pattern.compile("Wait +AWS::CloudFormation::WaitCondition +CREATE_IN_PROGRESS"),
            Duration.ofSeconds(120));
        String handleUrl = null;
        for (JsonNode r : CliRun.stackmate("describe-stack-resources", "waiting", "--output", "json",
            "--state-dir", state.toString()).json().get("StackResources")) {
          if (r.get("LogicalResourceId").asText().equals("Handle")) {
            handleUrl = r.get("PhysicalResourceId").asText();
          }
        }
        assertThat(handleUrl).startsWith("http");
        HttpResponse<String> sent = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(handleUrl))
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                Map.of("Status", "FAILURE", "Reason", REASON, "UniqueId", UNIQUE_ID, "Data", "d"))))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        creating.await(Duration.ofSeconds(180));
      } finally {
        creating.process().destroyForcibly();
      }
      assertClean(creating.output(), "create-stack's live table");

      CliProcess events = CliProcess.start(tmp.resolve("events.out"), List.of("describe-stack-events", "waiting",
          "--state-dir", state.toString()));
      assertThat(events.await(Duration.ofSeconds(120))).isZero();
      assertClean(events.output(), "describe-stack-events");

      JsonNode json = CliRun.stackmate("describe-stack-events", "waiting", "--output", "json",
          "--state-dir", state.toString()).json();
      assertThat(json.get("StackEvents").findValuesAsText("ResourceStatusReason"))
          .anySatisfy(reason -> assertThat(reason).contains(REASON).contains(UNIQUE_ID));
    }
  }

  /** The output holds none of the control characters sent, only their visible escapes. */
  private static void assertClean(byte[] output, String what) {
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(text).as(what).contains("received failed message");
    for (int i = 0; i < output.length; i++) {
      int b = output[i] & 0xff;
      assertThat(b < 0x20 && b != '\n' || b == 0x7f).as("%s: control byte 0x%02x at %d in%n%s", what, b, i, text)
          .isFalse();
    }
    assertThat(text).as(what).doesNotContain("\u202e", "\u009b", "\u0085")
        .contains("\\x1b]0;owned\\x07\\x1b[32mok\\x1b[0m\\r\\n2026-01-01 00:00:00  Wait  CREATE_COMPLETE \\u202egnp.exe"
            + "\\u009b31m\\u0085")
        .contains("node\\x1b[2J\\x08");
  }
}
