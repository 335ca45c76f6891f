package org.stacktician.server.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Small JDBC helpers the stores share (the same on H2 and PostgreSQL). */
public final class Sql {
  private Sql() {}

  /** True when a failure is a unique-key violation (SQLSTATE 23505 on H2 and PostgreSQL alike). */
  public static boolean isUniqueViolation(Throwable e) {
    return hasState(e, "23505");
  }

  /** True when a failure is a delete of a row that others still refer to (SQLSTATE 23503 on H2 and PostgreSQL alike). */
  public static boolean isForeignKeyViolation(Throwable e) {
    return hasState(e, "23503");
  }

  private static boolean hasState(Throwable e, String sqlState) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && sqlState.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** A timestamp column as an instant; null stays null. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
