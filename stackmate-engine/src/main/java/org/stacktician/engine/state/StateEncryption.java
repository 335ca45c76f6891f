package org.stacktician.engine.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a database to its store key when it is opened. A database remembers a value encrypted with
 * its key ({@value #CHECK_SETTING}), so that a wrong key fails at once, before anything is written
 * with it. The first open of a database made by a version that did not encrypt encrypts its secret
 * columns in place, in the same transaction that records the check value.
 */
final class StateEncryption {
  /** The sm_settings row holding the key check. */
  static final String CHECK_SETTING = "store-key-check";
  static final String CHECK_TEXT = "stackmate-store-key-check";
  private static final Logger LOG = LoggerFactory.getLogger(StateEncryption.class);

  /** The encrypted columns: table, column, the columns that identify a row. */
  private record Column(String table, String column, String... keys) {}

  private static final List<Column> COLUMNS = List.of(
      new Column("sm_stacks", "parameters", "stack_id"),
      new Column("sm_stacks", "outputs", "stack_id"),
      new Column("sm_stacks", "previous_parameters", "stack_id"),
      new Column("sm_stack_resources", "properties", "resource_id"),
      new Column("sm_stack_resources", "attributes", "resource_id"),
      new Column("sm_stack_resources", "metadata", "resource_id"),
      new Column("sm_stack_resources", "callback_context", "resource_id"),
      new Column("sm_stack_resources", "previous_properties", "resource_id"),
      new Column("sm_stack_events", "properties", "seq"),
      new Column("sm_exports", "export_value", "export_name"),
      new Column("sm_signals", "body", "stack_id", "handle_id", "unique_id"),
      new Column("sm_stacks", "status_reason", "stack_id"),
      new Column("sm_stack_resources", "status_reason", "stack_id", "logical_id"),
      new Column("sm_stack_events", "status_reason", "seq"));

  /**
   * The sm_settings row a migration leaves when it makes more columns encrypted (V10: the status
   * reasons): the next open with the key encrypts what older versions wrote there, then removes it.
   */
  static final String PENDING_SETTING = "encrypt-columns-pending";

  private StateEncryption() {}

  /** True when the database already has a key check (its secrets are encrypted with some key). */
  static boolean hasKeyCheck(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return readCheck(c) != null;
    } catch (SQLException e) {
      throw new StateStoreException("cannot read the state database's settings: " + e.getMessage(), e);
    }
  }

  /** Verifies the key, or on a database's first encrypted open, encrypts what older versions left in plaintext. */
  static void prepare(DataSource dataSource, StateCipher cipher) {
    SQLException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        String check = readCheck(c);
        if (check != null) {
          verify(cipher, check);
          encryptPending(c, cipher);
          return;
        }
        encryptInPlace(c, cipher);
        return;
      } catch (SQLException e) {
        last = e; // most likely another process encrypting at the same moment: look again
        sleep(200L * (attempt + 1));
      }
    }
    throw new StateStoreException("cannot prepare the encryption of the state in " + cipher.location() + ": "
        + last.getMessage(), last);
  }

  private static void verify(StateCipher cipher, String check) {
    if (!CHECK_TEXT.equals(cipher.open(check))) {
      throw new StateStoreException("cannot decrypt the state in " + cipher.location()
          + " with this key: the key check does not match");
    }
  }

  private static void encryptInPlace(Connection c, StateCipher cipher) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      // The check row first: a second process doing the same waits on it, then fails and re-reads.
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO sm_settings (setting_name, setting_value) VALUES (?, ?)")) {
        insert.setString(1, CHECK_SETTING);
        insert.setString(2, cipher.seal(CHECK_TEXT));
        insert.executeUpdate();
      }
      int rows = 0;
      for (Column column : COLUMNS) {
        rows += encryptColumn(c, cipher, column);
      }
      rows += encryptSigningKey(c, cipher);
      deletePending(c);
      c.commit();
      if (rows > 0) {
        LOG.info("Encrypted {} values left in plaintext by an older version in {}", rows, cipher.location());
      }
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** Encrypts the columns a migration made secret since this database's first encrypted open. */
  private static void encryptPending(Connection c, StateCipher cipher) throws SQLException {
    if (readSetting(c, PENDING_SETTING) == null) {
      return;
    }
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      // The marker row first: a second process doing the same waits on it, finds it gone and stops.
      if (deletePending(c) == 0) {
        c.rollback();
        return;
      }
      int rows = 0;
      for (Column column : COLUMNS) {
        rows += encryptColumn(c, cipher, column);
      }
      c.commit();
      if (rows > 0) {
        LOG.info("Encrypted {} values an older version left in plaintext in {}", rows, cipher.location());
      }
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static int deletePending(Connection c) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM sm_settings WHERE setting_name = ?")) {
      delete.setString(1, PENDING_SETTING);
      return delete.executeUpdate();
    }
  }

  private static int encryptColumn(Connection c, StateCipher cipher, Column col) throws SQLException {
    String keys = String.join(", ", col.keys());
    String where = String.join(" AND ", java.util.Arrays.stream(col.keys()).map(k -> k + " = ?").toList());
    List<Object[]> updates = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement(
        "SELECT " + keys + ", " + col.column() + " FROM " + col.table() + " WHERE " + col.column() + " IS NOT NULL");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        String value = rs.getString(col.keys().length + 1);
        if (StateCipher.isSealed(value)) {
          continue;
        }
        Object[] row = new Object[col.keys().length + 1];
        row[0] = cipher.seal(value);
        for (int i = 0; i < col.keys().length; i++) {
          row[i + 1] = rs.getObject(i + 1);
        }
        updates.add(row);
      }
    }
    if (updates.isEmpty()) {
      return 0;
    }
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE " + col.table() + " SET " + col.column() + " = ? WHERE " + where)) {
      for (Object[] row : updates) {
        for (int i = 0; i < row.length; i++) {
          update.setObject(i + 1, row[i]);
        }
        update.addBatch();
      }
      update.executeBatch();
    }
    return updates.size();
  }

  private static int encryptSigningKey(Connection c, StateCipher cipher) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE sm_settings SET setting_value = ? WHERE setting_name = 'signing-key' AND setting_value = ?");
        PreparedStatement select = c.prepareStatement(
            "SELECT setting_value FROM sm_settings WHERE setting_name = 'signing-key'");
        ResultSet rs = select.executeQuery()) {
      if (rs.next() && !StateCipher.isSealed(rs.getString(1))) {
        update.setString(1, cipher.seal(rs.getString(1)));
        update.setString(2, rs.getString(1));
        return update.executeUpdate();
      }
      return 0;
    }
  }

  private static String readCheck(Connection c) throws SQLException {
    return readSetting(c, CHECK_SETTING);
  }

  private static String readSetting(Connection c, String name) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT setting_value FROM sm_settings WHERE setting_name = ?")) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
