package org.stacktician.engine.state;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.stack.StackSummary;
import org.stacktician.engine.stack.TemplateVersion;

/**
 * Reads rows of the engine's {@code sm_stacks} (its columns by position, secrets opened with the
 * database's cipher) into stack records: the store's own reads, and queries that join the stacks
 * with other tables in one statement (the server's owners and paging).
 */
public final class StackRows implements RowMapper<StackRecord> {
  private static final TypeReference<List<StackParameter>> PARAMS = new TypeReference<>() {};
  private static final TypeReference<List<StackOutput>> OUTPUTS = new TypeReference<>() {};

  /** Opened columns kept; past this many the cache starts over (bounds memory). */
  private static final int OPENED_LIMIT = 4096;
  /** Longer sealed values are opened each time (bounds memory). */
  private static final int OPENED_MAX_CHARS = 8192;

  private final StateCipher cipher;
  /**
   * Opened (decrypted and parsed) columns by their sealed form. A sealed value carries a random
   * nonce, so it stands for one plaintext for ever and an entry is never stale: a changed column is
   * a new sealed value. Reads of the same stacks (describe, list pages) then skip AES-GCM and JSON.
   * Values are immutable (lists copied), kept in memory only.
   */
  private final ConcurrentHashMap<String, Object> opened = new ConcurrentHashMap<>();

  public StackRows(StateCipher cipher) {
    this.cipher = cipher;
  }

  /**
   * The columns of a stack's view, in the order {@link #mapView} reads them: every column of
   * {@link #map} but the template bodies (current and previous), which can be a megabyte each and
   * which describing or listing stacks never shows. On alias {@code s}, first in a select list.
   */
  public static final String VIEW_COLUMNS = "s.stack_id, s.stack_name, s.status, s.status_reason, s.description,"
      + " s.parameters, s.outputs, s.timeout_minutes, s.disable_rollback, s.parent_stack_id, s.account_key,"
      + " s.created_at, s.updated_at, s.operation_started, s.template_version, s.operation_id, s.template_url,"
      + " s.termination_protection, s.scope";
  /** How many columns {@link #VIEW_COLUMNS} has: the next column of a select list is this plus one. */
  public static final int VIEW_COLUMN_COUNT = 19;
  /** Every column {@link #map} reads, in its order: the view's, then the current and previous templates. */
  public static final String COLUMNS = VIEW_COLUMNS
      + ", s.template_body, s.previous_template_body, s.previous_template_version, s.previous_parameters";

  /** The columns of a stack's summary, in the order {@link #mapSummary} reads them; on alias {@code s}, first in a select list. */
  public static final String SUMMARY_COLUMNS = "s.stack_id, s.stack_name, s.status, s.status_reason, s.description,"
      + " s.parent_stack_id, s.created_at, s.updated_at, s.template_version";
  /** How many columns {@link #SUMMARY_COLUMNS} has. */
  public static final int SUMMARY_COLUMN_COUNT = 9;

  /** A stack's summary from a row whose first columns are {@link #SUMMARY_COLUMNS}, read by position. */
  public StackSummary mapSummary(ResultSet rs) throws SQLException {
    return new StackSummary(rs.getString(1), rs.getString(2), StackStatus.valueOf(rs.getString(3)),
        reason(rs.getString(4)), rs.getString(5), rs.getString(6), JdbiStateStore.instant(rs, 7),
        JdbiStateStore.instant(rs, 8), rs.getInt(9));
  }

  /** A whole stack record from a row whose first columns are {@link #COLUMNS}, read by position. */
  @Override
  public StackRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
    return read(rs, true);
  }

  /**
   * A stack's view from a row whose first columns are {@link #VIEW_COLUMNS}, read by position (no
   * look-up by name): its template body and previous template are not read (null).
   */
  public StackRecord mapView(ResultSet rs) throws SQLException {
    return read(rs, false);
  }

  private StackRecord read(ResultSet rs, boolean templates) throws SQLException {
    Object timeout = rs.getObject(8);
    int t = VIEW_COLUMN_COUNT;
    String previousBody = templates ? rs.getString(t + 2) : null;
    TemplateVersion previous = previousBody == null ? null
        : new TemplateVersion(rs.getInt(t + 3), previousBody, parameters(rs.getString(t + 4)));
    return new StackRecord(
        rs.getString(1),
        rs.getString(2),
        StackStatus.valueOf(rs.getString(3)),
        reason(rs.getString(4)),
        rs.getString(5),
        templates ? rs.getString(t + 1) : null,
        parameters(rs.getString(6)),
        opened(rs.getString(7), stored -> List.copyOf(JdbiStateStore.read(cipher.open(stored), OUTPUTS))),
        timeout == null ? null : ((Number) timeout).intValue(),
        rs.getBoolean(9),
        rs.getString(10),
        rs.getString(11),
        JdbiStateStore.instant(rs, 12),
        JdbiStateStore.instant(rs, 13),
        JdbiStateStore.instant(rs, 14),
        rs.getInt(15),
        previous,
        rs.getString(16),
        rs.getString(17),
        rs.getBoolean(18),
        rs.getString(19));
  }

  private String reason(String stored) {
    return opened(stored, v -> JdbiStateStore.openReason(cipher, v));
  }

  private List<StackParameter> parameters(String stored) {
    return opened(stored, v -> List.copyOf(JdbiStateStore.read(cipher.open(v), PARAMS)));
  }

  @SuppressWarnings("unchecked")
  private <T> T opened(String stored, Function<String, T> open) {
    if (stored == null || stored.length() > OPENED_MAX_CHARS) {
      return stored == null ? null : open.apply(stored);
    }
    Object value = opened.get(stored);
    if (value == null) {
      value = open.apply(stored);
      if (opened.size() >= OPENED_LIMIT) {
        opened.clear();
      }
      opened.put(stored, value);
    }
    return (T) value;
  }
}
