package org.stacktician.engine.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.drift.ResourceDrift;
import org.stacktician.engine.drift.StackDrift;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.state.StoreKey;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.testing.TestPostgres;

/**
 * Change sets stored by the engine on a real H2 file and a real PostgreSQL: kept with their
 * changes and parameter values (NoEcho ones encrypted), OBSOLETE once another operation ran on the
 * stack; the last drift detection and termination protection kept in the same store.
 */
class StoredChangeSetsTest {
  static final String TEMPLATE = """
      {"Parameters": {"Secret": {"Type": "String", "NoEcho": true}, "Label": {"Type": "String", "Default": "a"}},
       "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"Hidden": {"Value": {"Ref": "Secret"}}, "Label": {"Value": {"Ref": "Label"}}}}
      """;
  static final String ADDED = """
      {"Parameters": {"Secret": {"Type": "String", "NoEcho": true}, "Label": {"Type": "String", "Default": "a"}},
       "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
                     "Other": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"Hidden": {"Value": {"Ref": "Secret"}}, "Label": {"Value": {"Ref": "Label"}}}}
      """;
  static final String SECRET = "change-set-secret-31337";

  @TempDir Path tmp;
  SimulatedCloud cloud;
  TestPostgres.Schema schema;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud();
  }

  @AfterEach
  void stop() {
    cloud.close();
    if (schema != null) {
      TestPostgres.drop(schema);
    }
  }

  @Test
  void onAnH2File() throws Exception {
    try (LocalEngine local = cloud.engine(tmp)) {
      exercise(local.engine());
    }
  }

  @Test
  void onPostgres() throws Exception {
    schema = TestPostgres.freshSchema();
    EngineDatabase db = EngineDatabase.open(schema.jdbcUrl(), schema.user(), schema.password(), 4, false,
        StoreKey.random("a key made up for the test"));
    try (LocalEngine local = LocalEngine.builder(cloud.client).database(db)
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build()) {
      exercise(local.engine());
      assertThat(dump()).as("NoEcho values are encrypted at rest").doesNotContain(SECRET).contains("Other");
    }
  }

  private void exercise(StackEngine engine) throws Exception {
    StackRecord s = engine.createStack(CreateStackRequest.of("cs-stack", TEMPLATE, Map.of("Secret", "first")));
    assertThat(engine.awaitSettled(s.stackId(), Duration.ofSeconds(30)).status()).isEqualTo(StackStatus.CREATE_COMPLETE);

    ChangeSetRecord made = engine.createChangeSet(new ChangeSets.Request("cs-stack", "add-other",
        new UpdateRequest(ADDED, Map.of("Secret", new UpdateRequest.ParameterValue.Given(SECRET),
            "Label", new UpdateRequest.ParameterValue.UsePrevious())), "/tmp/added.json", "adds Other"));
    assertThat(made.status()).isEqualTo(ChangeSetRecord.Status.CREATE_COMPLETE);

    ChangeSetRecord read = engine.changeSets().describe("cs-stack", "add-other");
    assertThat(read.executionStatus()).isEqualTo(ExecutionStatus.AVAILABLE);
    assertThat(read.changeSet()).isEqualTo(made.changeSet());
    assertThat(read.changeSet().changes()).extracting(c -> c.action() + " " + c.logicalResourceId())
        .containsExactly("ADD Other");
    assertThat(read.changeSet().parameterValues()).containsEntry("Secret", SECRET).containsEntry("Label", "a");
    assertThat(ChangeSetJson.describe(read).toString()).doesNotContain(SECRET).contains("\"****\"");
    assertThat(read.templateUrl()).isEqualTo("/tmp/added.json");
    assertThat(engine.changeSets().describe("cs-stack", read.changeSetId()).changeSetName()).isEqualTo("add-other");
    assertThat(engine.changeSets().executable("cs-stack", "add-other")).isNotNull();

    // Another operation on the stack (here a new operation id, as every operation phase takes) makes it obsolete.
    StateStore store = engine.store();
    StackRecord now = store.findStack("cs-stack").orElseThrow();
    store.commit(StateStore.Changes.of(now.withOperationStarted(Instant.now()), List.of(), List.of()));
    assertThat(engine.changeSets().describe("cs-stack", "add-other").executionStatus())
        .isEqualTo(ExecutionStatus.OBSOLETE);
    assertThat(engine.changeSets().list("cs-stack")).extracting(ChangeSetRecord::executionStatus)
        .containsExactly(ExecutionStatus.OBSOLETE);
    assertThatThrownBy(() -> engine.changeSets().executable("cs-stack", "add-other"))
        .isInstanceOf(StackOperationException.class)
        .hasMessageContaining("cannot be executed in its current execution status of [OBSOLETE]");

    // The last drift detection is kept (a wait-condition handle cannot be read back: NOT_CHECKED).
    StackDrift drift = engine.detectStackDrift("cs-stack");
    assertThat(drift.stackDriftStatus()).isEqualTo(StackDrift.Status.IN_SYNC);
    assertThat(drift.resourceDrifts()).extracting(ResourceDrift::logicalResourceId, ResourceDrift::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Handle", ResourceDrift.Status.NOT_CHECKED));
    StackDrift last = engine.lastStackDrift("cs-stack").orElseThrow();
    assertThat(last.detectionId()).isEqualTo(drift.detectionId());
    assertThat(last.resourceDrifts()).isEqualTo(drift.resourceDrifts());

    // Termination protection is a column of the same store.
    engine.updateTerminationProtection("cs-stack", true);
    assertThat(store.findStack("cs-stack").orElseThrow().terminationProtection()).isTrue();
    assertThatThrownBy(() -> engine.deleteStack("cs-stack")).isInstanceOf(StackOperationException.class)
        .hasMessage("Stack [cs-stack] cannot be deleted while TerminationProtection is enabled");
    engine.updateTerminationProtection("cs-stack", false);
    StackRecord deleting = engine.deleteStack("cs-stack");
    assertThat(engine.awaitSettled(deleting.stackId(), Duration.ofSeconds(30)).status())
        .isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThatThrownBy(() -> engine.changeSets().list("cs-stack")).hasMessageContaining("does not exist");
  }

  private String dump() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = java.sql.DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password());
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM sm_change_sets")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          all.append(rs.getString(i)).append('\n');
        }
      }
    }
    return all.toString();
  }
}
