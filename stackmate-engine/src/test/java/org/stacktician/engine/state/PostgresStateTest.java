package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.engine.waitcondition.Signal;
import org.stacktician.testing.TestPostgres;

/**
 * The engine on a real PostgreSQL (the server's database): the same migrations, store, secrets at
 * rest and db-scheduler executions as on the CLI's H2 file, each test in a schema of its own.
 * Skipped with a message when no PostgreSQL is given; required in CI.
 */
class PostgresStateTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"},
                      "Secret": {"Type": "String", "NoEcho": true}},
       "Resources": {
         "Data1": {"Type": "CloudStack::Volume", "Properties": {"name": "data-1",
                   "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "Data2": {"Type": "CloudStack::Volume", "DependsOn": "Data1", "Properties": {"name": "data-2",
                   "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"First": {"Value": {"Ref": "Data1"}}, "Hidden": {"Value": {"Ref": "Secret"}}}}
      """;
  static final String SECRET = "pg-very-secret-4711";

  TestPostgres.Schema schema;
  final StoreKey key = StoreKey.random("a key made up for the test");
  SimulatedCloud cloud;

  @BeforeEach
  void start() {
    schema = TestPostgres.freshSchema();
    cloud = new SimulatedCloud();
  }

  @AfterEach
  void stop() {
    if (cloud != null) {
      cloud.close();
    }
    if (schema != null) {
      TestPostgres.drop(schema);
    }
  }

  private EngineDatabase open() {
    return EngineDatabase.open(schema.jdbcUrl(), schema.user(), schema.password(), 8, false, key);
  }

  private LocalEngine engine(EngineDatabase db) {
    return LocalEngine.builder(cloud.client).database(db)
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build();
  }

  private Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()));
    p.put("DiskOfferingId", cloud.idOf("listDiskOfferings", "Small", Map.of()));
    p.put("Secret", SECRET);
    return p;
  }

  @Test
  void migrationsRunOnceAndTheStoreKeepsSignalsKeysAndTemplates() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    byte[] signingKey;
    try (EngineDatabase db = open()) {
      JdbiStateStore store = new JdbiStateStore(db);
      StoreSignalStore signals = new StoreSignalStore(store);
      signals.record("stack-1", "Handle", new Signal(Signal.Status.SUCCESS, "first", "i-1", "d1", t));
      signals.record("stack-1", "Handle", new Signal(Signal.Status.FAILURE, "again", "i-1", "d2", t.plusSeconds(1)));
      signals.record("stack-1", "Handle", new Signal(Signal.Status.SUCCESS, "", "i-2", "", t.plusSeconds(2)));
      store.storeTemplate("base", "{}");
      store.storeTemplate("base", "{\"Resources\":{}}");
      signingKey = store.signingKey();
    }
    try (EngineDatabase db = open()) { // migrations again: nothing to do, nothing lost
      JdbiStateStore store = new JdbiStateStore(db);
      assertThat(new StoreSignalStore(store).signals("stack-1", "Handle"))
          .extracting(s -> s.uniqueId() + ":" + s.status() + ":" + s.data())
          .containsExactlyInAnyOrder("i-1:FAILURE:d2", "i-2:SUCCESS:");
      assertThat(store.signingKey()).isEqualTo(signingKey);
      assertThat(store.storedTemplate("base")).contains("{\"Resources\":{}}");
      assertThat(rows("SELECT count(*) FROM sm_schema_history WHERE success")).isPositive();
    }
  }

  @Test
  void aStackIsCreatedAndDeletedThroughDbSchedulerOnPostgres() throws Exception {
    try (LocalEngine local = engine(open())) {
      StackRecord s = local.engine().createStack(CreateStackRequest.of("pg-stack", TEMPLATE, params()));
      StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
      assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(done.outputs()).anySatisfy(o -> assertThat(o.key()).isEqualTo("First"));
      assertThat(cloud.simulator.inventory().countsByKind()).containsEntry("VOLUME", 2L);
      assertThat(dump()).as("the NoEcho parameter is encrypted at rest").doesNotContain(SECRET);

      StackRecord deleting = local.engine().deleteStack("pg-stack");
      StackRecord deleted = local.engine().awaitSettled(deleting.stackId(), Duration.ofSeconds(60));
      assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
      assertThat(cloud.simulator.inventory().created()).isEmpty();
    }
  }

  @Test
  void aFailureRollsBackCompletelyOnPostgres() throws Exception {
    cloud.simulator.knobs().faults("createVolume", CommandFaults.failNth(2, 530));
    try (LocalEngine local = engine(open())) {
      StackRecord s = local.engine().createStack(CreateStackRequest.of("pg-faulty", TEMPLATE, params()));
      StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
      assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
      assertThat(local.engine().events(done.stackId(), 0)).anySatisfy(e -> {
        assertThat(e.logicalId()).isEqualTo("Data2");
        assertThat(e.status()).isEqualTo("CREATE_FAILED");
      });
      assertThat(cloud.simulator.inventory().created()).isEmpty();
    }
  }

  @Test
  void anotherProcessOnTheSameDatabaseFinishesAStackTheFirstLeftInFlight() throws Exception {
    cloud.simulator.knobs().jobLatency(Latency.fixed(1500));
    String stackId;
    try (LocalEngine first = engine(open())) {
      stackId = first.engine().createStack(CreateStackRequest.of("pg-resume", TEMPLATE, params())).stackId();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (cloud.simulator.inventory().pendingJobs() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(cloud.simulator.inventory().pendingJobs()).as("the first volume's job is in flight").isPositive();
    } // closed while the job runs: the stack stays CREATE_IN_PROGRESS in the database
    try (LocalEngine second = engine(open())) {
      StackRecord done = second.engine().awaitSettled(stackId, Duration.ofSeconds(60));
      assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(cloud.simulator.inventory().countsByKind()).as("no volume created twice").containsEntry("VOLUME", 2L);
    }
  }

  @Test
  void twoProcessesOnOneDatabaseShareTheStacksAndNeverRunOneTwice() throws Exception {
    cloud.simulator.knobs().jobLatency(Latency.fixed(200));
    try (LocalEngine a = engine(open()); LocalEngine b = engine(open())) {
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ids.add(a.engine().createStack(CreateStackRequest.of("pg-a-" + i, TEMPLATE, params())).stackId());
        ids.add(b.engine().createStack(CreateStackRequest.of("pg-b-" + i, TEMPLATE, params())).stackId());
      }
      for (String id : ids) {
        StackRecord done = b.engine().awaitSettled(id, Duration.ofSeconds(60));
        assertThat(done.status()).as(done.stackName() + ": " + done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
        List<String> events = a.engine().events(id, 0).stream().filter(e -> !e.aboutStack())
            .map(e -> e.logicalId() + " " + e.status() + " " + e.statusReason()).toList();
        assertThat(events).as("no transition recorded twice").doesNotHaveDuplicates();
        assertThat(events).filteredOn(e -> e.contains("CREATE_COMPLETE")).as("one completion per resource")
            .hasSize(3);
        assertThat(events).filteredOn(e -> e.endsWith("Resource creation Initiated"))
            .as("each volume's job submitted once").hasSize(2);
      }
      assertThat(cloud.simulator.inventory().countsByKind()).as("two volumes per stack, none twice")
          .containsEntry("VOLUME", 24L);
      assertThat(a.engine().stats().steps() + b.engine().stats().steps()).isPositive();
    }
  }

  private long rows(String sql) {
    try (EngineDatabase db = open(); Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Every text column of every engine table, for looking for plaintext secrets. */
  private String dump() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = java.sql.DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password());
        Statement st = c.createStatement()) {
      List<String> tables = new java.util.ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
          + schema.name() + "'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("sm_stacks", "sm_stack_resources", "sm_stack_events");
      for (String table : tables) {
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              all.append(rs.getString(i)).append('\n');
            }
          }
        }
      }
    }
    return all.toString();
  }
}
