package org.stacktician.server.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.StateCipher;
import org.stacktician.engine.state.StoreKey;
import org.stacktician.server.config.ServerConfig;

/**
 * The server's one database: the engine's state tables ({@link EngineDatabase}, migrated by the
 * engine) and the server's own tables ({@code db/stacktician/common}, migrated here with their own
 * Flyway history), reached through one connection pool. The embedded default is an H2 file in the
 * data directory (directory 0700, files 0600); a configured URL (PostgreSQL) is used as given.
 * Secrets are sealed with the server's key ({@link #cipher()}), the same key as the engine's state.
 */
public final class ServerDatabase implements AutoCloseable {
  /** The key file in the data directory when no key is configured. */
  public static final String KEY_FILE = StoreKey.FILE_NAME;
  private static final int POOL_SIZE = 16;

  private final EngineDatabase engine;
  private final Jdbi jdbi;

  private ServerDatabase(EngineDatabase engine) {
    this.engine = engine;
    this.jdbi = Jdbi.create(engine.dataSource());
    // Scoped queries bind the caller's id whether or not an admin's query uses it.
    jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
  }

  /** Opens (creating and migrating when needed) the database the configuration names. */
  public static ServerDatabase open(ServerConfig config) {
    StoreKey key = serverKey(config);
    // The embedded H2 file is migrated by its owner; the pool's user has no rights to change the schema.
    EngineDatabase engine = config.embeddedDatabase()
        ? EngineDatabase.h2File(config.dataDir(), key, ServerDatabase::migrate)
        : EngineDatabase.open(config.databaseUrl(), config.databaseUser(), config.databasePassword(), POOL_SIZE, false,
            key);
    try {
      if (!config.embeddedDatabase()) {
        migrate(engine.dataSource());
      }
      if (config.embeddedDatabase()) {
        ownerOnlyFiles(config.dataDir());
      }
      return new ServerDatabase(engine);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /**
   * The server's key: the configured one, else the key file in the data directory (made on first
   * use, mode 0600). The data directory is made (0700) here, before anything is written in it.
   */
  static StoreKey serverKey(ServerConfig config) {
    DataDirectory.prepare(config.dataDir());
    if (config.encryptionKey() != null) {
      return StoreKey.fromBase64(config.encryptionKey(), "the configured encryption-key");
    }
    return StoreKey.loadOrCreate(config.dataDir().resolve(KEY_FILE));
  }

  /** Applies the server's migrations (after the engine's, which {@link EngineDatabase} applied). */
  static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .table("st_schema_history")
        .locations("classpath:db/stacktician/common")
        .javaMigrations(new org.stacktician.server.db.migration.V5__Stack_scopes())
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  private static void ownerOnlyFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: the directory's ACLs apply
    }
  }

  /** True when the database answers a trivial query now (for {@code /health}). */
  public boolean reachable() {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** JDBI over the pool. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** The engine's view of the same database, for the stack engine. */
  public EngineDatabase engineDatabase() {
    return engine;
  }

  /** Seals and opens secrets with the server's key. */
  public StateCipher cipher() {
    return engine.cipher();
  }

  /** The timestamp form the schema stores. */
  public static OffsetDateTime timestamp(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  @Override
  public void close() {
    engine.close();
  }
}
