package org.stacktician.engine.provider.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.testing.PluginJars;

/** The registry with real plugin jars, compiled and packed by the test. */
class ProviderRegistryTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;
  final ProviderContext base = ProviderContext.builder().build();

  /** Compiles one provider class claiming {@code types} and packs it into {@code dir/<jarName>}. */
  Path pluginJar(Path dir, String jarName, String className, String types, String constructorBody,
      boolean withServicesFile, String servicesContent) throws IOException {
    String source = """
        package demo;
        import java.util.*;
        import org.stacktician.engine.provider.*;
        public class %1$s implements ResourceProvider {
          public %1$s() { %3$s }
          public String name() { return "%1$s"; }
          public Set<String> types(ProviderContext c) { return Set.of(%2$s); }
          public Optional<ResourceHandler> handler(String type, ProviderContext c) {
            return Optional.of(new ResourceHandler() {
              public ProgressEvent create(ResourceRequest r) { return ProgressEvent.success(r.logicalId() + "-from-%1$s"); }
              public ProgressEvent delete(ResourceRequest r) { return ProgressEvent.success(null); }
            });
          }
        }
        """.formatted(className, types, constructorBody);
    return PluginJars.build(work, dir.resolve(jarName), className, source, ResourceProvider.class.getName(),
        withServicesFile ? (servicesContent != null ? servicesContent : "demo." + className + "\n") : null);
  }

  ResourceRequest request(String type) {
    ProviderContext ctx = base.withStack(new ResourceRequest.StackRef("s1", "stack"), Map.of());
    return new ResourceRequest(ctx.stack(), "Thing", type, JSON.createObjectNode(), null, null, Map.of(), null, null, ctx,
        ResourceRequest.Action.CREATE, false);
  }

  @Test
  void builtInsCoverWaitConditionsCustomResourcesAndTheOriginalsAliases() {
    ProviderRegistry registry = ProviderRegistry.builder(base).builtIns().build();
    assertThat(registry.types()).contains("AWS::CloudFormation::WaitCondition", "AWS::CloudFormation::WaitConditionHandle",
        "AWS::CloudFormation::CustomResource", "StackMate::WaitCondition", "StackMate::WaitConditionHandle");
    assertThat(registry.typePrefixes()).contains("Custom::");
    assertThat(registry.handler("Custom::Anything")).isPresent();
    assertThat(registry.handler("Custom::")).isEmpty();
    assertThat(registry.handler("StackMate::WaitCondition").get().getClass())
        .isEqualTo(registry.handler("AWS::CloudFormation::WaitCondition").get().getClass());
    assertThat(registry.handler("AWS::RDS::DBInstance")).isEmpty();
    assertThat(registry.validate("AWS::RDS::DBInstance", null)).map(Object::toString)
        .containsExactly("property 'Type' names an unknown resource type 'AWS::RDS::DBInstance'");
    assertThat(registry.validate("AWS::CloudFormation::WaitCondition", JSON.createObjectNode()))
        .extracting(e -> e.property()).containsExactly("Handle", "Timeout");
  }

  @Test
  void loadsProvidersFromThePluginsDirectory() throws IOException {
    Path plugins = work.resolve("plugins");
    pluginJar(plugins, "queue.jar", "QueueProvider", "\"Acme::Queue\", \"Acme::Topic\"", "", true, null);
    ProviderRegistry registry = ProviderRegistry.load(base, List.of(), plugins);
    assertThat(registry.types()).contains("Acme::Queue", "Acme::Topic", "AWS::CloudFormation::WaitCondition");
    assertThat(registry.providerName("Acme::Queue")).contains("QueueProvider");
    ProgressEvent e = registry.handler("Acme::Queue").orElseThrow().create(request("Acme::Queue"));
    assertThat(e).isEqualTo(ProgressEvent.success("Thing-from-QueueProvider"));
  }

  @Test
  void aPluginClaimingABuiltInTypeIsRejectedNamingBoth() throws IOException {
    Path plugins = work.resolve("plugins");
    pluginJar(plugins, "sneaky.jar", "SneakyProvider", "\"AWS::CloudFormation::WaitCondition\"", "", true, null);
    assertThatThrownBy(() -> ProviderRegistry.load(base, List.of(), plugins))
        .isInstanceOf(PluginLoadException.class)
        .hasMessage("type 'AWS::CloudFormation::WaitCondition' is claimed twice: by provider 'wait-conditions' (built-in)"
            + " and by provider 'SneakyProvider' (plugin sneaky.jar)");
  }

  @Test
  void twoPluginsClaimingOneTypeAreRejected() throws IOException {
    Path plugins = work.resolve("plugins");
    pluginJar(plugins, "a.jar", "FirstProvider", "\"Acme::Queue\"", "", true, null);
    pluginJar(plugins, "b.jar", "SecondProvider", "\"Acme::Queue\"", "", true, null);
    assertThatThrownBy(() -> ProviderRegistry.load(base, List.of(), plugins))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("type 'Acme::Queue' is claimed twice")
        .hasMessageContaining("'FirstProvider' (plugin a.jar)")
        .hasMessageContaining("'SecondProvider' (plugin b.jar)");
  }

  @Test
  void aPluginThatFailsToLoadIsRejectedWithItsJarName() throws IOException {
    Path broken = work.resolve("broken");
    pluginJar(broken, "boom.jar", "BoomProvider", "\"Acme::Boom\"", "throw new IllegalStateException(\"no licence file\");", true, null);
    assertThatThrownBy(() -> ProviderRegistry.load(base, List.of(), broken))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageStartingWith("plugin boom.jar failed to load")
        .hasMessageContaining("no licence file");

    Path missing = work.resolve("missing");
    pluginJar(missing, "ghost.jar", "GhostProvider", "\"Acme::Ghost\"", "", true, "demo.NoSuchProvider\n");
    assertThatThrownBy(() -> ProviderRegistry.load(base, List.of(), missing))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageStartingWith("plugin ghost.jar failed to load")
        .hasMessageContaining("demo.NoSuchProvider");

    Path empty = work.resolve("empty");
    pluginJar(empty, "plain.jar", "PlainProvider", "\"Acme::Plain\"", "", false, null);
    assertThatThrownBy(() -> ProviderRegistry.load(base, List.of(), empty))
        .isInstanceOf(PluginLoadException.class)
        .hasMessage("plugin plain.jar declares no " + ResourceProvider.class.getName() + " in META-INF/services");

    assertThatThrownBy(() -> ProviderRegistry.load(base, List.of(), work.resolve("nowhere")))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void engineProvidersJoinAndAreCheckedToo() {
    ResourceProvider nested = new ResourceProvider() {
      public String name() {
        return "nested-stacks";
      }

      public Set<String> types(ProviderContext c) {
        return Set.of("AWS::CloudFormation::Stack");
      }

      public Optional<ResourceHandler> handler(String type, ProviderContext c) {
        return Optional.empty();
      }
    };
    ProviderRegistry registry = ProviderRegistry.load(base, List.of(nested), null);
    assertThat(registry.supports("AWS::CloudFormation::Stack")).isTrue();
    assertThatThrownBy(() -> ProviderRegistry.builder(base).builtIns().provider(nested).provider(nested).build())
        .hasMessageContaining("claimed twice");
  }
}
