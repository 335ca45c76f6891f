package org.stacktician.server.stacks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.stacktician.engine.drift.DriftStore;
import org.stacktician.engine.state.StackRows;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.templates.Page;
import org.stacktician.server.users.Caller;

/**
 * The server's stacks read in one statement each: the owner's row ({@code st_stacks}) joined with
 * the engine's ({@code sm_stacks}), its account's name, its template's library source and its drift information,
 * scoped to the caller in SQL (an admin: every owner), over
 * indexes. A request never holds one pooled connection while it waits for another, so any number
 * of concurrent requests share the pool without starving it.
 */
final class StackReads {
  /**
   * A stack's view (no template bodies: {@link StackRows#VIEW_COLUMNS}), then its owner's columns
   * from {@link #OWNER} on, read by position; a page's count follows them ({@link #TOTAL}). Besides
   * the two rows a view reads, by primary key through outer joins ({@link #OUTER}): the account's
   * name, the library template version the stack's current template version came from, and the
   * last drift detection's status and start ({@code sm_stack_drift}, at most one row per stack).
   */
  private static final String SELECT = "SELECT " + StackRows.VIEW_COLUMNS + ", o.stack_key, o.user_id,"
      + " o.cloud_account_id, a.account_name, t.template_id, t.template_version, d.stack_drift_status, d.detected_at";
  private static final int OWNER = StackRows.VIEW_COLUMN_COUNT + 1;
  private static final int TOTAL = OWNER + 8;
  private static final String FROM = " FROM st_stacks o JOIN sm_stacks s ON s.stack_id = o.stack_id";
  /** The stack's last drift detection, if any. */
  private static final String DRIFT = " LEFT JOIN sm_stack_drift d ON d.stack_id = s.stack_id";
  private static final String OUTER = " LEFT JOIN st_cloud_accounts a ON a.account_id = o.cloud_account_id"
      + " LEFT JOIN st_stack_templates t ON t.stack_id = o.stack_id AND t.stack_template_version = s.template_version"
      + DRIFT;
  /**
   * A view's tables, the owner's row first. H2 keeps the written order of tables in a query with
   * outer joins, so this order serves reads chosen by the owner's columns: a page in its index
   * order, a key. (Scalar subqueries instead of the outer joins cost a page five look-ups a row.)
   */
  private static final String FROM_OWNER = FROM + OUTER;
  /** A view's tables, the engine's row first: for reads chosen by its columns (a live name), which would otherwise walk every stack of the owner. */
  private static final String FROM_STACK = " FROM sm_stacks s JOIN st_stacks o ON o.stack_id = s.stack_id" + OUTER;
  /** List order: newest first, then by key. */
  static final String ORDER = " ORDER BY o.created_at DESC, o.stack_key";

  private final Jdbi jdbi;
  private final StackRows rows;
  private final RowMapper<ServerStack> stacks;

  StackReads(ServerDatabase db) {
    this.jdbi = db.jdbi();
    this.rows = new StackRows(db.cipher());
    this.stacks = (rs, ctx) -> new ServerStack(rs.getString(OWNER), rs.getString(OWNER + 1), rs.getString(OWNER + 2),
        rs.getString(OWNER + 3), library(rs), DriftStore.information(rs, OWNER + 6, OWNER + 7),
        rows.mapView(rs));
  }

  /**
   * One page of the caller's stacks (an admin's: all), newest first, of the given statuses (none:
   * any), with the number of matches, in one statement: the page is read in index order (its rows
   * only), the count by a subquery (an index-only count of the owner's rows when no status is asked).
   */
  Page<ServerStack> page(Caller caller, List<StackStatus> statuses, int offset, int limit) {
    List<String> names = statuses.isEmpty() ? List.of("") : statuses.stream().map(StackStatus::name).toList();
    String count = "SELECT COUNT(*) FROM st_stacks c" + (statuses.isEmpty() ? ""
        : " JOIN sm_stacks cs ON cs.stack_id = c.stack_id") + where(caller, statuses, "c", "cs");
    return jdbi.withHandle(h -> {
      long[] total = {0};
      List<ServerStack> items = bind(h.createQuery(SELECT + ", (" + count + ") AS total_matches" + FROM_OWNER
              + where(caller, statuses, "o", "s") + ORDER + " LIMIT :limit OFFSET :offset"), caller)
          .bindList("statuses", names).bind("limit", limit).bind("offset", offset)
          .map((rs, ctx) -> {
            total[0] = rs.getLong(TOTAL);
            return stacks.map(rs, ctx);
          }).list();
      if (items.isEmpty() && offset > 0) {
        // Past the last page: no row carries the count.
        total[0] = bind(h.createQuery(count), caller).bindList("statuses", names).mapTo(Long.class).one();
      }
      return Page.of(items, total[0], offset, limit);
    });
  }

  /**
   * Up to {@code limit} summaries of the caller's stacks (an admin's: all) from {@code offset} in list
   * order, of the given statuses (none: any): the summary's columns and the last drift detection (an
   * outer join, by primary key, after the page's own rows in their index order), nothing counted.
   */
  List<ListedStack> summaries(Caller caller, List<StackStatus> statuses, int offset, int limit) {
    List<String> names = statuses.isEmpty() ? List.of("") : statuses.stream().map(StackStatus::name).toList();
    int drift = StackRows.SUMMARY_COLUMN_COUNT + 1;
    return jdbi.withHandle(h -> bind(h.createQuery("SELECT " + StackRows.SUMMARY_COLUMNS
            + ", d.stack_drift_status, d.detected_at" + FROM + DRIFT
            + where(caller, statuses, "o", "s") + ORDER + " LIMIT :limit OFFSET :offset"), caller)
        .bindList("statuses", names).bind("limit", limit).bind("offset", offset)
        .map((rs, ctx) -> new ListedStack(rows.mapSummary(rs), DriftStore.information(rs, drift, drift + 1)))
        .list());
  }

