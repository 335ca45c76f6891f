package org.stacktician.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.state.StoreKey;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.testing.TestPostgres;

/**
 * The REST API on PostgreSQL (skipped without {@value TestPostgres#URL_ENV}, failed without it under CI), and a
 * second node on the same database.
 */
class PostgresServerApiTest extends ServerApiContract {
  private static final String KEY = java.util.Base64.getEncoder().encodeToString(new byte[StoreKey.LENGTH])
      .replace('A', 'B');
  private TestPostgres.Schema schema;

  @Override
  ServerConfig config(Path dataDir) {
    schema = TestPostgres.freshSchema();
    return new ServerConfig(dataDir.resolve("data"), "127.0.0.1", 0, schema.jdbcUrl(), schema.user(),
        schema.password(), KEY, null, true);
  }

  @Test
  void anotherNodeUsesTheCatalogTheDatabaseHolds() throws Exception {
    ApiClient alice = newUserWithCloud("alice");
    JsonNode key = alice.post("/access-keys", Map.of()).body();
    var calls = server.simulator().orElseThrow().calls();
    try (StackticianServer other = StackticianServer.start(new ServerConfig(dataDir.resolve("other"), "127.0.0.1", 0,
        schema.jdbcUrl(), schema.user(), schema.password(), KEY, null, false))) {
      ApiClient there = ApiClient.signed(other.api(), key.path("accessKeyId").asText(),
          key.path("secretAccessKey").asText());
      calls.clear();
      ApiClient.Answer refused = there.post("/stacks", Map.of("name", "bad-sg", "templateBody",
          SECURITY_GROUP.replace("\"name\":", "\"nmae\":")));
      assertThat(refused.status()).as(refused.text()).isEqualTo(400);
      assertThat(refused.text()).contains("nmae");
      ApiClient.Answer made = there.post("/stacks", Map.of("name", "sg", "templateBody", SECURITY_GROUP));
      assertThat(made.status()).as(made.text()).isEqualTo(201);
      assertThat(settled(there, made.body().path("id").asText()).path("status").asText()).isEqualTo("CREATE_COMPLETE");
      assertThat(calls.calls()).as("the other node read the catalog from the database, not from the cloud")
          .noneMatch(c -> c.command().equals("listApis"));
    }
  }

  @AfterEach
  void dropSchema() {
    if (server != null) {
      server.close();
      server = null;
    }
    if (schema != null) {
      TestPostgres.drop(schema);
    }
  }
}
