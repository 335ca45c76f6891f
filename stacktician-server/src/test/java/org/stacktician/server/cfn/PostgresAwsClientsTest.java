package org.stacktician.server.cfn;

import java.nio.file.Path;
import org.stacktician.engine.state.StoreKey;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.testing.TestPostgres;

/**
 * The AWS SDK and AWS CLI against a server on PostgreSQL (skipped without {@value TestPostgres#URL_ENV}, failed
 * without it under {@value TestPostgres#REQUIRE_ENV}=1, as in CI).
 */
class PostgresAwsClientsTest extends AwsClientsContract {
  private TestPostgres.Schema schema;

  @Override
  ServerConfig config(Path dataDir) {
    schema = TestPostgres.freshSchema();
    String key = java.util.Base64.getEncoder().encodeToString(new byte[StoreKey.LENGTH]).replace('A', 'C');
    return new ServerConfig(dataDir, "127.0.0.1", 0, schema.jdbcUrl(), schema.user(), schema.password(), key, null,
        true);
  }

  @Override
  void dropDatabase() {
    if (schema != null) {
      TestPostgres.drop(schema);
    }
  }
}
