package org.stacktician.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.stacktician.engine.state.StoreKey;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.testing.TestPostgres;

/** The REST API on PostgreSQL (skipped without {@value TestPostgres#URL_ENV}, failed without it under CI). */
class PostgresServerApiTest extends ServerApiContract {
  private TestPostgres.Schema schema;

  @Override
  ServerConfig config(Path dataDir) {
    schema = TestPostgres.freshSchema();
    String key = java.util.Base64.getEncoder().encodeToString(new byte[StoreKey.LENGTH]).replace('A', 'B');
    return new ServerConfig(dataDir.resolve("data"), "127.0.0.1", 0, schema.jdbcUrl(), schema.user(),
        schema.password(), key, null, true);
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
