package org.stacktician.engine.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.stack.TemplateVersion;

/**
 * The {@link StateStore} on a relational database (H2 or PostgreSQL) through JDBI. Columns that may
 * hold secrets (parameters, outputs, resolved properties, attributes, metadata, callback contexts,
 * event properties, export values, signals, the signing key) are stored encrypted by the database's
 * {@link StateCipher}.
 */
public final class JdbiStateStore implements StateStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, JsonNode>> ATTRIBUTES = new TypeReference<>() {};

  private static final String INSERT_RESOURCE = """
      INSERT INTO sm_stack_resources (resource_id, stack_id, logical_id, template_version, replaces, position,
        resource_type, physical_id, status, status_reason, depends_on, properties, attributes, metadata,
        callback_context, deletion_policy, description, operation_started, next_call_at, updated_at,
        previous_properties, update_replace_policy)
      VALUES (:resourceId, :stackId, :logicalId, :version, :replaces, :position, :type, :physicalId, :status,
        :reason, :dependsOn, :properties, :attributes, :metadata, :context, :deletionPolicy, :description,
        :started, :nextCall, :updated, :previousProperties, :updateReplacePolicy)""";

  private final Jdbi jdbi;
  private final StateCipher cipher;
  private final StackRows stackRows;
  private volatile byte[] signingKey;

  public JdbiStateStore(EngineDatabase database) {
    this.jdbi = Jdbi.create(database.dataSource());
    this.cipher = database.cipher();
    this.stackRows = new StackRows(cipher);
  }

  @Override
  public void createStack(StackRecord stack, Collection<ResourceRecord> resources, StackEvent firstEvent) {
    try {
      jdbi.useTransaction(h -> {
        boolean taken = h.createQuery("SELECT COUNT(*) FROM sm_stacks WHERE scope = :scope AND live_name = :n")
            .bind("scope", stack.scope()).bind("n", stack.stackName()).mapTo(Integer.class).one() > 0;
        if (taken) {
          throw new StackAlreadyExistsException(stack.stackName());
        }
        h.createUpdate("""
            INSERT INTO sm_stacks (stack_id, stack_name, live_name, status, status_reason, description, template_body,
              parameters, outputs, timeout_minutes, disable_rollback, parent_stack_id, account_key, created_at,
              updated_at, operation_started, template_version, previous_template_version, previous_template_body,
              previous_parameters, operation_id, template_url, termination_protection, scope)
            VALUES (:id, :name, :name, :status, :reason, :description, :body, :parameters, :outputs, :timeout,
              :disableRollback, :parent, :account, :created, :updated, :started, :version, :previousVersion,
              :previousBody, :previousParameters, :operation, :templateUrl, :protection, :scope)""")
            .bind("templateUrl", stack.templateUrl())
            .bind("protection", stack.terminationProtection())
            .bind("scope", stack.scope())
            .bind("id", stack.stackId())
            .bind("name", stack.stackName())
            .bind("status", stack.status().name())
            .bind("reason", sealReason(stack.statusReason()))
            .bind("description", stack.description())
            .bind("body", stack.templateBody())
            .bind("parameters", cipher.seal(write(stack.parameters())))
            .bind("outputs", cipher.seal(write(stack.outputs())))
            .bind("timeout", stack.timeoutMinutes())
            .bind("disableRollback", stack.disableRollback())
            .bind("parent", stack.parentStackId())
            .bind("account", stack.accountKey())
            .bind("created", odt(stack.createdAt()))
            .bind("updated", odt(stack.updatedAt()))
            .bind("started", odt(stack.operationStarted()))
            .bind("version", stack.templateVersion())
            .bind("previousVersion", stack.previous() == null ? null : stack.previous().number())
            .bind("previousBody", stack.previous() == null ? null : stack.previous().templateBody())
            .bind("previousParameters", stack.previous() == null ? null
                : cipher.seal(write(stack.previous().parameters())))
            .bind("operation", stack.operationId())
            .execute();
        PreparedBatch batch = h.prepareBatch(INSERT_RESOURCE);
        int position = 0;
        for (ResourceRecord r : resources) {
          bindResource(batch, r).bind("position", position++).add();
        }
        if (position > 0) {
          batch.execute();
        }
        insertEvents(h, List.of(firstEvent));
      });
    } catch (org.jdbi.v3.core.JdbiException e) {
      throw wrap("create stack " + stack.stackName(), e);
    }
  }

  @Override
  public Optional<StackRecord> findStack(String nameOrId) {
    return find(null, nameOrId);
  }

  @Override
  public Optional<StackRecord> findStack(String scope, String nameOrId) {
    return find(java.util.Objects.requireNonNull(scope, "scope"), nameOrId);
  }

  /** By id (in the scope; any when null), or by live name in the scope (the default one when null). */
  private Optional<StackRecord> find(String scope, String nameOrId) {
    // Two indexed look-ups: "stack_id = :v OR live_name = :v" made H2 scan the whole table, for
    // every step of every stack. Names cannot look like ids (ids contain ':' and '/').
    return jdbi.withHandle(h -> h.createQuery("SELECT " + StackRows.COLUMNS + " FROM sm_stacks s WHERE stack_id = :v")
        .bind("v", nameOrId)
        .map(stackRows)
        .findFirst()
        .filter(s -> scope == null || s.scope().equals(scope))
        .or(() -> h.createQuery("SELECT " + StackRows.COLUMNS + " FROM sm_stacks s WHERE scope = :scope AND live_name = :v")
            .bind("scope", scope == null ? StackRecord.DEFAULT_SCOPE : scope)
            .bind("v", nameOrId)
            .map(stackRows)
            .findFirst()));
  }

  @Override
  public void setTerminationProtection(String stackId, boolean enabled) {
    try {
      jdbi.useHandle(h -> h.createUpdate("UPDATE sm_stacks SET termination_protection = :p WHERE stack_id = :id")
          .bind("p", enabled).bind("id", stackId).execute());
    } catch (org.jdbi.v3.core.JdbiException e) {
      throw wrap("update the termination protection of stack " + stackId, e);
    }
  }

  @Override
  public List<StackRecord> listStacks() {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + StackRows.COLUMNS + " FROM sm_stacks s ORDER BY created_at DESC, stack_name")
        .map(stackRows).list());
  }

  @Override
  public List<StackRecord> childStacks(String parentStackId) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT " + StackRows.COLUMNS + " FROM sm_stacks s WHERE parent_stack_id = :p ORDER BY created_at")
        .bind("p", parentStackId).map(stackRows).list());
  }

  @Override
  public List<ResourceRecord> resources(String stackId) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM sm_stack_resources WHERE stack_id = :s ORDER BY position")
        .bind("s", stackId).map((rs, ctx) -> resource(rs)).list());
  }

  @Override
  public void commit(Changes changes) {
    if (changes.isEmpty()) {
      return;
    }
    try {
      jdbi.useTransaction(h -> {
        Integer storedVersion = null;
        if (changes.guard() != null || changes.stack() != null) {
          String stackId = changes.guard() != null ? changes.guard().stackId() : changes.stack().stackId();
          // Locks the stack's row until the commit: no other operation can start in between.
          var stored = h.createQuery(
                  "SELECT operation_id, template_version FROM sm_stacks WHERE stack_id = :id FOR UPDATE")
              .bind("id", stackId)
              .map((rs, ctx) -> new Object[] {rs.getString("operation_id"), rs.getInt("template_version")})
              .findFirst();
          if (changes.guard() != null) {
            String actual = stored.map(o -> (String) o[0]).orElse(null);
            if (stored.isEmpty() || !java.util.Objects.equals(actual, changes.guard().operationId())) {
              throw new StaleOperationException(stackId, changes.guard().operationId(), actual);
            }
          }
          storedVersion = stored.map(o -> (Integer) o[1]).orElse(null);
        }
        if (changes.stack() != null) {
          StackRecord s = changes.stack();
          h.createUpdate("""
              UPDATE sm_stacks SET status = :status, status_reason = :reason, outputs = :outputs,
                live_name = :liveName, updated_at = :updated, operation_started = :started,
                operation_id = :operation
              WHERE stack_id = :id""")
              .bind("status", s.status().name())
              .bind("reason", sealReason(s.statusReason()))
              .bind("outputs", cipher.seal(write(s.outputs())))
              .bind("liveName", s.status() == StackStatus.DELETE_COMPLETE ? null : s.stackName())
              .bind("updated", odt(s.updatedAt()))
              .bind("started", odt(s.operationStarted()))
              .bind("operation", s.operationId())
              .bind("id", s.stackId())
              .execute();
          if (storedVersion != null && storedVersion != s.templateVersion()) {
            // A new (or restored) template version: written only when it changes, not every step.
            h.createUpdate("""
                UPDATE sm_stacks SET template_version = :version, template_body = :body, parameters = :parameters,
                  description = :description, previous_template_version = :previousVersion,
                  previous_template_body = :previousBody, previous_parameters = :previousParameters,
                  disable_rollback = :disableRollback
                WHERE stack_id = :id""")
                .bind("version", s.templateVersion())
                .bind("disableRollback", s.disableRollback())
                .bind("body", s.templateBody())
                .bind("parameters", cipher.seal(write(s.parameters())))
                .bind("description", s.description())
                .bind("previousVersion", s.previous() == null ? null : s.previous().number())
                .bind("previousBody", s.previous() == null ? null : s.previous().templateBody())
                .bind("previousParameters", s.previous() == null ? null : cipher.seal(write(s.previous().parameters())))
                .bind("id", s.stackId())
                .execute();
          }
        }
        if (!changes.resources().isEmpty()) {
          PreparedBatch batch = h.prepareBatch("""
              UPDATE sm_stack_resources SET physical_id = :physicalId, status = :status, status_reason = :reason,
                properties = :properties, attributes = :attributes, metadata = :metadata,
                callback_context = :context, operation_started = :started, next_call_at = :nextCall,
                updated_at = :updated, resource_type = :type, depends_on = :dependsOn,
                deletion_policy = :deletionPolicy, description = :description, template_version = :version,
                replaces = :replaces, previous_properties = :previousProperties,
                update_replace_policy = :updateReplacePolicy
              WHERE resource_id = :resourceId""");
          for (ResourceRecord r : changes.resources()) {
            bindResource(batch, r).add();
          }
          int[] updated = batch.execute();
          insertNewRows(h, changes.resources(), updated);
        }
        if (changes.removeExportsOfStack() != null) {
          h.createUpdate("DELETE FROM sm_exports WHERE stack_id = :s").bind("s", changes.removeExportsOfStack()).execute();
          h.createUpdate("DELETE FROM sm_imports WHERE stack_id = :s").bind("s", changes.removeExportsOfStack()).execute();
          // The stack is gone: its signals go in the same transaction, so none outlives it.
          h.createUpdate("DELETE FROM sm_signals WHERE stack_id = :s").bind("s", changes.removeExportsOfStack()).execute();
        }
        if (changes.replaceExports()) {
          h.createUpdate("DELETE FROM sm_exports WHERE stack_id = :s").bind("s", changes.stack().stackId()).execute();
        }
        for (ExportRecord e : changes.exportsToAdd()) {
          String scope = h.createQuery("SELECT scope FROM sm_stacks WHERE stack_id = :s")
              .bind("s", e.stackId()).mapTo(String.class).one();
          Optional<String> other = h.createQuery(
                  "SELECT stack_name FROM sm_exports WHERE scope = :scope AND export_name = :n")
              .bind("scope", scope).bind("n", e.exportName()).mapTo(String.class).findFirst();
          if (other.isPresent()) {
            throw new ExportConflictException(e.exportName(), other.get());
          }
          h.createUpdate("""
              INSERT INTO sm_exports (scope, export_name, export_value, stack_id, stack_name)
              VALUES (:scope, :n, :v, :s, :sn)""")
              .bind("scope", scope).bind("n", e.exportName()).bind("v", cipher.seal(e.value())).bind("s", e.stackId())
              .bind("sn", e.stackName())
              .execute();
        }
        insertEvents(h, changes.events());
      });
    } catch (org.jdbi.v3.core.JdbiException e) {
      throw wrap("save stack changes", e);
    }
  }

  @Override
  public List<StackEvent> events(String stackId, long afterSequence) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM sm_stack_events WHERE stack_id = :s AND seq > :after ORDER BY seq")
        .bind("s", stackId).bind("after", afterSequence)
        .map((rs, ctx) -> new StackEvent(rs.getLong("seq"), rs.getString("event_id"), rs.getString("stack_id"),
            rs.getString("stack_name"), rs.getString("logical_id"), rs.getString("physical_id"),
            rs.getString("resource_type"), instant(rs, "event_time"), rs.getString("status"),
            openReason(rs.getString("status_reason")), cipher.open(rs.getString("properties"))))
        .list());
  }

  @Override
  public Optional<ExportRecord> findExport(String scope, String exportName) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sm_exports WHERE scope = :scope AND export_name = :n")
        .bind("scope", scope).bind("n", exportName).map((rs, ctx) -> export(rs)).findFirst());
  }

  @Override
  public List<ExportRecord> listExports(String scope) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sm_exports WHERE scope = :scope ORDER BY export_name")
        .bind("scope", scope).map((rs, ctx) -> export(rs)).list());
  }

  @Override
  public void recordImports(String stackId, Set<String> exportNames) {
    jdbi.useTransaction(h -> {
      for (String name : exportNames) {
        boolean known = h.createQuery("SELECT COUNT(*) FROM sm_imports WHERE stack_id = :s AND export_name = :n")
            .bind("s", stackId).bind("n", name).mapTo(Integer.class).one() > 0;
        if (!known) {
          h.createUpdate("INSERT INTO sm_imports (stack_id, export_name) VALUES (:s, :n)")
              .bind("s", stackId).bind("n", name).execute();
        }
      }
    });
  }

  @Override
  public List<String> importingStackNames(String scope, String exportName) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT s.stack_name FROM sm_imports i JOIN sm_stacks s ON s.stack_id = i.stack_id
            WHERE i.export_name = :n AND s.scope = :scope AND s.live_name IS NOT NULL ORDER BY s.stack_name""")
        .bind("scope", scope).bind("n", exportName).mapTo(String.class).list());
  }

  @Override
  public Set<String> imports(String stackId) {
    return new LinkedHashSet<>(jdbi.withHandle(h -> h.createQuery(
            "SELECT export_name FROM sm_imports WHERE stack_id = :s ORDER BY export_name")
        .bind("s", stackId).mapTo(String.class).list()));
  }

  @Override
  public Optional<String> storedTemplate(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT body FROM sm_templates WHERE template_name = :n")
        .bind("n", name).mapTo(String.class).findFirst());
  }

  @Override
  public void storeTemplate(String name, String body) {
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM sm_templates WHERE template_name = :n").bind("n", name).execute();
      h.createUpdate("INSERT INTO sm_templates (template_name, body, stored_at) VALUES (:n, :b, :t)")
          .bind("n", name).bind("b", body).bind("t", odt(Instant.now())).execute();
    });
  }

  @Override
  public SignalOutcome recordSignal(String stackId, String handleId, String uniqueId, String bodyJson, int limit) {
    return jdbi.inTransaction(h -> {
      // Holds the stack's row: the final delete updates it in the transaction that drops the signals.
      Optional<String> status = h.createQuery("SELECT status FROM sm_stacks WHERE stack_id = :s FOR UPDATE")
          .bind("s", stackId).mapTo(String.class).findFirst();
      if (status.isPresent() && status.get().equals(StackStatus.DELETE_COMPLETE.name())) {
        return SignalOutcome.STACK_DELETED;
      }
      int replaced = h.createUpdate("DELETE FROM sm_signals WHERE stack_id = :s AND handle_id = :h AND unique_id = :u")
          .bind("s", stackId).bind("h", handleId).bind("u", uniqueId).execute();
      if (replaced == 0 && h.createQuery("SELECT COUNT(*) FROM sm_signals WHERE stack_id = :s AND handle_id = :h")
          .bind("s", stackId).bind("h", handleId).mapTo(Long.class).one() >= limit) {
        return SignalOutcome.HANDLE_FULL;
      }
      h.createUpdate("""
          INSERT INTO sm_signals (stack_id, handle_id, unique_id, body, received_at) VALUES (:s, :h, :u, :b, :t)""")
          .bind("s", stackId).bind("h", handleId).bind("u", uniqueId).bind("b", cipher.seal(bodyJson))
          .bind("t", odt(Instant.now())).execute();
      return SignalOutcome.RECORDED;
    });
  }

  @Override
  public List<SignalRecord> signals(String stackId, String handleId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT unique_id, body, received_at FROM sm_signals WHERE stack_id = :s AND handle_id = :h
            ORDER BY received_at, unique_id""")
        .bind("s", stackId).bind("h", handleId)
        .map((rs, ctx) -> new SignalRecord(rs.getString("unique_id"), cipher.open(rs.getString("body")), instant(rs, "received_at")))
        .list());
  }

  @Override
  public void deleteSignals(String stackId) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM sm_signals WHERE stack_id = :s").bind("s", stackId).execute());
  }

  @Override
  public byte[] signingKey() {
    byte[] key = signingKey;
    if (key != null) {
      return key.clone();
    }
    synchronized (this) {
      if (signingKey == null) {
        signingKey = jdbi.inTransaction(h -> {
          Optional<String> stored = h.createQuery(
                  "SELECT setting_value FROM sm_settings WHERE setting_name = 'signing-key'")
              .mapTo(String.class).findFirst();
          if (stored.isPresent()) {
            return Base64.getDecoder().decode(cipher.open(stored.get()));
          }
          byte[] fresh = new byte[32];
          new SecureRandom().nextBytes(fresh);
          h.createUpdate("INSERT INTO sm_settings (setting_name, setting_value) VALUES ('signing-key', :v)")
              .bind("v", cipher.seal(Base64.getEncoder().encodeToString(fresh))).execute();
          return fresh;
        });
      }
      return signingKey.clone();
    }
  }

  private void insertEvents(Handle h, List<StackEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch("""
        INSERT INTO sm_stack_events (event_id, stack_id, stack_name, logical_id, physical_id, resource_type,
          event_time, status, status_reason, properties)
        VALUES (:eventId, :stackId, :stackName, :logicalId, :physicalId, :type, :time, :status, :reason, :properties)""");
    for (StackEvent e : events) {
      batch.bind("eventId", e.eventId())
          .bind("stackId", e.stackId())
          .bind("stackName", e.stackName())
          .bind("logicalId", e.logicalId())
          .bind("physicalId", e.physicalId())
          .bind("type", e.resourceType())
          .bind("time", odt(e.timestamp()))
          .bind("status", e.status())
          .bind("reason", sealReason(e.statusReason()))
          .bind("properties", cipher.seal(e.properties()))
          .add();
    }
    batch.execute();
  }

  /**
   * Inserts the rows an update found missing (an operation's new rows, e.g. an update's added or
   * replacing resources), after the stack's existing rows in template order.
   */
  private void insertNewRows(Handle h, List<ResourceRecord> rows, int[] updated) {
    List<ResourceRecord> missing = new java.util.ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (updated[i] == 0) {
        missing.add(rows.get(i));
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    int position = h.createQuery("SELECT COALESCE(MAX(position), -1) FROM sm_stack_resources WHERE stack_id = :s")
        .bind("s", missing.get(0).stackId()).mapTo(Integer.class).one();
    PreparedBatch insert = h.prepareBatch(INSERT_RESOURCE);
    for (ResourceRecord r : missing) {
      bindResource(insert, r).bind("position", ++position).add();
    }
    insert.execute();
  }

  private PreparedBatch bindResource(PreparedBatch batch, ResourceRecord r) {
    return batch.bind("resourceId", r.resourceId())
        .bind("version", r.templateVersion())
        .bind("replaces", r.replaces())
        .bind("stackId", r.stackId())
        .bind("logicalId", r.logicalId())
        .bind("type", r.type())
        .bind("physicalId", r.physicalId())
        .bind("status", r.status() == null ? null : r.status().name())
        .bind("reason", sealReason(r.statusReason()))
        .bind("dependsOn", write(r.dependsOn()))
        .bind("properties", r.properties() == null ? null : cipher.seal(write(r.properties())))
        .bind("attributes", cipher.seal(write(r.attributes())))
        .bind("metadata", r.metadata() == null || r.metadata().isNull() ? null : cipher.seal(write(r.metadata())))
        .bind("context", r.callbackContext() == null ? null : cipher.seal(write(r.callbackContext())))
        .bind("deletionPolicy", r.deletionPolicy())
        .bind("description", r.description())
        .bind("started", odt(r.operationStarted()))
        .bind("nextCall", odt(r.nextCallAt()))
        .bind("updated", odt(r.updatedAt()))
        .bind("previousProperties", r.previousProperties() == null ? null : cipher.seal(write(r.previousProperties())))
        .bind("updateReplacePolicy", r.updateReplacePolicy());
  }

  private ResourceRecord resource(ResultSet rs) throws SQLException {
    String status = rs.getString("status");
    String properties = cipher.open(rs.getString("properties"));
    String metadata = cipher.open(rs.getString("metadata"));
    String context = cipher.open(rs.getString("callback_context"));
    String previous = cipher.open(rs.getString("previous_properties"));
    return new ResourceRecord(
        rs.getString("resource_id"),
        rs.getString("stack_id"),
        rs.getString("logical_id"),
        rs.getString("resource_type"),
        rs.getString("physical_id"),
        status == null ? null : ResourceStatus.valueOf(status),
        openReason(rs.getString("status_reason")),
        read(rs.getString("depends_on"), STRINGS),
        properties == null ? null : (ObjectNode) tree(properties),
        new LinkedHashMap<>(read(cipher.open(rs.getString("attributes")), ATTRIBUTES)),
        metadata == null ? null : tree(metadata),
        context == null ? null : (ObjectNode) tree(context),
        rs.getString("deletion_policy"),
        rs.getString("description"),
        instant(rs, "operation_started"),
        instant(rs, "next_call_at"),
        instant(rs, "updated_at"),
        rs.getInt("template_version"),
        rs.getString("replaces"),
        previous == null ? null : (ObjectNode) tree(previous),
        rs.getString("update_replace_policy"));
  }

  private ExportRecord export(ResultSet rs) throws SQLException {
    return new ExportRecord(rs.getString("export_name"), cipher.open(rs.getString("export_value")), rs.getString("stack_id"),
        rs.getString("stack_name"));
  }

  private static OffsetDateTime odt(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return instant(rs, rs.findColumn(column));
  }

  /**
   * A timestamp column by position. H2 reads it as an {@link Instant} at once; PostgreSQL's driver
   * has no such conversion, so there it goes through an {@link OffsetDateTime} (five objects a value
   * instead of one, which a page of stacks reads hundreds of).
   */
  public static Instant instant(ResultSet rs, int column) throws SQLException {
    if (rs.isWrapperFor(org.h2.jdbc.JdbcResultSet.class)) {
      return rs.getObject(column, Instant.class);
    }
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new StateStoreException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  static <T> T read(String text, TypeReference<T> type) {
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new StateStoreException("corrupt JSON in the state database: " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StateStoreException("corrupt JSON in the state database: " + e.getOriginalMessage(), e);
    }
  }

  private static RuntimeException wrap(String what, org.jdbi.v3.core.JdbiException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException re && (re instanceof StackAlreadyExistsException
        || re instanceof ExportConflictException || re instanceof StaleOperationException)) {
      return re;
    }
    return new StateStoreException("cannot " + what + ": " + e.getMessage(), e);
  }

  /**
   * Status reasons are encrypted at rest: many come from outside (signals, cloud error texts,
   * custom-resource answers) and may quote what a guest or service was given.
   */
  private String sealReason(String reason) {
    return reason == null ? null : cipher.seal(reason);
  }

  /** A stored reason; one written before reasons were encrypted is read as it is. */
  private String openReason(String stored) {
    return openReason(cipher, stored);
  }

  static String openReason(StateCipher cipher, String stored) {
    return stored == null || !StateCipher.isSealed(stored) ? stored : cipher.open(stored);
  }
}
