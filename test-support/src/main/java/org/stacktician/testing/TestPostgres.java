package org.stacktician.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL that tests run against: given by {@value #URL_ENV} (a JDBC URL of a database the
 * user of {@value #USER_ENV} / {@value #PASSWORD_ENV} may create schemas in; {@code .ci/run} starts
 * the machine's PostgreSQL and sets them). Tests that need it are skipped, with a plain message,
 * when it is not given, and fail when {@value #REQUIRE_ENV}{@code =1} (as in CI). Each test gets a
 * schema of its own, so tests never see each other's tables.
 */
public final class TestPostgres {
  public static final String URL_ENV = "STACKTICIAN_TEST_PG_URL";
  public static final String USER_ENV = "STACKTICIAN_TEST_PG_USER";
  public static final String PASSWORD_ENV = "STACKTICIAN_TEST_PG_PASSWORD";
  /** Environment variable that turns a missing PostgreSQL from a skip into a failure. */
  public static final String REQUIRE_ENV = "STACKTICIAN_REQUIRE_PG";

  /** Where a test's schema is: a URL whose connections use it, and the credentials. */
  public record Schema(String name, String jdbcUrl, String user, String password) {}

  private TestPostgres() {}

  /** A new, empty schema in the test database, or a skipped (or, when required, failed) test. */
  public static Schema freshSchema() {
    String base = System.getenv(URL_ENV);
    String user = System.getenv().getOrDefault(USER_ENV, "stacktician");
    String password = System.getenv().getOrDefault(PASSWORD_ENV, "");
    if (base == null || base.isBlank()) {
      unavailable("PostgreSQL tests skipped: " + URL_ENV + " is not set (e.g. jdbc:postgresql://127.0.0.1:5432/"
          + "stacktician_test, with " + USER_ENV + " and " + PASSWORD_ENV + "); .ci/run starts PostgreSQL and sets them.");
    }
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      unavailable("PostgreSQL tests skipped: cannot create a schema in " + base + " as " + user + ": " + e.getMessage());
    }
    String separator = base.contains("?") ? "&" : "?";
    return new Schema(name, base + separator + "currentSchema=" + name, user, password);
  }

  /** Drops a schema made by {@link #freshSchema()} with everything in it. */
  public static void drop(Schema schema) {
    String base = System.getenv(URL_ENV);
    try (Connection c = DriverManager.getConnection(base, schema.user(), schema.password());
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema.name() + " CASCADE");
    } catch (SQLException e) {
      throw new AssertionError("cannot drop test schema " + schema.name() + ": " + e.getMessage(), e);
    }
  }

  private static void unavailable(String message) {
    String require = System.getenv(REQUIRE_ENV);
    if ("1".equals(require) || "true".equals(require)) {
      throw new AssertionError(message.replace("skipped", "required") + " (" + REQUIRE_ENV + " is set)");
    }
    System.err.println("[postgresql] " + message);
    Assumptions.abort(message);
  }
}
