package org.stacktician.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.server.api.RestApi;
import org.stacktician.server.config.ServerConfig;

/** The served OpenAPI document lists every route the server has, and no route it lacks. */
class OpenApiRoutesTest {
  @TempDir Path dir;

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
    try (StackticianServer server = StackticianServer.start(
        new ServerConfig(dir, "127.0.0.1", 0, null, null, null, null, null, false))) {
      ApiClient.Answer doc = ApiClient.anonymous(server.api()).get("/openapi.json");
      assertThat(doc.status()).isEqualTo(200);
      assertThat(doc.body().path("openapi").asText()).startsWith("3.");
      Set<String> documented = new TreeSet<>();
      doc.body().path("paths").properties().forEach(p -> p.getValue().properties().forEach(op ->
          documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey())));
      Set<String> served = new TreeSet<>();
      server.routes().stream().filter(r -> r.contains(" " + RestApi.BASE + "/")).forEach(served::add);
      assertThat(served).hasSizeGreaterThan(20);
      assertThat(documented).isEqualTo(served);
      for (JsonNode path : doc.body().path("paths")) {
        path.forEach(op -> assertThat(op.path("responses").size()).isPositive());
      }
    }
  }
}
