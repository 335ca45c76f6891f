package org.stacktician.server.clouds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.server.ApiClient;
import org.stacktician.server.StackticianServer;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.testing.SharedFiles;

/**
 * Conformance: two clouds answering CloudStack 4.11's and 4.18's real {@code listApis} (simulators serving those
 * answers); each cloud account gets its own cloud's {@code CloudStack::} types and properties, and a stack is
 * checked against its account's: a property 4.18 added is refused in the 4.11 account and used in the 4.18 one.
 */
class CloudVersionsTest {
  static final String VM = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"}},
       "Resources": {"Vm": {"Type": "CloudStack::VirtualMachine", "Properties": {
         "zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"}, "serviceofferingid": {"Ref": "OfferingId"},
         "dynamicscalingenabled": true}}}}
      """;

  @TempDir Path dir;

  @Test
  void eachAccountIsCheckedAgainstItsOwnCloudsVersion() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode v411 = json.readTree(SharedFiles.resolve("cloudstack/listApis-4.11.json").toFile());
    JsonNode v418 = json.readTree(SharedFiles.resolve("cloudstack/listApis-4.18.json").toFile());
    try (CloudStackSimulator old = CloudStackSimulator.start(SimulatorConfig.defaults().withListApis(v411));
        CloudStackSimulator current = CloudStackSimulator.start(SimulatorConfig.defaults().withListApis(v418));
        StackticianServer server = StackticianServer.start(new ServerConfig(dir, "127.0.0.1", 0, null, null, null,
            null, null, true))) {
      var creds = server.printedCredentials().orElseThrow();
      ApiClient demo = ApiClient.signed(server.api(), creds.accessKeyId(), creds.secretAccessKey());
      String oldId = account(demo, "cs411", old);
      String currentId = account(demo, "cs418", current);
      JsonNode oldCatalog = demo.get("/cloud-accounts/" + oldId + "/catalog").body();
      JsonNode currentCatalog = demo.get("/cloud-accounts/" + currentId + "/catalog").body();
      assertThat(oldCatalog.path("catalogId").asText()).isNotEqualTo(currentCatalog.path("catalogId").asText());
      assertThat(oldCatalog.path("resourceTypes").toString()).contains("\"CloudStack::VirtualMachine\"");

      Map<String, String> ids = new java.util.HashMap<>();
      try (CloudStackClient c = CloudStackClient.builder().endpoint(current.endpoint())
          .credentials(current.credentials()).build()) {
        ids.put("ZoneId", c.list("listZones", Map.of()).get(0).path("id").asText());
        ids.put("TemplateId", c.list("listTemplates", Map.of("templatefilter", "featured")).get(0).path("id").asText());
        ids.put("OfferingId", c.list("listServiceOfferings", Map.of()).get(0).path("id").asText());
      }
      ApiClient.Answer refused = demo.post("/stacks", Map.of("name", "vm-old", "templateBody", VM,
          "parameters", ids, "cloudAccountId", oldId));
      assertThat(refused.status()).as(refused.text()).isEqualTo(400);
      JsonNode error = refused.body().path("errors").get(0);
      assertThat(error.path("path").asText()).isEqualTo("Resources/Vm/Properties/dynamicscalingenabled");
      assertThat(error.path("line").asInt()).isEqualTo(5);

      ApiClient.Answer made = demo.post("/stacks", Map.of("name", "vm-new", "templateBody", VM,
          "parameters", ids, "cloudAccountId", currentId));
      assertThat(made.status()).as(made.text()).isEqualTo(201);
      String id = made.body().path("id").asText();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      String status;
      do {
        Thread.sleep(200);
        status = demo.get("/stacks/" + id).body().path("status").asText();
        assertThat(System.nanoTime()).as("still " + status).isLessThan(deadline);
      } while (status.endsWith("_IN_PROGRESS"));
      assertThat(status).isEqualTo("CREATE_COMPLETE");
      assertThat(current.inventory().created()).anyMatch(r -> r.kind().equals("VIRTUAL_MACHINE"));
    }
  }

  private static String account(ApiClient client, String name, CloudStackSimulator cloud) {
    ApiClient.Answer made = client.post("/cloud-accounts", Map.of("name", name, "endpoint", cloud.endpoint().toString(),
        "apiKey", cloud.credentials().apiKey(), "secretKey", cloud.credentials().secretKey()));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    return made.body().path("id").asText();
  }
}
