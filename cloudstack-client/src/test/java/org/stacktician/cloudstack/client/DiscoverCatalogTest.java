package org.stacktician.cloudstack.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.client.LoopbackCloudStack.Answer;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.CatalogCache;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.testing.SharedFiles;

/** listApis from a live endpoint, cached per endpoint and CloudStack version. */
class DiscoverCatalogTest {

  @TempDir
  Path cacheDir;
  private LoopbackCloudStack cloud;

  @BeforeEach
  void start() throws IOException {
    String dump = Files.readString(SharedFiles.resolve("cloudstack/listApis-4.18.json"));
    cloud = LoopbackCloudStack.start();
    cloud.on("listApis", Answer.ok("{\"listapisresponse\":" + dump + "}"));
    cloud.on("listCapabilities", Answer.ok(capabilities("4.18.0.0")));
  }

  @AfterEach
  void stop() {
    if (cloud != null) { // null when the conformance material is absent and the test was skipped
      cloud.close();
    }
  }

  @Test
  void aLiveCatalogYieldsTheSameTypesAsTheFile() {
    try (CloudStackClient client = cloud.clientBuilder().build()) {
      ApiCatalog live = client.discover();
      assertThat(live.apis()).hasSize(705);
      assertThat(live.source()).isEqualTo(cloud.endpoint().toString());
      assertThat(ResourceTypeCatalog.derive(live).types().keySet()).isEqualTo(ResourceTypeCatalog.derive(
          ApiCatalog.fromFile(SharedFiles.resolve("cloudstack/listApis-4.18.json"))).types().keySet());
      client.discover();
      assertThat(cloud.received("listApis")).hasSize(2); // no cache configured: fetched each time
      assertThat(cloud.received("listApis").getFirst().method()).isEqualTo("GET");
    }
  }

  @Test
  void theCacheIsKeyedByEndpointAndVersionAndRefreshedOnDemand() {
    CatalogCache cache = new CatalogCache(cacheDir);
    try (CloudStackClient client = cloud.clientBuilder().catalogCache(cache).build()) {
      ApiCatalog first = client.discover();
      assertThat(first.cloudStackVersion()).isEqualTo("4.18.0.0");
      assertThat(cache.fileFor(cloud.endpoint(), "4.18.0.0")).isRegularFile();

      ApiCatalog second = client.discover();
      assertThat(second.apis().keySet()).isEqualTo(first.apis().keySet());
      assertThat(cloud.received("listApis")).hasSize(1);

      client.discover(true);
      assertThat(cloud.received("listApis")).hasSize(2);

      cloud.on("listCapabilities", Answer.ok(capabilities("4.19.0.0"))); // the cloud was upgraded
      assertThat(client.discover().cloudStackVersion()).isEqualTo("4.19.0.0");
      assertThat(cloud.received("listApis")).hasSize(3);
    }
  }

  @Test
  void withoutListCapabilitiesNothingIsCached() {
    cloud.on("listCapabilities", Answer.error(432, "listCapabilities", 9999, "Unknown API command"));
    try (CloudStackClient client = cloud.clientBuilder().catalogCache(new CatalogCache(cacheDir)).build()) {
      assertThat(client.discover().apis()).hasSize(705);
      assertThat(client.discover().apis()).hasSize(705);
    }
    assertThat(cloud.received("listApis")).hasSize(2);
  }

  @Test
  void wrongKeysAreReportedNotHiddenByTheCache() {
    try (CloudStackClient client = cloud.clientBuilder().credentials(new Credentials("nope", "nope"))
        .catalogCache(new CatalogCache(cacheDir)).build()) {
      assertThatThrownBy(client::discover).isInstanceOfSatisfying(CloudStackApiException.class,
          e -> assertThat(e.isAuthenticationFailure()).isTrue());
    }
  }

  @Test
  void aCorruptCacheEntryIsIgnored() throws IOException {
    CatalogCache cache = new CatalogCache(cacheDir);
    Path file = cache.fileFor(cloud.endpoint(), "4.18.0.0");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{not json");
    try (CloudStackClient client = cloud.clientBuilder().catalogCache(cache).build()) {
      assertThat(client.discover().apis()).hasSize(705);
    }
    assertThat(cache.load(cloud.endpoint(), "4.18.0.0")).isPresent();
  }

  private static String capabilities(String version) {
    return "{\"listcapabilitiesresponse\":{\"capability\":{\"cloudstackversion\":\"" + version
        + "\",\"securitygroupsenabled\":false}}}";
  }

}
