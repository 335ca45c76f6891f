package org.stacktician.engine.change;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.StateCipher;
import org.stacktician.engine.state.StateStoreException;

/**
 * Stored change sets in the engine's database (table {@code sm_change_sets}); parameter values are
 * encrypted with the database's {@link StateCipher}, as a stack's are.
 */
public final class ChangeSetStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<StackParameter>> PARAMS = new TypeReference<>() {};

  private final Jdbi jdbi;
  private final StateCipher cipher;

  public ChangeSetStore(EngineDatabase database) {
    this.jdbi = Jdbi.create(database.dataSource());
    this.cipher = database.cipher();
  }

  /**
   * Stores a new change set.
   *
   * @throws StackOperationException when its stack already has a change set of that name
   */
  public void insert(ChangeSetRecord cs) {
    String parameters;
    String changes;
    try {
      parameters = JSON.writeValueAsString(cs.changeSet().parameters());
      changes = JSON.writeValueAsString(ChangeSetJson.changes(cs.changeSet()));
    } catch (JsonProcessingException e) {
      throw new StateStoreException("cannot serialise change set " + cs.changeSetName() + ": " + e.getMessage(), e);
    }
    try {
      jdbi.useTransaction(h -> {
        boolean taken = h.createQuery(
                "SELECT COUNT(*) FROM sm_change_sets WHERE stack_id = :s AND change_set_name = :n")
            .bind("s", cs.stackId()).bind("n", cs.changeSetName()).mapTo(Integer.class).one() > 0;
        if (taken) {
          throw new StackOperationException("ChangeSet [" + cs.changeSetName() + "] already exists and cannot be created"
              + " again; delete it first (delete-change-set) or choose another name");
        }
        h.createUpdate("""
            INSERT INTO sm_change_sets (change_set_id, change_set_name, stack_id, stack_name, description, status,
              status_reason, execution_status, template_body, template_url, parameters, changes, outputs_change,
              stack_operation_id, created_at)
            VALUES (:id, :name, :stackId, :stackName, :description, :status, :reason, :execution, :body, :url,
              :parameters, :changes, :outputsChange, :operation, :created)""")
            .bind("id", cs.changeSetId())
            .bind("name", cs.changeSetName())
            .bind("stackId", cs.stackId())
            .bind("stackName", cs.stackName())
            .bind("description", cs.description())
            .bind("status", cs.status().name())
            .bind("reason", cs.statusReason())
            .bind("execution", cs.executionStatus().name())
            .bind("body", cs.changeSet().templateBody())
            .bind("url", cs.templateUrl())
            .bind("parameters", cipher.seal(parameters))
            .bind("changes", changes)
            .bind("outputsChange", cs.changeSet().outputsChange())
            .bind("operation", cs.stackOperationId())
            .bind("created", cs.createdAt().atOffset(ZoneOffset.UTC))
            .execute();
      });
    } catch (JdbiException e) {
      throw wrap("store change set " + cs.changeSetName(), e);
    }
  }

  /** A change set of a stack by its name or its id. */
  public Optional<ChangeSetRecord> find(String stackId, String nameOrId) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM sm_change_sets WHERE stack_id = :s AND (change_set_name = :n OR change_set_id = :n)")
        .bind("s", stackId).bind("n", nameOrId).map((rs, ctx) -> record(rs)).findFirst());
  }

  /** The change sets of a stack, oldest first. */
  public List<ChangeSetRecord> list(String stackId) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM sm_change_sets WHERE stack_id = :s ORDER BY created_at, change_set_name")
        .bind("s", stackId).map((rs, ctx) -> record(rs)).list());
  }

  /**
   * Records a change set's execution status if it is {@code from} now; false, changing nothing, when it is not
   * (another process changed it first).
   */
  public boolean setExecutionStatus(String changeSetId, ExecutionStatus from, ExecutionStatus to) {
    try {
      return jdbi.withHandle(h -> h.createUpdate("UPDATE sm_change_sets SET execution_status = :to"
              + " WHERE change_set_id = :id AND execution_status = :from")
          .bind("to", to.name()).bind("from", from.name()).bind("id", changeSetId).execute()) == 1;
    } catch (JdbiException e) {
      throw wrap("update change set " + changeSetId, e);
    }
  }

  /** Deletes a change set. */
  public void delete(String changeSetId) {
    try {
      jdbi.useHandle(h -> h.createUpdate("DELETE FROM sm_change_sets WHERE change_set_id = :id")
          .bind("id", changeSetId).execute());
    } catch (JdbiException e) {
      throw wrap("delete change set " + changeSetId, e);
    }
  }

  private ChangeSetRecord record(ResultSet rs) throws SQLException {
    List<StackParameter> parameters;
    ChangeSet changeSet;
    try {
      parameters = JSON.readValue(cipher.open(rs.getString("parameters")), PARAMS);
      changeSet = new ChangeSet(ChangeSetJson.readChanges(JSON.readTree(rs.getString("changes"))),
          rs.getString("template_body"), parameters, rs.getBoolean("outputs_change"));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new StateStoreException("corrupt change set " + rs.getString("change_set_name") + " in the state"
          + " database: " + e.getMessage(), e);
    }
    return new ChangeSetRecord(rs.getString("change_set_id"), rs.getString("change_set_name"),
        rs.getString("stack_id"), rs.getString("stack_name"), rs.getString("description"),
        ChangeSetRecord.Status.valueOf(rs.getString("status")), rs.getString("status_reason"),
        ExecutionStatus.valueOf(rs.getString("execution_status")), changeSet, rs.getString("template_url"),
        rs.getString("stack_operation_id"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static RuntimeException wrap(String what, JdbiException e) {
    if (e.getCause() instanceof StackOperationException c) {
      return c;
    }
    return new StateStoreException("cannot " + what + ": " + e.getMessage(), e);
  }
}
