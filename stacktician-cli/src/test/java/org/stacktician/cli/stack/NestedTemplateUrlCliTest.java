package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.CloudCli;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/**
 * A nested stack's relative TemplateURL resolves against its parent template's location (a file's
 * directory or a URL), whatever the current directory; an unreachable URL says why.
 */
class NestedTemplateUrlCliTest {
  @TempDir Path tmp;
  CloudStackSimulator simulator;
  CloudCli cli;
  HttpServer web;

  @BeforeEach
  void start() throws Exception {
    simulator = CloudStackSimulator.start();
    cli = new CloudCli(simulator, tmp.resolve("state"));
    Path site = Files.createDirectories(tmp.resolve("site"));
    web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext("/site/", exchange -> {
      Path file = site.resolve(exchange.getRequestURI().getPath().substring("/site/".length()));
      byte[] body = Files.exists(file) ? Files.readAllBytes(file) : "not found".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(Files.exists(file) ? 200 : 404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
  }

  @AfterEach
  void stop() {
    web.stop(0);
    simulator.close();
  }

  private static String parent(String templateUrl) {
    return """
        {"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "%s"}}}}
        """.formatted(templateUrl);
  }

  /** A template with one security group and, when {@code nested} is given, a nested stack of that TemplateURL. */
  private static String group(String suffix, String nested) {
    String grand = nested == null ? "" : """
        , "Grand": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "%s"}}""".formatted(nested);
    return """
        {"Resources": {"Sg": {"Type": "CloudStack::SecurityGroup",
                              "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-%s"}}}%s}}
        """.formatted(suffix, grand);
  }

  private List<String> groupNames() {
    try (CloudStackClient client = cli.client()) {
      return client.list("listSecurityGroups", Map.of()).stream().map(g -> g.path("name").asText()).toList();
    }
  }

  @Test
  void aRelativeTemplateUrlIsReadNextToTheParentFileNotInTheCurrentDirectory() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("templates/app"));
    Files.writeString(dir.resolve("child.json"), group("child", null));
    Path parent = Files.writeString(dir.resolve("parent.json"), parent("child.json"));

    CliRun created = cli.run("create-stack", "rel", "--template-file", parent.toString());
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    assertThat(groupNames()).anyMatch(n -> n.startsWith("rel-Child-") && n.endsWith("-child"));
    assertThat(cli.run("delete-stack", "rel").exit()).isZero();
    assertThat(groupNames()).noneMatch(n -> n.startsWith("rel-"));
  }

  @Test
  void aRelativeTemplateUrlInATemplateFetchedOverHttpIsReadFromTheSameSite() throws Exception {
    Path site = tmp.resolve("site");
    Files.writeString(site.resolve("grand.json"), group("grand", null));
    Files.writeString(site.resolve("child.json"), group("child", "grand.json"));
    Path parent = Files.writeString(tmp.resolve("parent.json"),
        parent("http://127.0.0.1:" + web.getAddress().getPort() + "/site/child.json"));

    CliRun created = cli.run("create-stack", "web", "--template-file", parent.toString());
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    assertThat(groupNames()).anyMatch(n -> n.startsWith("web-Child-") && n.endsWith("-child"))
        .anyMatch(n -> n.contains("-Grand-") && n.endsWith("-grand"));
  }

  @Test
  void aMissingOrUnreachableTemplateUrlSaysWhy() throws Exception {
    Path missing = Files.writeString(tmp.resolve("missing.json"), parent("nope.json"));
    CliRun noFile = cli.run("create-stack", "nofile", "--template-file", missing.toString());
    assertThat(noFile.exit()).isEqualTo(1);
    assertThat(noFile.out()).contains("TemplateURL nope.json (" + tmp.resolve("nope.json") + ")")
        .contains("no such file");

    Path unreachable = Files.writeString(tmp.resolve("unreachable.json"), parent("http://127.0.0.1:1/child.json"));
    CliRun refused = cli.run("create-stack", "refused", "--template-file", unreachable.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out()).contains("cannot fetch http://127.0.0.1:1/child.json: connection refused")
        .doesNotContain("null");
  }
}
