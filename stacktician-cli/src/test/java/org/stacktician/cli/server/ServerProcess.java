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
import java.util.ArrayList;
import java.util.List;
import org.stacktician.cli.Main;

/**
 * A real {@code stacktician server} process on a data directory, with its REST API's base URL and
 * the demo user's credentials as it printed them.
 */
record ServerProcess(Process process, URI api, String accessKeyId, String secretKey, Path log) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Starts a server ({@code --port 0} unless {@code args} give one) and waits until it serves. */
  static ServerProcess start(Path data, Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dstacktician.tool=stacktician", Main.class.getName(),
        "server", "--data-dir", data.toString()));
    command.addAll(args.length == 0 ? List.of("--port", "0") : List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.readString(log).contains("Press Ctrl-C to stop.")) {
      assertThat(p.isAlive()).as("the server ended: " + Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("the server did not start: " + Files.readString(log)).isLessThan(deadline);
      Thread.sleep(100);
    }
    String out = Files.readString(log);
    URI api = URI.create(line(out, "Stacktician server at").replaceAll(".*REST API ([^,)\\s]+).*", "$1"));
    return new ServerProcess(p, api, line(out, "Access key:"), line(out, "Secret key:"), log);
  }

  private static String line(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in: " + output)).substring(prefix.length()).strip();
  }

  /** Calls the REST API as the demo user; asserts a 2xx answer and returns its JSON (null when empty). */
  JsonNode call(String method, String path, Object body) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + accessKeyId + ":" + secretKey).header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
      return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }
  }

  /** Waits until a stack is no longer in progress and returns it. */
  JsonNode settled(String stack) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      JsonNode st = call("GET", "/stacks/" + stack, null);
      if (!st.path("status").asText().endsWith("_IN_PROGRESS")) {
        return st;
      }
      assertThat(System.nanoTime()).as("still " + st.path("status").asText()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
