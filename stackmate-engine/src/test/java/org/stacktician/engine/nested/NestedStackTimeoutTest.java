package org.stacktician.engine.nested;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * A parent stack's time-out cancels its nested stack in progress, as CloudFormation does: the nested stack fails at
 * the parent's time and rolls back with it, instead of holding the parent's rollback until its own wait ends.
 */
class NestedStackTimeoutTest extends SimulatedEngineTest {
  /** A nested stack whose wait condition is never signalled (its own time-out is an hour). */
  static final String WAITING_CHILD = """
      {"Resources": {
         "Group": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-g"}}},
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
         "Wait": {"Type": "AWS::CloudFormation::WaitCondition", "DependsOn": "Group",
                  "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": 3600}}}}
      """;
  static final String QUICK_CHILD = """
      {"Resources": {
         "Group": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-g"}}}}}
      """;
  static final String PARENT = """
      {"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "%s"}}}}
      """;

  StackEngine engine;

  @Override
  protected EngineOptions options() {
    // One time-out unit lasts a second here (a minute in the CLI); the resource limit stays an hour.
    return EngineOptions.defaults().withStackTimeoutUnit(Duration.ofSeconds(1));
  }

  @BeforeEach
  void start() {
    engine = local.engine();
  }

  /** The stack once settled, which its 5-unit time-out makes soon, not after the nested wait's hour. */
  private StackRecord settledSoonAfterItsTime(StackRecord started) throws Exception {
    long start = System.nanoTime();
    StackRecord done = engine.awaitSettled(started.stackId(), Duration.ofSeconds(120));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ended soon after its time (5 units), not after the"
        + " nested wait's hour").isLessThan(Duration.ofSeconds(60));
    return done;
  }

  /** The nested stack's wait was cancelled and the nested stack rolled back ({@code rollingBack}) for {@code reason}. */
  private void assertCancelledWithItsParent(StackRecord child, String rollingBack, String reason) {
    assertThat(engine.events(child.stackId(), 0)).anySatisfy(e -> {
      assertThat(e.logicalId()).isEqualTo("Wait");
      assertThat(e.status()).isEqualTo("CREATE_FAILED");
      assertThat(e.statusReason()).isEqualTo("Resource creation cancelled");
    }).anySatisfy(e -> {
      assertThat(e.aboutStack()).isTrue();
      assertThat(e.status()).isEqualTo(rollingBack);
      assertThat(e.statusReason()).startsWith(reason);
    });
  }

  private String parent(String childTemplate, String file) throws Exception {
    return PARENT.formatted(Files.writeString(dir.resolve(file), childTemplate).toUri());
  }

  @Test
  void aParentsCreationTimeOutCancelsItsNestedStackAndRollsBackBoth() throws Exception {
    StackRecord s = engine.createStack(new CreateStackRequest("outer", parent(WAITING_CHILD, "child.json"), "template",
        Map.of(), false, 5, null));
    StackRecord done = settledSoonAfterItsTime(s);

    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    StackRecord child = engine.store().childStacks(done.stackId()).get(0);
    assertThat(child.status()).as(child.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    // Cancelled at the parent's time, or by the parent's rollback when the parent saw its time was up first.
    assertCancelledWithItsParent(child, "ROLLBACK_IN_PROGRESS", "Stack creation cancelled: ");
    assertThat(engine.events(child.stackId(), 0)).anySatisfy(e -> assertThat(e.statusReason()).satisfiesAnyOf(
        r -> assertThat(r).startsWith("Stack creation cancelled: the creation of its parent stack outer exceeded the specified timeout of 5"
            + " minute(s)."),
        r -> assertThat(r).startsWith("Stack creation cancelled: its parent stack outer is rolling back: Stack creation time exceeded the"
            + " specified timeout of 5 minute(s).")));
    // Checked through the CloudStack API: the nested stack's group is gone.
    assertThat(cloud.client.list("listSecurityGroups", Map.of())).extracting(g -> g.path("name").asText())
        .containsOnly("default");
  }

  @Test
  void aParentsUpdateTimeOutCancelsItsNestedStacksUpdateAndRollsBackBoth() throws Exception {
    StackRecord created = engine.awaitSettled(engine.createStack(new CreateStackRequest("outer",
        parent(QUICK_CHILD, "quick.json"), "template", Map.of(), false, 5, null)).stackId(), Duration.ofSeconds(60));
    assertThat(created.status()).as(created.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    StackRecord child = engine.store().childStacks(created.stackId()).get(0);

    StackRecord updating = engine.updateStack("outer", new UpdateRequest(parent(WAITING_CHILD, "waiting.json"),
        Map.of()));
    StackRecord done = settledSoonAfterItsTime(updating);

    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    StackRecord after = engine.describeStack(child.stackId()).orElseThrow();
    assertThat(after.status()).as(after.statusReason()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    // Cancelled at the parent's time, or by the parent's rollback when the parent saw its time was up first.
    assertCancelledWithItsParent(child, "UPDATE_ROLLBACK_IN_PROGRESS", "Stack update cancelled: ");
    assertThat(engine.events(child.stackId(), 0)).anySatisfy(e -> assertThat(e.statusReason()).satisfiesAnyOf(
        r -> assertThat(r).startsWith("Stack update cancelled: the update of its parent stack outer exceeded the specified timeout of 5 minute(s)."),
        r -> assertThat(r).startsWith("Stack update cancelled: its parent stack outer is rolling back: Stack update time exceeded the specified"
            + " timeout of 5 minute(s).")));
    assertThat(engine.resources(child.stackId())).as("the nested stack is back to its group alone")
        .filteredOn(r -> r.status() != null && !r.status().gone()).extracting(r -> r.logicalId())
        .containsExactly("Group");
    assertThat(cloud.client.list("listSecurityGroups", Map.of())).extracting(g -> g.path("name").asText())
        .containsExactlyInAnyOrder("default", child.stackName() + "-g");
  }
}
