package org.stacktician.engine.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * The callback listener keeps its port across processes on one state directory, so a wait
 * condition's URL handed out before a stop still reaches the process that resumes the stack.
 */
class CallbackPortTest {
  static final String TEMPLATE = """
      {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
        "Ready": {"Type": "AWS::CloudFormation::WaitCondition",
                  "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": 120}}},
       "Outputs": {"Data": {"Value": {"Fn::GetAtt": ["Ready", "Data"]}}}}
      """;

  @TempDir Path dir;

  private LocalEngine engine() {
    return LocalEngine.builder(null).stateDir(dir)
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build();
  }

  @Test
  void aSignalSentToTheUrlOfAnEarlierProcessReachesTheOneThatResumedTheStack() throws Exception {
    String stackId;
    String handleUrl;
    int firstPort;
    try (LocalEngine first = engine()) {
      firstPort = first.callbackUrl().getPort();
      stackId = first.engine().createStack(CreateStackRequest.of("waiting", TEMPLATE, Map.of())).stackId();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      String url = null;
      while (url == null && System.nanoTime() < deadline) {
        url = first.engine().resources(stackId).stream().filter(r -> r.logicalId().equals("Handle"))
            .map(ResourceRecord::physicalId).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        Thread.sleep(20);
      }
      handleUrl = url;
      assertThat(handleUrl).startsWith("http://127.0.0.1:" + firstPort + "/");
    }
    assertThat(Files.readString(dir.resolve("callback-port")).trim()).isEqualTo(Integer.toString(firstPort));

    try (LocalEngine second = engine()) {
      assertThat(second.callbackUrl().getPort()).as("the port of last time").isEqualTo(firstPort);
      HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(handleUrl))
          .PUT(HttpRequest.BodyPublishers.ofString(
              "{\"Status\":\"SUCCESS\",\"Reason\":\"up\",\"UniqueId\":\"i-1\",\"Data\":\"late\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(200);
      StackRecord done = second.engine().awaitSettled(stackId, Duration.ofSeconds(30));
      assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(done.outputs()).anySatisfy(o -> assertThat(o.value()).contains("late"));
    }
  }

  @Test
  void aTakenPortIsNoObstacle() throws Exception {
    // The port the directory had last time, held by another program: taken before the file names it, not after an
    // engine let it go (another process on the machine could take it in between, and this test would then fail to).
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Files.writeString(dir.resolve("callback-port"), Integer.toString(taken.getLocalPort()));
      try (LocalEngine engine = engine()) {
        assertThat(engine.callbackUrl().getPort()).isNotEqualTo(taken.getLocalPort()).isPositive();
      }
    }
  }
}
