package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.stacktician.cloudstack.client.AsyncJobHandle;
import org.stacktician.cloudstack.client.AsyncJobStatus;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.testing.TestPostgres;

/**
 * A state database written by the schema before resource rows had ids of their own and stacks had
 * template versions (migrations 1 and 2 only) is migrated without loss on H2 and PostgreSQL: every
 * row keeps its values, rows become template version 1, and the old stack is deleted as before.
 */
class OldSchemaStateTest {
  static final String STACK_ID = "arn:cloudstack:cloudformation:local:1:stack/old/1";
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"}},
       "Resources": {
         "Data": {"Type": "CloudStack::Volume", "Properties": {"name": "old-data",
                  "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle", "DependsOn": "Data"}}}
      """;

  @TempDir Path dir;
  SimulatedCloud cloud;
  TestPostgres.Schema schema;
  final StoreKey key = StoreKey.random("a key made up for the test");

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
  void anH2FileOfTheOldSchemaMigratesWithoutLossAndItsStackIsDeleted() throws Exception {
    JdbcDataSource old = new JdbcDataSource();
    old.setURL("jdbc:h2:file:" + dir.toAbsolutePath().resolve(EngineDatabase.H2_FILE_NAME));
    old.setUser("sa");
    String volumeId = writeOldState(old);
    migratedWithoutLossThenDeleted(EngineDatabase.h2File(dir), volumeId);
  }

  @Test
  void aPostgresDatabaseOfTheOldSchemaMigratesWithoutLossAndItsStackIsDeleted() throws Exception {
    schema = TestPostgres.freshSchema();
    PGSimpleDataSource old = new PGSimpleDataSource();
    old.setURL(schema.jdbcUrl());
    old.setUser(schema.user());
    old.setPassword(schema.password());
    String volumeId = writeOldState(old);
    migratedWithoutLossThenDeleted(EngineDatabase.open(schema.jdbcUrl(), schema.user(), schema.password(), 4, false,
        key), volumeId);
  }

  private void migratedWithoutLossThenDeleted(EngineDatabase db, String volumeId) throws Exception {
    try (LocalEngine local = LocalEngine.builder(cloud.client).database(db)
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build()) {
      StateStore store = local.engine().store();
      StackRecord stack = store.findStack("old").orElseThrow();
      assertThat(stack.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(stack.templateBody()).isEqualTo(TEMPLATE);
      assertThat(stack.templateVersion()).isEqualTo(1);
      assertThat(stack.previous()).isNull();
      assertThat(stack.parameters()).extracting(p -> p.key() + "=" + p.value())
          .containsExactly("ZoneId=" + zoneId(), "DiskOfferingId=" + offeringId());
      assertThat(stack.outputs()).extracting(o -> o.key() + "=" + o.value()).containsExactly("Volume=" + volumeId);

      List<ResourceRecord> rows = store.resources(STACK_ID);
      assertThat(rows).extracting(ResourceRecord::logicalId).containsExactly("Data", "Handle");
      assertThat(rows).extracting(ResourceRecord::resourceId)
          .containsExactly(STACK_ID + "#Data", STACK_ID + "#Handle");
      assertThat(rows).allSatisfy(r -> {
        assertThat(r.templateVersion()).isEqualTo(1);
        assertThat(r.replaces()).isNull();
        assertThat(r.status()).isEqualTo(org.stacktician.engine.stack.ResourceStatus.CREATE_COMPLETE);
      });
      ResourceRecord data = rows.get(0);
      assertThat(data.physicalId()).isEqualTo(volumeId);
      assertThat(data.properties().path("name").asText()).isEqualTo("old-data");
      assertThat(data.attributes().get("id").asText()).isEqualTo(volumeId);
      assertThat(data.deletionPolicy()).isEqualTo("Delete");
      assertThat(rows.get(1).dependsOn()).containsExactly("Data");
      assertThat(local.engine().events(STACK_ID, 0)).extracting(e -> e.logicalId() + " " + e.status())
          .containsExactly("old CREATE_COMPLETE");
      assertThat(store.findExport(StackRecord.DEFAULT_SCOPE, "old-volume")).hasValueSatisfying(e -> assertThat(e.value()).isEqualTo(volumeId));

      StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("old").stackId(),
          Duration.ofSeconds(60));
      assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
      assertThat(cloud.simulator.inventory().created()).as("the old stack's volume is deleted").isEmpty();
      assertThat(store.resources(STACK_ID)).extracting(r -> r.logicalId() + " " + r.status())
          .containsExactly("Data DELETE_COMPLETE", "Handle DELETE_COMPLETE");
    }
  }

  private String zoneId() {
    return cloud.idOf("listZones", "Sandbox-simulator", Map.of());
  }

  private String offeringId() {
    return cloud.idOf("listDiskOfferings", "Small", Map.of());
  }

  /** A volume made in the cloud and the rows the old schema kept for it, as a stack that created it. */
  private String writeOldState(DataSource ds) throws Exception {
    AsyncJobHandle job = cloud.client.submit("createVolume", Map.of("name", "old-data", "zoneid", zoneId(),
        "diskofferingid", offeringId()));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (cloud.client.queryJob(job.jobId()) instanceof AsyncJobStatus.Pending && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String volumeId = job.resourceId();
    assertThat(cloud.simulator.inventory().created()).hasSize(1);
    EngineDatabase.migrate(ds, "2");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("""
          INSERT INTO sm_stacks (stack_id, stack_name, live_name, status, status_reason, template_body, parameters,
            outputs, disable_rollback, account_key, created_at, updated_at, operation_started)
          VALUES ('%s', 'old', 'old', 'CREATE_COMPLETE', NULL, '%s',
            '[{"key":"ZoneId","value":"%s","noEcho":false},{"key":"DiskOfferingId","value":"%s","noEcho":false}]',
            '[{"key":"Volume","value":"%s","exportName":"old-volume","noEcho":false}]', FALSE, NULL,
            CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"""
          .formatted(STACK_ID, TEMPLATE, zoneId(), offeringId(), volumeId));
      s.execute("""
          INSERT INTO sm_stack_resources (stack_id, logical_id, position, resource_type, physical_id, status,
            depends_on, properties, attributes, deletion_policy, updated_at)
          VALUES ('%s', 'Data', 0, 'CloudStack::Volume', '%s', 'CREATE_COMPLETE', '[]',
            '{"name":"old-data","zoneid":"%s","diskofferingid":"%s"}', '{"id":"%s"}', 'Delete', CURRENT_TIMESTAMP)"""
          .formatted(STACK_ID, volumeId, zoneId(), offeringId(), volumeId));
      s.execute("""
          INSERT INTO sm_stack_resources (stack_id, logical_id, position, resource_type, physical_id, status,
            depends_on, attributes, updated_at)
          VALUES ('%s', 'Handle', 1, 'AWS::CloudFormation::WaitConditionHandle', 'http://127.0.0.1:1/h',
            'CREATE_COMPLETE', '["Data"]', '{}', CURRENT_TIMESTAMP)""".formatted(STACK_ID));
      s.execute("""
          INSERT INTO sm_stack_events (event_id, stack_id, stack_name, logical_id, physical_id, resource_type,
            event_time, status)
          VALUES ('e-1', '%s', 'old', 'old', '%s', 'AWS::CloudFormation::Stack', CURRENT_TIMESTAMP,
            'CREATE_COMPLETE')""".formatted(STACK_ID, STACK_ID));
      s.execute("""
          INSERT INTO sm_exports (export_name, export_value, stack_id, stack_name)
          VALUES ('old-volume', '%s', '%s', 'old')""".formatted(volumeId, STACK_ID));
    }
    return volumeId;
  }
}
