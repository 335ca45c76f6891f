package org.stacktician.engine.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The engine's database: a pooled data source (an H2 file for the CLI, any H2 or PostgreSQL URL for
 * the server) with the engine's tables migrated by Flyway. The schema lives in {@code
 * db/stackmate/common} (portable SQL) plus {@code db/stackmate/<vendor>} (db-scheduler's table).
 */
public final class EngineDatabase implements AutoCloseable {
  /** File name (without H2's extension) of the CLI's database inside its state directory. */
  public static final String H2_FILE_NAME = "stackmate";

  private final DataSource dataSource;
  private final boolean embedded;

  private EngineDatabase(DataSource dataSource, boolean embedded) {
    this.dataSource = dataSource;
    this.embedded = embedded;
  }

  /**
   * Opens (creating if needed) the H2 file {@code dir/stackmate.mv.db}. Several processes may use it
   * at once (H2's automatic mixed mode: the first one serves the others), e.g. describe-stack-events
   * while create-stack runs. Commits are written at once ({@code WRITE_DELAY=0}; H2's default
   * delays them by up to half a second), so a killed process loses no step it recorded.
   */
  public static EngineDatabase h2File(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new StateStoreException("cannot create the state directory " + dir + ": " + e.getMessage(), e);
    }
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve(H2_FILE_NAME) + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    return open(url, "sa", "", 16, true);
  }

  /** Opens any JDBC URL (H2 or PostgreSQL) with a connection pool of the given size. */
  public static EngineDatabase open(String jdbcUrl, String user, String password, int poolSize, boolean embedded) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("stackmate-state");
    config.setConnectionTimeout(10_000);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new StateStoreException("cannot open the state database " + redact(jdbcUrl) + ": " + root.getMessage(), e);
    }
    migrate(ds);
    return new EngineDatabase(ds, embedded);
  }

  /** Wraps a data source someone else owns (the server); migrates the engine's tables. */
  public static EngineDatabase of(DataSource dataSource) {
    migrate(dataSource);
    return new EngineDatabase(dataSource, false);
  }

  /** Applies the engine's migrations to a data source. */
  public static void migrate(DataSource dataSource) {
    String vendor = vendor(dataSource);
    Flyway.configure()
        .dataSource(dataSource)
        .table("sm_schema_history")
        .locations("classpath:db/stackmate/common", "classpath:db/stackmate/" + vendor)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
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
