package org.stacktician.engine.state;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.stack.TemplateVersion;

/**
 * Reads rows of the engine's {@code sm_stacks} (its columns by name, secrets opened with the
 * database's cipher) into stack records: the store's own reads, and queries that join the stacks
 * with other tables in one statement (the server's owners and paging).
 */
public final class StackRows implements RowMapper<StackRecord> {
  private static final TypeReference<List<StackParameter>> PARAMS = new TypeReference<>() {};
  private static final TypeReference<List<StackOutput>> OUTPUTS = new TypeReference<>() {};

  private final StateCipher cipher;

  public StackRows(StateCipher cipher) {
    this.cipher = cipher;
  }

  @Override
  public StackRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
    String previousBody = rs.getString("previous_template_body");
    TemplateVersion previous = previousBody == null ? null : new TemplateVersion(rs.getInt("previous_template_version"),
        previousBody, JdbiStateStore.read(cipher.open(rs.getString("previous_parameters")), PARAMS));
    return new StackRecord(
        rs.getString("stack_id"),
        rs.getString("stack_name"),
        StackStatus.valueOf(rs.getString("status")),
        JdbiStateStore.openReason(cipher, rs.getString("status_reason")),
        rs.getString("description"),
        rs.getString("template_body"),
        JdbiStateStore.read(cipher.open(rs.getString("parameters")), PARAMS),
        JdbiStateStore.read(cipher.open(rs.getString("outputs")), OUTPUTS),
        (Integer) rs.getObject("timeout_minutes"),
        rs.getBoolean("disable_rollback"),
        rs.getString("parent_stack_id"),
        rs.getString("account_key"),
        JdbiStateStore.instant(rs, "created_at"),
        JdbiStateStore.instant(rs, "updated_at"),
        JdbiStateStore.instant(rs, "operation_started"),
        rs.getInt("template_version"),
        previous,
        rs.getString("operation_id"),
        rs.getString("template_url"),
        rs.getBoolean("termination_protection"),
        rs.getString("scope"));
  }
}
