package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.cloudstack.simulator.api.CommandCatalog;
import org.stacktician.cloudstack.simulator.api.CommandDeclaration;
import org.stacktician.testing.SharedFiles;

/**
 * The {@code CloudStack::} types derived from the running simulator's listApis are the ones the
 * real 4.18 listApis gives for the same commands: same create/delete APIs, delete id, result
 * key, properties (name, type, required) and attributes.
 */
class ResourceTypesFromSimulatorTest {

  private static Map<String, String> describe(ResourceTypeCatalog catalog) {
    Map<String, String> out = new TreeMap<>();
    for (ResourceTypeDefinition t : catalog.types().values()) {
      String properties = t.properties().stream().map(p -> p.name() + ":" + p.type() + (p.required() ? "*" : ""))
          .sorted().collect(Collectors.joining(","));
      String attributes = t.attributes().stream().map(a -> a.name() + ":" + a.type()).sorted().collect(Collectors.joining(","));
      out.put(t.typeName(), t.createApi().name() + " / " + t.deleteApi().name() + " by " + t.deleteIdParameter() + " <- "
          + t.idSource() + " result " + t.responseObjectKey() + " tags " + t.tagResourceType() + "\n  " + properties + "\n  " + attributes);
    }
    return out;
  }

  @Test
  void simulatorListApisDerivesTheSameTypesAsTheReal418DumpForTheImplementedCommands() throws IOException {
    Set<String> implemented = CommandCatalog.builtIn().commands().stream().map(CommandDeclaration::name).collect(Collectors.toSet());
    JsonNode dump = SimulatorTesting.JSON.readTree(SharedFiles.resolve("cloudstack/listApis-4.18.json").toFile());
    ObjectNode subset = SimulatorTesting.JSON.createObjectNode();
    ArrayNode apis = subset.putArray("api");
    for (JsonNode api : dump.path("api")) {
      if (implemented.contains(api.path("name").asText())) apis.add(api);
    }
    subset.put("count", apis.size());
    Map<String, String> fromDump = describe(ResourceTypeCatalog.derive(ApiCatalog.fromListApisJson(subset, "4.18 subset")));

    ApiCatalog live;
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient client = SimulatorTesting.client(sim)) {
      live = client.discover();
    }
    Map<String, String> fromSimulator = describe(ResourceTypeCatalog.derive(live));
    assertThat(fromSimulator.keySet()).contains("CloudStack::VirtualMachine", "CloudStack::SecurityGroup",
        "CloudStack::LoadBalancerRule", "CloudStack::SSHKeyPair", "CloudStack::Tags");
    assertThat(fromSimulator).isEqualTo(fromDump);

    Map<String, ResourceTypeDefinition> full = ResourceTypeCatalog.derive(
        ApiCatalog.fromFile(SharedFiles.resolve("cloudstack/listApis-4.18.json"))).types();
    for (String type : fromSimulator.keySet()) {
      if (full.containsKey(type)) {
        assertThat(fromSimulator.get(type)).startsWith(full.get(type).createApi().name() + " / " + full.get(type).deleteApi().name());
      }
    }
    assertThat(full.keySet()).as("every type also comes from the whole 4.18 API").containsAll(fromSimulator.keySet());
    assertThat(fromSimulator).hasSizeGreaterThanOrEqualTo(20);
  }
}
