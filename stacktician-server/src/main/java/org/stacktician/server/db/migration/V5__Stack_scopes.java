package org.stacktician.server.db.migration;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Puts the stacks an earlier server made into their owners' scopes (the engine's V18 gave every
 * stack the default scope): a root stack's owner is in st_stacks, a nested stack takes its parent's
 * scope (level by level, so in Java rather than SQL), and an export its stack's.
 */
public final class V5__Stack_scopes extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    try (Statement s = context.getConnection().createStatement()) {
      s.executeUpdate("""
          UPDATE sm_stacks SET scope = (SELECT o.user_id FROM st_stacks o WHERE o.stack_id = sm_stacks.stack_id)
          WHERE stack_id IN (SELECT stack_id FROM st_stacks)""");
      String parentScope = "(SELECT p.scope FROM sm_stacks p WHERE p.stack_id = sm_stacks.parent_stack_id)";
      while (s.executeUpdate("UPDATE sm_stacks SET scope = " + parentScope
          + " WHERE parent_stack_id IS NOT NULL AND scope <> " + parentScope) > 0) {
        // one more level of nested stacks
      }
      s.executeUpdate("""
          UPDATE sm_exports SET scope = (SELECT t.scope FROM sm_stacks t WHERE t.stack_id = sm_exports.stack_id)
          WHERE stack_id IN (SELECT stack_id FROM sm_stacks)""");
    }
  }
}
