package org.stacktician.cloudstack.client.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.testing.SharedFiles;

class ApiCatalogTest {

  @TempDir
  Path dir;

  @Test
  void readsTheReal418Dump() {
    ApiCatalog catalog = ApiCatalog.fromFile(SharedFiles.resolve("cloudstack/listApis-4.18.json"));
    assertThat(catalog.apis()).hasSize(705);
    assertThat(catalog.apis().values().stream().filter(ApiDefinition::async)).hasSize(318);
    assertThat(catalog.apis().values().stream().mapToInt(a -> a.parameters().size()).sum()).isEqualTo(3807);
    // the 1,467 empty {} response entries are skipped; named ones kept
    assertThat(catalog.apis().values().stream().mapToInt(a -> a.responseFields().size()).sum()).isEqualTo(13345);
    assertThat(catalog.apis().values().stream().flatMap(a -> a.responseFields().stream()))
        .allSatisfy(f -> assertThat(f.name()).isNotBlank());
    assertThat(catalog.cloudStackVersion()).isEqualTo("4.18.0.0");

    ApiDefinition deploy = catalog.api("deployVirtualMachine").orElseThrow();
    assertThat(deploy.async()).isTrue();
    ApiParameter offering = deploy.parameter("serviceofferingid").orElseThrow();
    assertThat(offering.required()).isTrue();
    assertThat(offering.type()).isEqualTo("uuid");
    assertThat(offering.related()).containsExactly("updateServiceOffering", "listServiceOfferings");
    assertThat(deploy.parameter("userdata").orElseThrow().length()).isEqualTo(1048576);
    assertThat(deploy.responseField("nic").orElseThrow().children()).extracting(ResponseField::name).contains("ipaddress");
  }

  @Test
  void readsTheReal411Dump() {
    ApiCatalog catalog = ApiCatalog.fromFile(SharedFiles.resolve("cloudstack/listApis-4.11.json"));
    assertThat(catalog.apis()).hasSize(590);
    assertThat(catalog.apis().values().stream().filter(ApiDefinition::async)).hasSize(272);
    assertThat(catalog.cloudStackVersion()).startsWith("4.11");
  }

  @Test
  void acceptsTheWholeListApisResponseEnvelope() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ApiCatalog catalog = ApiCatalog.fromListApisJson(json.readTree("{\"listapisresponse\":{\"count\":1,\"api\":["
        + "{\"name\":\"listZones\",\"isasync\":false,\"description\":\"Lists zones\",\"params\":["
        + "{\"name\":\"id\",\"type\":\"uuid\",\"required\":false,\"length\":255,\"related\":\"\"}],"
        + "\"response\":[{},{\"name\":\"id\",\"type\":\"string\"}]}]}}"), "test");
    ApiDefinition zones = catalog.api("listZones").orElseThrow();
    assertThat(zones.parameters()).singleElement().satisfies(p -> assertThat(p.related()).isEmpty());
    assertThat(zones.responseFields()).extracting(ResponseField::name).containsExactly("id");
    assertThat(ApiCatalog.fromListApisJson(json.readTree("{\"listapisresponse\":{}}"), "empty").apis()).isEmpty();
  }

  @Test
  void badFilesGiveClearErrors() throws Exception {
    assertThatThrownBy(() -> ApiCatalog.fromFile(dir.resolve("missing.json")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listApis file not found");
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"api\": [");
    assertThatThrownBy(() -> ApiCatalog.fromFile(broken))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    Path wrong = Files.writeString(dir.resolve("wrong.json"), "{\"zones\": 1, \"x\": 2}");
    assertThatThrownBy(() -> ApiCatalog.fromFile(wrong))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a listApis response");
  }

  @Test
  void versionsCompareNumerically() {
    assertThat(ApiCatalog.compareVersions("4.9", "4.18")).isNegative();
    assertThat(ApiCatalog.compareVersions("4.18.0.0", "4.18")).isZero();
    assertThat(ApiCatalog.compareVersions("4.11.1", "4.11.0.0")).isPositive();
  }
}
