package org.stacktician.cli.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.CloudCli;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.engine.provider.ResourceProvider;
import org.stacktician.testing.PluginJars;

/**
 * validate-template and plan take create-stack's {@code --plugins DIR}: the types of a real plugin
 * jar are known and checked by the plugin's own handler instead of reported unknown.
 */
class PluginTypesCheckTest {
  static final String PROVIDER = """
      package demo;
      import java.util.*;
      import com.fasterxml.jackson.databind.node.ObjectNode;
      import org.stacktician.engine.provider.*;
      public class QueueProvider implements ResourceProvider {
        public String name() { return "QueueProvider"; }
        public Set<String> types(ProviderContext c) { return Set.of("Acme::Queue"); }
        public Optional<ResourceHandler> handler(String type, ProviderContext c) {
          return Optional.of(new ResourceHandler() {
            public List<PropertyError> validate(ObjectNode p) {
              List<PropertyError> errors = new ArrayList<>();
              if (!p.has("QueueName")) errors.add(new PropertyError("QueueName", "is required by Acme::Queue"));
              if (p.has("Size") && !p.get("Size").asText().matches("[0-9]+")) {
                errors.add(new PropertyError("Size", "must be an integer, got " + p.get("Size")));
              }
              return errors;
            }
            public ProgressEvent create(ResourceRequest r) { return ProgressEvent.success(r.logicalId()); }
            public ProgressEvent delete(ResourceRequest r) { return ProgressEvent.success(null); }
          });
        }
      }
      """;
  static final String TEMPLATE = """
      Parameters:
        Size: {Type: String, Default: "10"}
      Resources:
        Jobs:
          Type: Acme::Queue
          Properties: {QueueName: jobs, Size: !Ref Size}
        Mail:
          Type: Acme::Queue
          Properties: {Size: 5}
      """;

  @TempDir static Path tmp;
  static Path plugins;
  static Path catalog;
  static Path template;

  @BeforeAll
  static void build() throws IOException {
    plugins = tmp.resolve("plugins");
    PluginJars.build(tmp, plugins.resolve("queue.jar"), "QueueProvider", PROVIDER, ResourceProvider.class.getName(),
        "demo.QueueProvider\n");
    // A catalog with no APIs: this template uses no CloudStack:: type.
    catalog = Files.writeString(tmp.resolve("listApis.json"), "{\"listapisresponse\": {\"count\": 0, \"api\": []}}");
    assertThat(ApiCatalog.fromFile(catalog).apis()).isEmpty();
    template = Files.writeString(tmp.resolve("queues.yaml"), TEMPLATE);
  }

  @Test
  void withoutThePluginItsTypeIsUnknown() {
    CliRun r = CliRun.stackmate("validate-template", "--template-file", template.toString(), "--catalog",
        catalog.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Resources/Jobs/Type: names an unknown resource type 'Acme::Queue'");
  }

  @Test
  void validateTemplateChecksPluginTypesWithThePluginsHandler() {
    CliRun r = CliRun.stackmate("validate-template", "--template-file", template.toString(), "--catalog",
        catalog.toString(), "--plugins", plugins.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith(template + ": 1 error")
        .contains(template + ":9:5: Resources/Mail/Properties/QueueName: is required by Acme::Queue")
        .doesNotContain("unknown resource type");
  }

  @Test
  void planChecksPluginTypesWithTheParameterValues() throws IOException {
    Path good = Files.writeString(tmp.resolve("good.yaml"), TEMPLATE.replace("{Size: 5}", "{QueueName: mail}"));
    CliRun bad = CliRun.stackmate("plan", "--template-file", good.toString(), "--catalog", catalog.toString(),
        "--plugins", plugins.toString(), "-p", "Size=ten");
    assertThat(bad.exit()).as(bad.out() + bad.err()).isEqualTo(1);
    assertThat(bad.err()).contains("Resources/Jobs/Properties/Size: must be an integer, got \"ten\"");

    CliRun ok = CliRun.stackmate("plan", "--template-file", good.toString(), "--catalog", catalog.toString(),
        "--plugins", plugins.toString(), "--output", "json");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("\"Jobs\"", "\"Mail\"");
  }

  @Test
  void createStackTakesTheSameOption() throws IOException {
    Path one = Files.writeString(tmp.resolve("one.yaml"), "Resources: {Jobs: {Type: Acme::Queue, Properties: "
        + "{QueueName: jobs}}}\n");
    try (CloudStackSimulator simulator = CloudStackSimulator.start()) {
      CliRun r = new CloudCli(simulator, tmp.resolve("state")).run("create-stack", "queues", "--template-file",
          one.toString(), "--plugins", plugins.toString(), "--output", "json");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.json().path("Stack").path("StackStatus").asText()).isEqualTo("CREATE_COMPLETE");
    }
  }

  @Test
  void aPluginsDirectoryThatDoesNotExistIsReported() {
    CliRun r = CliRun.stackmate("validate-template", "--template-file", template.toString(), "--catalog",
        catalog.toString(), "--plugins", tmp.resolve("nowhere").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("plugins directory " + tmp.resolve("nowhere") + " does not exist");
  }

  @Test
  void pluginsWithoutACatalogOrCloudIsAUsageError() {
    CliRun r = CliRun.stackmate("validate-template", "--template-file", template.toString(), "--plugins",
        plugins.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--plugins adds the plugins' types", "--catalog FILE");
  }
}
