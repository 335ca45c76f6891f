package org.stacktician.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.stacktician.cli.Main;
import org.stacktician.cli.stack.ResumeAfterKillTest;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.faults.Latency;

/**
 * A real {@code stacktician server} process is killed (SIGKILL) while its engine creates a user's
 * stack in that user's cloud account; the next server on the same data directory finishes the
 * stack with nothing created twice, and deletes it completely.
 */
class ServerResumeAfterKillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** A server process with its REST API's base URL and the demo user's bearer header. */
  private record Server(Process process, URI api, String auth, Path log) {}

  private Server start(Path data, String name) throws Exception {
    Path log = tmp.resolve(name + ".log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dstacktician.tool=stacktician", Main.class.getName(),
        "server", "--port", "0", "--data-dir", data.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.readString(log).contains("Press Ctrl-C to stop.")) {
      assertThat(p.isAlive()).as("the server ended: " + Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("the server did not start: " + Files.readString(log)).isLessThan(deadline);
      Thread.sleep(100);
    }
    String out = Files.readString(log);
    URI api = URI.create(line(out, "Stacktician server at").replaceAll(".*REST API (\\S+)\\)$", "$1"));
    return new Server(p, api, "Bearer " + line(out, "Access key:") + ":" + line(out, "Secret key:"), log);
  }

  private static String line(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in: " + output)).substring(prefix.length()).strip();
  }

  private static JsonNode call(Server s, String method, String path, Object body) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.api() + path)).timeout(Duration.ofSeconds(30))
          .header("Authorization", s.auth()).header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
      return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }
  }

  private static String vmStatus(Server s, String stack) throws Exception {
    for (JsonNode r : call(s, "GET", "/stacks/" + stack + "/resources", null).path("items")) {
      if (r.path("logicalId").asText().equals("Vm1")) {
        return r.path("status").asText();
      }
    }
    return "";
  }

  private static JsonNode settled(Server s, String stack) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      JsonNode st = call(s, "GET", "/stacks/" + stack, null);
      if (!st.path("status").asText().endsWith("_IN_PROGRESS")) {
        return st;
      }
      assertThat(System.nanoTime()).as("still " + st.path("status").asText()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static long count(CloudStackSimulator sim, String kind) {
    return sim.inventory().created().stream().filter(i -> i.kind().equals(kind)).count();
  }

  @Test
  void aKilledServerIsFinishedByTheNextOneWithNothingCreatedTwice() throws Exception {
    try (CloudStackSimulator cloud = CloudStackSimulator.start()) {
      Path data = tmp.resolve("data");
      Server first = start(data, "first");
      try {
        String account = call(first, "POST", "/cloud-accounts", Map.of("name", "ext", "endpoint",
            cloud.endpoint().toString(), "apiKey", cloud.credentials().apiKey(), "secretKey",
            cloud.credentials().secretKey())).path("id").asText();
        cloud.knobs().jobLatency(Latency.fixed(2500));
        JsonNode made = call(first, "POST", "/stacks", Map.of("name", "resumed", "templateBody",
            ResumeAfterKillTest.TEMPLATE, "cloudAccountId", account, "parameters", Map.of(
                "ZoneId", ResumeAfterKillTest.id(cloud, "listZones", "Sandbox-simulator", ""),
                "TemplateId", ResumeAfterKillTest.id(cloud, "listTemplates", "Ubuntu 22.04 LTS",
                    "&templatefilter=executable"),
                "OfferingId", ResumeAfterKillTest.id(cloud, "listServiceOfferings", "Small Instance", ""))));
        String stack = made.path("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!vmStatus(first, stack).equals("CREATE_IN_PROGRESS")) {
          assertThat(System.nanoTime()).as("Vm1 never started").isLessThan(deadline);
          Thread.sleep(100);
        }
        first.process().destroyForcibly().waitFor();

        Server second = start(data, "second");
        try {
          JsonNode done = settled(second, stack);
          assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("CREATE_COMPLETE");
          assertThat(count(cloud, "VIRTUAL_MACHINE")).as("no VM created twice").isEqualTo(2);
          assertThat(count(cloud, "SECURITY_GROUP")).isEqualTo(1);
          cloud.knobs().jobLatency(Latency.fixed(20));
          call(second, "DELETE", "/stacks/" + stack, null);
          assertThat(settled(second, stack).path("status").asText()).isEqualTo("DELETE_COMPLETE");
          assertThat(count(cloud, "VIRTUAL_MACHINE")).isZero();
          assertThat(count(cloud, "SECURITY_GROUP")).isZero();
        } finally {
          second.process().destroy();
          second.process().waitFor();
        }
      } finally {
        first.process().destroyForcibly().waitFor();
      }
    }
  }
}
