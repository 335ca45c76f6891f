package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * Secrets are encrypted at rest in the CLI's real H2 file: a stack whose VM gets a NoEcho password
 * in its userdata, metadata, a wait-condition signal and an output leaves neither the password nor
 * the userdata's base64 in the file's bytes, yet describes, resumes and deletes; a wrong or missing
 * key fails clearly without touching the state; a file written in plaintext is encrypted on open.
 */
class EncryptedStateTest {
  static final String SECRET = "pw-5be1c0d7-never-at-rest";
  static final String USERDATA = "#!/bin/bash\necho 'db_password=" + SECRET + "' > /etc/app.conf\n"
      + "cfn-signal -e 0 -d " + SECRET + " '%s'\n";
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"},
                      "DbPassword": {"Type": "String", "NoEcho": true}},
       "Resources": {
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
         "Vm": {"Type": "CloudStack::VirtualMachine",
           "Metadata": {"AWS::CloudFormation::Init": {"config": {"files": {"/etc/db.conf": {
               "content": {"Fn::Sub": "password=${DbPassword}"}}}}}},
           "Properties": {"zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
             "serviceofferingid": {"Ref": "OfferingId"},
             "userdata": {"Fn::Base64": {"Fn::Sub":
               "#!/bin/bash\\necho 'db_password=${DbPassword}' > /etc/app.conf\\ncfn-signal -e 0 -d ${DbPassword} '${Handle}'\\n"}}}},
         "Ready": {"Type": "AWS::CloudFormation::WaitCondition", "DependsOn": "Vm",
                   "Properties": {"Handle": {"Ref": "Handle"}, "Count": 1, "Timeout": 60}}},
       "Outputs": {"Signals": {"Value": {"Fn::GetAtt": ["Ready", "Data"]}}}}
      """;

  @TempDir Path dir;
  SimulatedCloud cloud;
  Map<String, String> params = new LinkedHashMap<>();

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud();
    params.put("ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()));
    params.put("TemplateId", cloud.idOf("listTemplates", "Ubuntu 22.04 LTS", Map.of("templatefilter", "executable")));
    params.put("OfferingId", cloud.idOf("listServiceOfferings", "Small Instance", Map.of()));
    params.put("DbPassword", SECRET);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  int callbackPort; // one port for every engine: the resumed stack's userdata holds the first one's URLs

  LocalEngine engine() throws java.io.IOException {
    if (callbackPort == 0) {
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        callbackPort = probe.getLocalPort();
      }
    }
    return LocalEngine.builder(cloud.client).stateDir(dir)
        .callbacks(new org.stacktician.engine.callback.CallbackServer.Config("127.0.0.1", callbackPort, null))
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build();
  }

  @Test
  void aStackWithANoEchoPasswordLeavesNoTraceOfItInTheFileAndStillWorks() throws Exception {
    String stackId;
    String userdata;
    try (LocalEngine local = engine()) {
      stackId = local.engine().createStack(CreateStackRequest.of("secret", TEMPLATE, params)).stackId();
    } // stopped mid-create: the next engine resumes from the encrypted state

    Path keyFile = dir.resolve(StoreKey.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

    try (LocalEngine local = engine()) {
      StackRecord done = local.engine().awaitSettled(stackId, Duration.ofSeconds(60));
      assertThat(done.status()).as(() -> done.statusReason() + " " + local.engine().events(stackId, 0).stream()
          .map(e -> e.logicalId() + " " + e.status() + " " + e.statusReason()).toList()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(done.parameters()).filteredOn(p -> p.key().equals("DbPassword"))
          .singleElement().satisfies(p -> {
            assertThat(p.value()).isEqualTo(SECRET);
            assertThat(p.displayValue()).isEqualTo("****");
          });
      assertThat(done.outputs().get(0).value()).contains(SECRET);
      ResourceRecord vm = local.engine().resources(stackId).stream()
          .filter(r -> r.logicalId().equals("Vm")).findFirst().orElseThrow();
      userdata = vm.properties().path("userdata").asText();
      String handle = local.engine().resources(stackId).stream()
          .filter(r -> r.logicalId().equals("Handle")).findFirst().orElseThrow().physicalId();
      assertThat(new String(Base64.getDecoder().decode(userdata), StandardCharsets.UTF_8))
          .isEqualTo(USERDATA.formatted(handle));
      assertThat(vm.metadata().toString()).contains("password=" + SECRET);
      assertThat(local.engine().store().signingKey()).hasSize(32);
    }

    byte[] file = Files.readAllBytes(dir.resolve("stackmate.mv.db"));
    assertThat(contains(file, SECRET)).as("the NoEcho value in the file").isFalse();
    assertThat(contains(file, userdata)).as("the userdata's base64 in the file").isFalse();
    assertThat(contains(file, userdata.substring(0, 40))).as("a prefix of the userdata's base64").isFalse();
    assertThat(contains(file, StateCipher.PREFIX)).as("encrypted values are there").isTrue();
    assertThat(contains(file, "echo 'db_password=${DbPassword}'"))
        .as("control: the template body, not secret, is plain in the file, so the searches above can hit").isTrue();

    // A wrong key and a missing key file fail clearly, and change nothing.
    assertThatThrownBy(() -> EngineDatabase.h2File(dir, StoreKey.random("a wrong key")).close())
        .isInstanceOf(StateStoreException.class)
        .hasMessageStartingWith("cannot decrypt the state in " + dir.toAbsolutePath().resolve("stackmate.mv.db")
            + " with this key: ")
        .hasMessageContaining("a wrong key")
        .hasMessageNotContaining(SECRET);
    Path aside = dir.resolve("key.bak");
    Files.move(keyFile, aside);
    assertThatThrownBy(() -> EngineDatabase.h2File(dir).close())
        .hasMessageStartingWith("cannot decrypt the state in ")
        .hasMessageContaining("its key file " + keyFile + " is missing");
    assertThat(keyFile).doesNotExist();
    Files.move(aside, keyFile);

    try (LocalEngine local = engine()) {
      StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("secret").stackId(),
          Duration.ofSeconds(60));
      assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
      assertThat(cloud.simulator.inventory().created()).isEmpty();
    }
  }

  /** The rows an older version, which did not encrypt and kept one row per logical id, left in the file. */
  void writePlaintextState() throws Exception {
    JdbcDataSource plain = new JdbcDataSource();
    plain.setURL("jdbc:h2:file:" + dir.toAbsolutePath().resolve(EngineDatabase.H2_FILE_NAME));
    plain.setUser("sa");
    EngineDatabase.migrate(plain, "2");
    String oldSigningKey = Base64.getEncoder().encodeToString(new byte[32]);
    try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
      s.execute("""
          INSERT INTO sm_stacks (stack_id, stack_name, live_name, status, status_reason, template_body, parameters,
            outputs, disable_rollback, created_at, updated_at)
          VALUES ('arn:s/old/1', 'old', 'old', 'CREATE_COMPLETE', 'guest said %1$s', '{}',
            '[{"key":"DbPassword","value":"%1$s","noEcho":true}]', '[]', FALSE, NOW(), NOW())""".formatted(SECRET));
      s.execute("""
          INSERT INTO sm_stack_resources (stack_id, logical_id, position, resource_type, physical_id, status,
            depends_on, properties, attributes, updated_at)
          VALUES ('arn:s/old/1', 'Vm', 0, 'CloudStack::VirtualMachine', 'vm-1', 'CREATE_COMPLETE', '[]',
            '{"userdata":"%s"}', '{}', NOW())""".formatted(SECRET));
      s.execute("INSERT INTO sm_settings (setting_name, setting_value) VALUES ('signing-key', '" + oldSigningKey + "')");
    }
  }

  @Test
  void aFileWrittenInPlaintextIsEncryptedWhenFirstOpened() throws Exception {
    writePlaintextState();
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      assertThat(store.findStack("old").orElseThrow().parameters())
          .containsExactly(new StackParameter("DbPassword", SECRET, true));
      assertThat(store.resources("arn:s/old/1").get(0).properties().path("userdata").asText()).isEqualTo(SECRET);
      assertThat(store.signingKey()).isEqualTo(new byte[32]);
      assertThat(store.findStack("old").orElseThrow().statusReason()).isEqualTo("guest said " + SECRET);
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        for (String query : List.of("SELECT parameters FROM sm_stacks", "SELECT outputs FROM sm_stacks",
            "SELECT status_reason FROM sm_stacks",
            "SELECT properties FROM sm_stack_resources", "SELECT attributes FROM sm_stack_resources",
            "SELECT setting_value FROM sm_settings")) {
          try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
              assertThat(rs.getString(1)).as(query).startsWith(StateCipher.PREFIX);
            }
          }
        }
      }
    }
    try (EngineDatabase db = EngineDatabase.h2File(dir)) { // opened again: nothing is encrypted twice
      assertThat(new JdbiStateStore(db).findStack("old").orElseThrow().parameters().get(0).value()).isEqualTo(SECRET);
    }
  }

  @Test
  void reasonsAnEncryptingVersionLeftInPlaintextAreReadableAndEncryptedByTheMigration() throws Exception {
    // The state as the version before status reasons were encrypted left it: migrated up to V2,
    // secrets sealed with the key (its check row there), reasons in plaintext.
    JdbcDataSource plain = new JdbcDataSource();
    plain.setURL("jdbc:h2:file:" + dir.toAbsolutePath().resolve(EngineDatabase.H2_FILE_NAME));
    plain.setUser("sa");
    org.flywaydb.core.Flyway.configure().dataSource(plain).table("sm_schema_history")
        .locations("classpath:db/stackmate/common", "classpath:db/stackmate/h2").baselineOnMigrate(true)
        .baselineVersion("0").target("2").load().migrate();
    StateCipher cipher = new StateCipher(StoreKey.loadOrCreate(dir.resolve(StoreKey.FILE_NAME)), "test");
    try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO sm_settings (setting_name, setting_value) VALUES ('" + StateEncryption.CHECK_SETTING
          + "', '" + cipher.seal(StateEncryption.CHECK_TEXT) + "')");
      s.execute("""
          INSERT INTO sm_stacks (stack_id, stack_name, live_name, status, status_reason, template_body, parameters,
            outputs, disable_rollback, created_at, updated_at)
          VALUES ('arn:s/old/1', 'old', 'old', 'CREATE_FAILED', 'guest said %s', '{}', '%s', '%s', FALSE, NOW(), NOW())"""
          .formatted(SECRET, cipher.seal("[]"), cipher.seal("[]")));
      s.execute("""
          INSERT INTO sm_stack_events (event_id, stack_id, stack_name, logical_id, resource_type, event_time, status,
            status_reason) VALUES ('e1', 'arn:s/old/1', 'old', 'Ready', 'AWS::CloudFormation::WaitCondition', NOW(),
            'CREATE_FAILED', 'signal: %s')""".formatted(SECRET));
    }
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      assertThat(store.findStack("old").orElseThrow().statusReason()).isEqualTo("guest said " + SECRET);
      assertThat(store.events("arn:s/old/1", 0)).singleElement()
          .satisfies(e -> assertThat(e.statusReason()).isEqualTo("signal: " + SECRET));
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        for (String query : List.of("SELECT status_reason FROM sm_stacks", "SELECT status_reason FROM sm_stack_events")) {
          try (ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as(query).startsWith(StateCipher.PREFIX);
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sm_settings WHERE setting_name = '"
            + StateEncryption.PENDING_SETTING + "'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).as("the migration's marker is consumed").isZero();
        }
      }
    }
  }

  @Test
  void processesOpeningAPlaintextFileAtOnceEncryptItOnce() throws Exception {
    writePlaintextState();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<String>> reads = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        reads.add(pool.submit(() -> {
          try (EngineDatabase db = EngineDatabase.h2File(dir)) {
            return new JdbiStateStore(db).findStack("old").orElseThrow().parameters().get(0).value();
          }
        }));
      }
      for (java.util.concurrent.Future<String> read : reads) {
        assertThat(read.get()).isEqualTo(SECRET);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
