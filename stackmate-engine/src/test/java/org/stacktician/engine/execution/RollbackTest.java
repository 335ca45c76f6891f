package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stacktician.engine.EngineFixture.createAndWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.EngineFixture;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.TestCloud;
import org.stacktician.engine.TestCloudEngineTest;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/** Failure handling: rollback from every position, disable-rollback, failed rollbacks, time-outs. */
class RollbackTest extends TestCloudEngineTest {
  /** A diamond with a tail: Net <- (Web, Db) <- Lb <- Dns. */
  static final String DIAMOND = """
      {"Resources": {
        "Net": {"Type": "Test::Thing", "Properties": {"LatencyMs": 30}},
        "Web": {"Type": "Test::Thing", "Properties": {"LatencyMs": 30, "Net": {"Ref": "Net"}}},
        "Db":  {"Type": "Test::Thing", "Properties": {"LatencyMs": 60, "Net": {"Ref": "Net"}}},
        "Lb":  {"Type": "Test::Thing", "Properties": {"LatencyMs": 30, "Web": {"Ref": "Web"}, "Db": {"Ref": "Db"}}},
        "Dns": {"Type": "Test::Thing", "Properties": {"Target": {"Fn::GetAtt": ["Lb", "Id"]}}}}}
      """;

  @ParameterizedTest(name = "failure at {0}")
  @ValueSource(strings = {"Net", "Web", "Db", "Lb", "Dns"})
  void aFailureAtAnyPositionRollsBackCompletely(String failing) throws Exception {
    cloud.failCreateOf(failing);
    StackRecord done = createAndWait(engine, "fault-" + failing.toLowerCase(), DIAMOND);

    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(cloud.inventory()).as("nothing of the stack is left in the cloud").isEmpty();
    List<StackEvent> events = engine.events(done.stackId(), 0);
    StackEvent failed = events.stream().filter(e -> e.logicalId().equals(failing)
        && e.status().equals("CREATE_FAILED")).findFirst().orElseThrow();
    assertThat(failed.statusReason()).contains("injected failure of " + failing);
    StackEvent rollback = events.stream().filter(e -> e.aboutStack() && e.status().equals("ROLLBACK_IN_PROGRESS"))
        .findFirst().orElseThrow();
    assertThat(rollback.statusReason())
        .isEqualTo("The following resource(s) failed to create: [" + failing + "]. Rollback requested by user.");
    assertThat(events.get(events.size() - 1).status()).isEqualTo("ROLLBACK_COMPLETE");
    // every resource that was created was deleted after everything that needs it
    List<String> log = cloud.log();
    for (String[] edge : new String[][] {{"Web", "Net"}, {"Db", "Net"}, {"Lb", "Web"}, {"Lb", "Db"}}) {
      if (log.contains("delete " + edge[0]) && log.contains("delete " + edge[1])) {
        assertThat(log.indexOf("delete " + edge[0])).isLessThan(log.indexOf("delete " + edge[1]));
      }
    }
    assertThat(engine.resources(done.stackId())).allSatisfy(r ->
        assertThat(r.status()).isEqualTo(ResourceStatus.DELETE_COMPLETE));
  }

  @Test
  void disableRollbackKeepsWhatWasCreated() throws Exception {
    cloud.failCreateOf("Lb");
    StackRecord done = createAndWait(engine,
        new CreateStackRequest("kept", DIAMOND, "diamond.json", Map.of(), true, null, null));

    assertThat(done.status()).isEqualTo(StackStatus.CREATE_FAILED);
    assertThat(done.statusReason()).isEqualTo("The following resource(s) failed to create: [Lb].");
    assertThat(cloud.inventory().values()).extracting(TestCloud.Item::logicalId)
        .containsExactlyInAnyOrder("Net", "Web", "Db");
    assertThat(engine.resources(done.stackId())).extracting(r -> r.logicalId() + " " + r.status())
        .containsExactly("Net CREATE_COMPLETE", "Web CREATE_COMPLETE", "Db CREATE_COMPLETE", "Lb CREATE_FAILED");

    StackRecord deleted = EngineFixture.deleteAndWait(engine, "kept");
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aDeleteThatFailsDuringRollbackEndsInRollbackFailedWithTheCloudsError() throws Exception {
    cloud.failCreateOf("Dns").failDeleteOf("Web");
    StackRecord done = createAndWait(engine, "rbfail", DIAMOND);

    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_FAILED);
    assertThat(done.statusReason()).contains("failed to delete").contains("Web");
    ResourceRecord web = engine.resources(done.stackId()).stream().filter(r -> r.logicalId().equals("Web"))
        .findFirst().orElseThrow();
    assertThat(web.status()).isEqualTo(ResourceStatus.DELETE_FAILED);
    assertThat(web.statusReason()).contains("cloud error 530");

    cloud.clearFaults();
    StackRecord deleted = EngineFixture.deleteAndWait(engine, done.stackId());
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aResourceThatTakesTooLongFailsAndIsLookedUpAndDeletedInTheRollback() throws Exception {
    engine.close();
    engine = EngineFixture.start(dir, cloud, EngineFixture.fastOptions().withResourceTimeout(Duration.ofMillis(300)));
    String template = """
        {"Resources": {
          "Quick": {"Type": "Test::Thing"},
          "Stuck": {"Type": "Test::Thing", "Properties": {"LatencyMs": 5000, "After": {"Ref": "Quick"}}}}}
        """;
    StackRecord done = createAndWait(engine, "slow", template);

    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(engine.events(done.stackId(), 0)).filteredOn(e -> e.logicalId().equals("Stuck")
        && e.status().equals("CREATE_FAILED")).singleElement()
        .satisfies(e -> assertThat(e.statusReason()).startsWith("Resource creation timed out after 300 ms"));
    assertThat(cloud.inventory()).as("the job's resource was found by its tags and deleted").isEmpty();
  }

  @Test
  void theStackTimeoutStopsNewWorkAndRollsBack() throws Exception {
    engine.close();
    MutableClock clock = new MutableClock();
    engine = org.stacktician.engine.StackEngine.builder()
        .database(org.stacktician.engine.state.EngineDatabase.h2File(dir))
        .registry((base, own) -> org.stacktician.engine.provider.registry.ProviderRegistry.builder(base)
            .provider(cloud).build())
        .options(EngineFixture.fastOptions())
        .clock(clock)
        .build();
    engine.start();
    String template = """
        {"Resources": {
          "First": {"Type": "Test::Thing", "Properties": {"LatencyMs": 400}},
          "Second": {"Type": "Test::Thing", "Properties": {"After": {"Ref": "First"}}}}}
        """;
    StackRecord s = engine.createStack(new CreateStackRequest("timed", template, "t.json", Map.of(), false, 1, null));
    clock.advance(Duration.ofMinutes(2));
    StackRecord done = EngineFixture.await(engine, s.stackId());

    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(engine.events(done.stackId(), 0)).filteredOn(e -> e.aboutStack()
        && e.status().equals("ROLLBACK_IN_PROGRESS")).singleElement()
        .satisfies(e -> assertThat(e.statusReason()).startsWith("Stack creation time exceeded the specified timeout"));
    assertThat(cloud.log()).as("the in-flight create settled; nothing new started").doesNotContain("create Second");
    assertThat(cloud.inventory()).isEmpty();
  }

  /** A clock that tests move forward. */
  static final class MutableClock extends java.time.Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.now().plus(offset);
    }
  }
}
