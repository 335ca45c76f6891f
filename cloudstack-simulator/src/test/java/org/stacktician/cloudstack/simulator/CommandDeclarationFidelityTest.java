package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.simulator.api.CommandCatalog;
import org.stacktician.cloudstack.simulator.api.CommandDeclaration;
import org.stacktician.cloudstack.simulator.api.ParameterDeclaration;
import org.stacktician.cloudstack.simulator.api.ResponseField;
import org.stacktician.testing.SharedFiles;

/** Every implemented command is declared exactly as the real CloudStack 4.18 listApis describes it. */
class CommandDeclarationFidelityTest {

  private static Map<String, JsonNode> real() throws IOException {
    Path dump = SharedFiles.resolve("cloudstack/listApis-4.18.json");
    Map<String, JsonNode> apis = new HashMap<>();
    for (JsonNode api : SimulatorTesting.JSON.readTree(dump.toFile()).path("api")) {
      apis.put(api.path("name").asText(), api);
    }
    return apis;
  }

  @Test
  void parametersRequiredFlagsTypesAndLengthsEqualTheReal418ListApis() throws IOException {
    Map<String, JsonNode> real = real();
    assertThat(CommandCatalog.builtIn().commands()).hasSizeGreaterThanOrEqualTo(70);
    for (CommandDeclaration d : CommandCatalog.builtIn().commands()) {
      JsonNode api = real.get(d.name());
      assertThat(api).as("%s exists in CloudStack 4.18", d.name()).isNotNull();
      assertThat(d.async()).as("%s isasync", d.name()).isEqualTo(api.path("isasync").asBoolean());
      Set<String> expected = new TreeSet<>();
      for (JsonNode p : api.path("params")) {
        expected.add(p.path("name").asText() + ":" + p.path("type").asText() + ":" + p.path("required").asBoolean() + ":"
            + p.path("length").asInt());
      }
      Set<String> declared = new TreeSet<>();
      for (ParameterDeclaration p : d.parameters()) {
        declared.add(p.name() + ":" + p.type() + ":" + p.required() + ":" + p.length());
      }
      assertThat(declared).as("parameters of %s (name:type:required:length)", d.name()).isEqualTo(expected);
    }
  }

  @Test
  void responseFieldsEqualTheReal418ListApis() throws IOException {
    Map<String, JsonNode> real = real();
    for (CommandDeclaration d : CommandCatalog.builtIn().commands()) {
      Set<String> expected = new TreeSet<>();
      for (JsonNode f : real.get(d.name()).path("response")) {
        if (f.has("name")) expected.add(f.path("name").asText() + ":" + f.path("type").asText());
      }
      Set<String> declared = new TreeSet<>();
      for (ResponseField f : d.responseFields()) declared.add(f.name() + ":" + f.type());
      assertThat(declared).as("response fields of %s", d.name()).isEqualTo(expected);
    }
  }

  @Test
  void listApisOverHttpOffersExactlyTheImplementedCommandsAndTheClientCatalogReadsThem() throws IOException {
    Map<String, JsonNode> real = real();
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient client = SimulatorTesting.client(sim)) {
      ApiCatalog catalog = client.discover();
      assertThat(catalog.apis().keySet()).containsExactlyInAnyOrderElementsOf(
          CommandCatalog.builtIn().commands().stream().map(CommandDeclaration::name).toList());
      for (var entry : catalog.apis().entrySet()) {
        JsonNode api = real.get(entry.getKey());
        assertThat(entry.getValue().async()).isEqualTo(api.path("isasync").asBoolean());
        assertThat(entry.getValue().parameters()).hasSize(api.path("params").size());
      }
      assertThat(client.list("listApis", Map.of("name", "deployVirtualMachine"))).hasSize(1);
      assertThat(client.serverVersion()).hasValue("4.18.0.0");
    }
  }

  @Test
  void declarationsAreAuthoredInTheProjectAndParseStrictly() {
    assertThat(CommandCatalog.builtIn().command("deployVirtualMachine")).hasValueSatisfying(d -> {
      assertThat(d.parameter("userdata")).hasValueSatisfying(p -> assertThat(p.length()).isEqualTo(1_048_576));
      assertThat(d.parameters().stream().filter(ParameterDeclaration::required).map(ParameterDeclaration::name))
          .containsExactlyInAnyOrder("serviceofferingid", "templateid", "zoneid");
    });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandCatalog.parse("command x sync nosuchobject\n  a string\n"))
        .hasMessageContaining("unknown object nosuchobject");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandCatalog.parse("object o\n  a:string\ncommand x sync o\n  a string sometimes\n"))
        .hasMessageContaining("line 4");
    assertThat(List.of()).isEmpty();
  }
}