  /** The caller's owner condition and the status filter, on the given aliases of st_stacks and sm_stacks. */
  private static String where(Caller caller, List<StackStatus> statuses, String owner, String stack) {
    List<String> where = new ArrayList<>();
    if (!caller.admin()) {
      where.add(owner + ".user_id = :user");
    }
    if (!statuses.isEmpty()) {
      where.add(stack + ".status IN (<statuses>)");
    }
    return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
  }

  /** The caller's stack of that key (its REST id). */
  Optional<ServerStack> byKey(Caller caller, String key) {
    return first(caller, FROM_OWNER, "o.stack_key = :key", "", q -> q.bind("key", key));
  }

  /** The caller's root stack of that live name (not deleted) in the engine scope. */
  Optional<ServerStack> byName(Caller caller, String scope, String name) {
    return first(caller, FROM_STACK, "s.scope = :scope AND s.live_name = :name", "",
        q -> q.bind("scope", scope).bind("name", name));
  }

  /** The first in list order of the stacks the caller sees whose live name (not deleted) is {@code name}, any scope. */
  Optional<ServerStack> byNameInAnyScope(Caller caller, String name) {
    return first(caller, FROM_STACK, "s.live_name = :name", ORDER, q -> q.bind("name", name));
  }

  /**
   * The caller's stacks that are not deleted and have a resource row of that physical id, in list
   * order (the caller checks which rows are current).
   */
  List<ServerStack> holdingPhysicalId(Caller caller, String physicalId) {
    return list(caller, "s.status <> 'DELETE_COMPLETE' AND EXISTS (SELECT 1 FROM sm_stack_resources r"
        + " WHERE r.stack_id = s.stack_id AND r.physical_id = :physical)", q -> q.bind("physical", physicalId));
  }

  /** The caller's stacks whose last drift detection has that id (at most one in practice). */
  List<ServerStack> withDriftDetection(Caller caller, String detectionId) {
    return list(caller, "s.status <> 'DELETE_COMPLETE' AND EXISTS (SELECT 1 FROM sm_stack_drift d"
        + " WHERE d.stack_id = s.stack_id AND d.detection_id = :detection)", q -> q.bind("detection", detectionId));
  }

  /** The caller's stacks that are not deleted and have a change set of that id or name, in list order. */
  List<ServerStack> withChangeSet(Caller caller, String idOrName) {
    return list(caller, "s.status <> 'DELETE_COMPLETE' AND EXISTS (SELECT 1 FROM sm_change_sets c"
        + " WHERE c.stack_id = s.stack_id AND (c.change_set_id = :cs OR c.change_set_name = :cs))",
        q -> q.bind("cs", idOrName));
  }

  /** The caller's stacks that export something, in list order. */
  List<ServerStack> exporting(Caller caller) {
    return list(caller, "EXISTS (SELECT 1 FROM sm_exports e WHERE e.stack_id = s.stack_id)", q -> q);
  }

  /** The names of the caller's live stacks in {@code scope} that import {@code exportName}, sorted. */
  List<String> importerNames(Caller caller, String scope, String exportName) {
    List<String> where = new ArrayList<>(scope(caller));
    where.add("s.scope = :scope AND s.live_name IS NOT NULL AND EXISTS (SELECT 1 FROM sm_imports i"
        + " WHERE i.stack_id = s.stack_id AND i.export_name = :export)");
    return jdbi.withHandle(h -> bind(h.createQuery("SELECT s.stack_name" + FROM + " WHERE "
            + String.join(" AND ", where) + " ORDER BY s.stack_name"), caller)
        .bind("scope", scope).bind("export", exportName).mapTo(String.class).list());
  }

  /** True when a cloud account still has stacks that are not deleted. */
  boolean accountInUse(String cloudAccountId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*)" + FROM
            + " WHERE o.cloud_account_id = :account AND s.status <> 'DELETE_COMPLETE'")
        .bind("account", cloudAccountId).mapTo(Long.class).one()) > 0;
  }

  private Optional<ServerStack> first(Caller caller, String from, String condition, String order,
      java.util.function.UnaryOperator<Query> binds) {
    List<String> where = new ArrayList<>(scope(caller));
    where.add(condition);
    return jdbi.withHandle(h -> binds.apply(bind(h.createQuery(SELECT + from + " WHERE " + String.join(" AND ", where)
        + order + (order.isEmpty() ? "" : " LIMIT 1")), caller)).map(stacks).findFirst());
  }

  private List<ServerStack> list(Caller caller, String condition, java.util.function.UnaryOperator<Query> binds) {
    List<String> where = new ArrayList<>(scope(caller));
    where.add(condition);
    return jdbi.withHandle(h -> binds.apply(bind(h.createQuery(SELECT + FROM_OWNER + " WHERE "
        + String.join(" AND ", where) + ORDER), caller)).map(stacks).list());
  }

  /** The owner condition: the caller's own stacks, or none for an admin. */
  private static List<String> scope(Caller caller) {
    return caller.admin() ? List.of() : List.of("o.user_id = :user");
  }

  private static Query bind(Query q, Caller caller) {
    return q.bind("user", caller.id());
  }

  private static LibraryVersion library(ResultSet rs) throws SQLException {
    String id = rs.getString(OWNER + 4);
    return id == null ? null : new LibraryVersion(id, rs.getInt(OWNER + 5));
  }
}
