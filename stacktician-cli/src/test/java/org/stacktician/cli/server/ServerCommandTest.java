package org.stacktician.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.Main;
import org.stacktician.cli.StackticianCommand;
import picocli.CommandLine;

/** {@code stacktician server}: starts on embedded defaults, prints how to use it, keeps the demo user across starts. */
class ServerCommandTest {
  @TempDir Path dir;

  private static String line(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in: " + output)).substring(prefix.length()).strip();
  }

  /** Runs the server command until it has printed its banner; returns the output and a way to stop it. */
  private record Running(ServerCommand command, StringWriter out, CompletableFuture<Integer> exit) {
    String printed() {
      return out.toString();
    }

    int stop() throws Exception {
      command.stop.countDown();
      return exit.get(20, TimeUnit.SECONDS);
    }
  }

  private Running start(String... args) throws InterruptedException {
    ServerCommand command = new ServerCommand();
    StringWriter out = new StringWriter();
    CommandLine cl = Main.newCommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    // A thread of its own: the common pool has one worker on 2 cores, which a server left running would hold.
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(args),
        task -> Thread.ofPlatform().daemon().name("server-command").start(task));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!out.toString().contains("Press Ctrl-C to stop.") && !exit.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return new Running(command, out, exit);
  }

  private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpResponse<String> send(URI uri, String authorization, String json) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", authorization)
          .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void startsOnEmbeddedDefaultsPrintsTheDemoUserAndKeepsItAcrossStarts() throws Exception {
    assertThat(Main.newCommandLine(new StackticianCommand()).getSubcommands()).containsKey("server");
    Path data = dir.resolve("data");
    Running first = start("--port", "0", "--data-dir", data.toString());
    String printed = first.printed();
    assertThat(printed).contains("Demo cloud: SIMULATED");
    assertThat(line(printed, "Demo user:")).isEqualTo("demo");
    String password = line(printed, "Password:");
    String key = line(printed, "Access key:");
    String secret = line(printed, "Secret key:");
    URI api = URI.create(line(printed, "Stacktician server at").replaceAll(".*REST API ([^,)\\s]+).*", "$1"));
    assertThat(api.getHost()).isEqualTo("127.0.0.1");
    HttpResponse<String> me = get(URI.create(api + "/me"), "Bearer " + key + ":" + secret);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(me.body()).contains("\"name\":\"demo\"");
    assertThat(get(URI.create(api + "/me"), null).statusCode()).isEqualTo(401);
    assertThat(first.stop()).isZero();
    assertThat(Files.getPosixFilePermissions(data)).hasSize(3);

    Running second = start("--port", "0", "--data-dir", data.toString());
    assertThat(line(second.printed(), "Password:")).isEqualTo(password);
    assertThat(line(second.printed(), "Access key:")).isEqualTo(key);
    assertThat(line(second.printed(), "Secret key:")).isEqualTo(secret);
    URI api2 = URI.create(line(second.printed(), "Stacktician server at").replaceAll(".*REST API ([^,)\\s]+).*", "$1"));
    HttpResponse<String> changed = send(URI.create(api2 + "/me/password"), "Bearer " + key + ":" + secret,
        "{\"currentPassword\":\"" + password + "\",\"newPassword\":\"my own long password\"}");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);
    assertThat(second.stop()).isZero();

    Running third = start("--port", "0", "--data-dir", data.toString());
    assertThat(line(third.printed(), "Password:")).isEqualTo("(changed by its user; not shown)");
    assertThat(third.stop()).isZero();
  }

  @Test
  void withoutTheDemoTheFirstStartMakesAnAdminShownOnce() throws Exception {
    Path data = dir.resolve("nodemo");
    Running first = start("--port", "0", "--data-dir", data.toString(), "--no-demo");
    assertThat(first.printed()).doesNotContain("SIMULATED").contains("First admin (shown only now; keep it): admin");
    assertThat(first.stop()).isZero();
    Running second = start("--port", "0", "--data-dir", data.toString(), "--no-demo");
    assertThat(second.printed()).doesNotContain("Password:").contains("Stacktician server at");
    assertThat(second.stop()).isZero();
  }

  @Test
  void badConfigurationIsAClearError() throws Exception {
    Path config = dir.resolve("server.yaml");
    Files.writeString(config, "port: eighty\n");
    CliRun r = CliRun.stacktician("server", "--config", config.toString(), "--data-dir", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("port from " + config + " is 'eighty'");
  }
}
