package org.stacktician.engine.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The engine's database: a pooled data source (an H2 file for the CLI, any H2 or PostgreSQL URL for
 * the server) with the engine's tables migrated by Flyway. The schema lives in {@code
 * db/stackmate/common} (portable SQL) plus {@code db/stackmate/<vendor>} (db-scheduler's table).
 * Secrets in it are encrypted with a {@link StoreKey} kept outside it (see {@link #cipher()}).
 */
public final class EngineDatabase implements AutoCloseable {
  static {
    H2StateFile.restrictToLoopback(); // before anything here loads H2
  }

  /** File name (without H2's extension) of the CLI's database inside its state directory. */
  public static final String H2_FILE_NAME = "stackmate";

  private final DataSource dataSource;
  private final boolean embedded;
  private final StateCipher cipher;

  private EngineDatabase(DataSource dataSource, boolean embedded, StateCipher cipher) {
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.cipher = cipher;
  }

  /**
   * Opens (creating if needed) the H2 file {@code dir/stackmate.mv.db}, owner-only and with
   * credentials derived from the store key ({@link H2StateFile}). Several processes may use it at
   * once (H2's automatic mixed mode on loopback: the first one serves the others), e.g.
   * describe-stack-events while create-stack runs; processes starting together wait for each other
   * (bounded). Commits are written at once ({@code WRITE_DELAY=0}; H2's default delays them by up
   * to half a second), so a killed process loses no step it recorded. The store key comes from
   * {@value StoreKey#ENV}, else from {@code dir/stackmate.key} (made on first use).
   */
  public static EngineDatabase h2File(Path dir) {
    return h2File(dir, null);
  }

  /** As {@link #h2File(Path)} with the given store key (null: the environment or the key file). */
  public static EngineDatabase h2File(Path dir, StoreKey key) {
    return h2File(dir, key, owner -> {});
  }

  /**
   * As {@link #h2File(Path, StoreKey)}, also running {@code moreMigrations} (say the server's
   * Flyway) with the owner's rights after the engine's: the {@link #dataSource()} it returns is the
   * application's user, which may not change the schema.
   */
  public static EngineDatabase h2File(Path dir, StoreKey key, java.util.function.Consumer<DataSource> moreMigrations) {
    Path file = dir.toAbsolutePath().resolve(H2_FILE_NAME);
    return H2StateFile.exclusivelyOpening(file, H2StateFile.OPENING_WAIT, () -> {
      StoreKey k = key != null ? key : StoreKey.fromEnvironment(System.getenv()).orElseGet(() -> keyFileFor(file));
      StateCipher cipher = new StateCipher(k, location("jdbc:h2:file:" + file));
      return H2StateFile.open(file, k, true, H2StateFile.DEFAULT_WAIT,
          owner -> {
            migrate(owner);
            StateEncryption.prepare(owner, cipher);
            moreMigrations.accept(owner);
          },
          login -> new EngineDatabase(pool(login.url(), login.user(), login.password(), 16, H2StateFile.DEFAULT_WAIT),
              true, cipher));
    });
  }

  /**
   * The key file beside an H2 file: loaded, or made for a new database (or one an older version
   * left with no key check); a database whose key file is missing is refused, with what to do.
   */
  private static StoreKey keyFileFor(Path file) {
    Path keyFile = file.resolveSibling(StoreKey.FILE_NAME);
    if (!Files.exists(keyFile) && Files.exists(file.resolveSibling(file.getFileName() + ".mv.db"))
        && !H2StateFile.legacyWithoutKeyCheck(file, StateEncryption::hasKeyCheck)) {
      throw new StateStoreException("cannot decrypt the state in " + file + ".mv.db with this key: its key file "
          + keyFile + " is missing; restore it from your backup or set " + StoreKey.ENV);
    }
    return StoreKey.loadOrCreate(keyFile);
  }

  /**
   * Opens any JDBC URL (H2 or PostgreSQL) with a connection pool of the given size. The store key
   * comes from {@value StoreKey#ENV}, else from {@code stackmate.key} beside an H2 file, else (an
   * in-memory H2 database, gone when closed) is made up; other databases need the variable.
   */
  public static EngineDatabase open(String jdbcUrl, String user, String password, int poolSize, boolean embedded) {
    return open(jdbcUrl, user, password, poolSize, embedded, null);
  }

  /** As {@link #open(String, String, String, int, boolean)} with the given store key (null: as there). */
  public static EngineDatabase open(String jdbcUrl, String user, String password, int poolSize, boolean embedded,
      StoreKey key) {
    HikariDataSource ds = pool(jdbcUrl, user, password, poolSize, Duration.ZERO);
    try {
      migrate(ds);
      StateCipher cipher = prepareCipher(ds, location(jdbcUrl), key != null ? source -> key : keyFor(jdbcUrl));
      return new EngineDatabase(ds, embedded, cipher);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  /**
   * A connection pool; {@code wait} is how long its first connection may take (another process
   * serving a shared H2 file may be handing over).
   */
  private static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize, Duration wait) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("stackmate-state");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(Math.max(1, wait.toMillis()));
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new StateStoreException("cannot open the state database " + redact(jdbcUrl) + ": " + root.getMessage(), e);
    }
  }

  /** Wraps a data source someone else owns (the server) and its store key; migrates the engine's tables. */
  public static EngineDatabase of(DataSource dataSource, StoreKey key) {
    migrate(dataSource);
    return new EngineDatabase(dataSource, false, prepareCipher(dataSource, "the server's database", source -> key));
  }

  private static StateCipher prepareCipher(DataSource ds, String location, Function<DataSource, StoreKey> keyFor) {
    StateCipher cipher = new StateCipher(keyFor.apply(ds), location);
    StateEncryption.prepare(ds, cipher);
    return cipher;
  }

  /** The default key for a URL: the environment, the key file beside an H2 file, or a made-up one in memory. */
  private static Function<DataSource, StoreKey> keyFor(String jdbcUrl) {
    Map<String, String> env = System.getenv();
    return ds -> StoreKey.fromEnvironment(env).orElseGet(() -> {
      Path file = h2FilePath(jdbcUrl);
      if (file != null) {
        Path keyFile = file.resolveSibling(StoreKey.FILE_NAME);
        if (!Files.exists(keyFile) && StateEncryption.hasKeyCheck(ds)) {
          throw new StateStoreException("cannot decrypt the state in " + location(jdbcUrl) + " with this key: its key file "
              + keyFile + " is missing; restore it from your backup or set " + StoreKey.ENV);
        }
        return StoreKey.loadOrCreate(keyFile);
      }
      if (jdbcUrl.startsWith("jdbc:h2:mem:")) {
        return StoreKey.random("a key made up for the in-memory database");
      }
      throw new StateStoreException("no store key for the state database " + redact(jdbcUrl) + ": set " + StoreKey.ENV
          + " to 32 random bytes in base64 (e.g. openssl rand -base64 32)");
    });
  }

  /** The database file (without H2's extension) of an H2 file URL, else null. */
  private static Path h2FilePath(String jdbcUrl) {
    String prefix = jdbcUrl.startsWith("jdbc:h2:file:") ? "jdbc:h2:file:" : null;
    if (prefix == null) {
      return null;
    }
    String rest = jdbcUrl.substring(prefix.length());
    int semicolon = rest.indexOf(';');
    String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
    return name.startsWith("~") ? Path.of(System.getProperty("user.home") + name.substring(1)) : Path.of(name);
  }

  /** Names the database in messages: its H2 file, or the URL without its password. */
  private static String location(String jdbcUrl) {
    Path file = h2FilePath(jdbcUrl);
    return file != null ? file + ".mv.db" : redact(jdbcUrl);
  }

  /** Applies the engine's migrations to a data source. */
  public static void migrate(DataSource dataSource) {
    migrate(dataSource, "latest");
  }

  /** Applies the engine's migrations up to {@code version} (tests make state files of older versions). */
  static void migrate(DataSource dataSource, String version) {
    String vendor = vendor(dataSource);
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
        .table("sm_schema_history")
        .locations("classpath:db/stackmate/common", "classpath:db/stackmate/" + vendor)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        // Migrations are numbered per feature and may land in any order (a file already at V16 still gets V12).
        .outOfOrder(true)
        .target(version)
        .load();
    long deadline = System.nanoTime() + MIGRATION_WAIT.toNanos();
    while (true) {
      try {
        flyway.migrate();
        return;
      } catch (org.flywaydb.core.api.FlywayException e) {
        // Another process is migrating the same file (processes started together on a new or
        // older state): H2 gives up waiting for its lock after a second; wait for it to finish.
        if (!lockTimeout(e) || System.nanoTime() > deadline) {
          throw e;
        }
        org.slf4j.LoggerFactory.getLogger(EngineDatabase.class).info(
            "the state database is being migrated by another process; waiting for it ({})", e.getMessage());
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** How long opening waits for another process's migration of the same database. */
  private static final java.time.Duration MIGRATION_WAIT = java.time.Duration.ofSeconds(60);

  private static boolean lockTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && "HYT00".equals(sql.getSQLState())) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains("Timeout trying to lock table")) {
        return true;
      }
    }
    return false;
  }

  private static String vendor(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgres")) {
        return "postgresql";
      }
      if (product.contains("h2")) {
        return "h2";
      }
      throw new StateStoreException("unsupported database '" + product + "': use H2 or PostgreSQL");
    } catch (SQLException e) {
      throw new StateStoreException("cannot read the database's product name: " + e.getMessage(), e);
    }
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Encrypts and decrypts the secret columns with this database's store key. */
  public StateCipher cipher() {
    return cipher;
  }

  /** True for the CLI's H2 file. */
  public boolean embedded() {
    return embedded;
  }

  @Override
  public void close() {
    if (dataSource instanceof HikariDataSource h) {
      h.close();
    }
  }
}
