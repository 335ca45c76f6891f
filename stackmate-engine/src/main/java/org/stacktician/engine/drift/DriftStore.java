package org.stacktician.engine.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateCipher;
import org.stacktician.engine.state.StateStoreException;

/**
 * The last drift detection of each stack in the engine's database (table {@code sm_stack_drift});
 * what was read from the cloud is encrypted with the database's {@link StateCipher}.
 */
public final class DriftStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<ResourceDrift>> DRIFTS = new TypeReference<>() {};

  private final Jdbi jdbi;
  private final StateCipher cipher;

  public DriftStore(EngineDatabase database) {
    this.jdbi = Jdbi.create(database.dataSource());
    this.cipher = database.cipher();
  }

  /** Keeps a detection as its stack's last one. */
  public void save(StackDrift drift) {
    try {
      String drifts = JSON.writeValueAsString(drift.resourceDrifts());
      jdbi.useTransaction(h -> {
        h.createUpdate("DELETE FROM sm_stack_drift WHERE stack_id = :s").bind("s", drift.stackId()).execute();
        h.createUpdate("""
            INSERT INTO sm_stack_drift (stack_id, detection_id, stack_drift_status, detection_status,
              detection_status_reason, drifted_count, detected_at, resource_drifts)
            VALUES (:s, :id, :status, :detection, :reason, :count, :at, :drifts)""")
            .bind("s", drift.stackId())
            .bind("id", drift.detectionId())
            .bind("status", drift.stackDriftStatus().name())
            .bind("detection", drift.detectionStatus().name())
            .bind("reason", cipher.seal(drift.detectionStatusReason()))
            .bind("count", drift.driftedStackResourceCount())
            .bind("at", drift.detectedAt().atOffset(ZoneOffset.UTC))
            .bind("drifts", cipher.seal(drifts))
            .execute();
      });
    } catch (JsonProcessingException e) {
      throw new StateStoreException("cannot serialise the drift of stack " + drift.stackName() + ": "
          + e.getMessage(), e);
    } catch (JdbiException e) {
      throw new StateStoreException("cannot store the drift of stack " + drift.stackName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The drift information of each of these stacks that was ever checked, by stack id, in one query (for stack lists):
   * the status and start of its last detection.
   */
  public java.util.Map<String, DriftInformation> information(java.util.Collection<String> stackIds) {
    java.util.Map<String, DriftInformation> out = new java.util.HashMap<>();
    if (stackIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(h -> h.createQuery("SELECT stack_id, stack_drift_status, detected_at FROM sm_stack_drift"
            + " WHERE stack_id IN (<ids>)").bindList("ids", List.copyOf(stackIds))
        .map((rs, ctx) -> java.util.Map.entry(rs.getString("stack_id"),
            information(rs, "stack_drift_status", "detected_at")))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /**
   * A stack's drift information from a row that has its {@code sm_stack_drift} columns {@code stack_drift_status} and
   * {@code detected_at} under the given names, as a query that joins the table reads it (NOT_CHECKED when the stack
   * has no row: it was never checked).
   */
  public static DriftInformation information(ResultSet rs, String statusColumn, String detectedAtColumn)
      throws SQLException {
    return information(rs, rs.findColumn(statusColumn), rs.findColumn(detectedAtColumn));
  }

  /** As {@link #information(ResultSet, String, String)}, the two columns by position (no look-up by name). */
  public static DriftInformation information(ResultSet rs, int statusColumn, int detectedAtColumn) throws SQLException {
    return information(rs.getString(statusColumn), JdbiStateStore.instant(rs, detectedAtColumn));
  }

  private static DriftInformation information(String status, Instant at) {
    return status == null || at == null ? DriftInformation.NOT_CHECKED : new DriftInformation(status, at);
  }

  /**
   * The drift information of a stack's resources by logical id, as its last detection found them (empty when it was
   * never checked; a resource that detection did not see is NOT_CHECKED).
   */
  public java.util.Map<String, DriftInformation> resourceInformation(String stackId) {
    return last(stackId, stackId).map(StackDrift::resourceInformation).orElse(java.util.Map.of());
  }

  /** The last detection of a stack (by id), if any. */
  public Optional<StackDrift> last(String stackId, String stackName) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sm_stack_drift WHERE stack_id = :s")
        .bind("s", stackId).map((rs, ctx) -> drift(rs, stackName)).findFirst());
  }

  private StackDrift drift(ResultSet rs, String stackName) throws SQLException {
    List<ResourceDrift> drifts;
    try {
      drifts = JSON.readValue(cipher.open(rs.getString("resource_drifts")), DRIFTS);
    } catch (JsonProcessingException e) {
      throw new StateStoreException("corrupt drift of stack " + stackName + " in the state database: "
          + e.getOriginalMessage(), e);
    }
    return new StackDrift(rs.getString("stack_id"), stackName, rs.getString("detection_id"),
        StackDrift.Status.valueOf(rs.getString("stack_drift_status")),
        StackDrift.DetectionStatus.valueOf(rs.getString("detection_status")),
        cipher.open(rs.getString("detection_status_reason")),
        rs.getObject("detected_at", OffsetDateTime.class).toInstant(), drifts);
  }
}
