package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/** The table of stack-status transitions: every running status names one phase; failures lead where CloudFormation goes. */
class StackOperationTest {
  private static StackRecord stack(boolean disableRollback) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new StackRecord("arn:s/t/1", "t", StackStatus.CREATE_IN_PROGRESS, null, null, "{}", List.of(), List.of(),
        null, disableRollback, null, null, t, t, t);
  }

  @Test
  void everyRunningStatusNamesExactlyOnePhaseAndEveryOperationEndsSettled() {
    List<StackStatus> running = new ArrayList<>();
    for (StackOperation op : StackOperation.ALL) {
      op.phases().forEach(p -> running.add(p.running()));
      assertThat(op.complete().settled()).as(op + " complete").isTrue();
      assertThat(op.failed().settled()).as(op + " failed").isTrue();
    }
    assertThat(running).doesNotHaveDuplicates().allMatch(StackStatus::inProgress);
    for (StackStatus s : StackStatus.values()) {
      assertThat(StackOperation.running(s).isPresent()).as(s.name()).isEqualTo(running.contains(s));
    }
  }

  @Test
  void createIsProvisionOfTheCurrentVersionAndItsRollbackAndDeleteCleanUpTowardsNothing() {
    var create = StackOperation.running(StackStatus.CREATE_IN_PROGRESS).orElseThrow();
    assertThat(create.current()).isEqualTo(new Phase(StackStatus.CREATE_IN_PROGRESS, Phase.Walk.PROVISION,
        Phase.Target.CURRENT, false));
    assertThat(create.next()).isEmpty();
    assertThat(create.operation().complete()).isEqualTo(StackStatus.CREATE_COMPLETE);

    StackOperation rollback = create.operation().onFailure(stack(false)).orElseThrow();
    assertThat(rollback.phases()).containsExactly(new Phase(StackStatus.ROLLBACK_IN_PROGRESS, Phase.Walk.CLEANUP,
        Phase.Target.NOTHING, false));
    assertThat(rollback.rollback()).isTrue();
    assertThat(List.of(rollback.complete(), rollback.failed()))
        .containsExactly(StackStatus.ROLLBACK_COMPLETE, StackStatus.ROLLBACK_FAILED);
    assertThat(create.operation().takeOverNote()).isEqualTo(" Rollback requested by user.");
    assertThat(create.operation().onFailure(stack(true))).as("rollback disabled: CREATE_FAILED").isEmpty();
    assertThat(create.operation().failed()).isEqualTo(StackStatus.CREATE_FAILED);

    var delete = StackOperation.running(StackStatus.DELETE_IN_PROGRESS).orElseThrow();
    assertThat(delete.current().walk()).isEqualTo(Phase.Walk.CLEANUP);
    assertThat(delete.operation().removesStack()).isTrue();
    assertThat(delete.operation().onFailure(stack(false))).isEmpty();
    assertThat(List.of(delete.operation().complete(), delete.operation().failed()))
        .containsExactly(StackStatus.DELETE_COMPLETE, StackStatus.DELETE_FAILED);
  }

  @Test
  void updateIsProvisionThenCleanupOfTheNewVersionAndItsRollbackTheSameTowardsThePreviousOne() {
    var update = StackOperation.running(StackStatus.UPDATE_IN_PROGRESS).orElseThrow();
    assertThat(update.current().walk()).isEqualTo(Phase.Walk.PROVISION);
    var cleanup = update.next().orElseThrow();
    assertThat(cleanup.current()).isEqualTo(new Phase(StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
        Phase.Walk.CLEANUP, Phase.Target.CURRENT, true));
    assertThat(update.operation().complete()).isEqualTo(StackStatus.UPDATE_COMPLETE);

    // The stack's DisableRollback is its last operation's: the create's does not hold for an update.
    StackRecord v2 = stack(true).withNewVersion(new org.stacktician.engine.stack.TemplateVersion(2, "{\"v\":2}",
        List.of()), null, null).withDisableRollback(false);
    assertThat(update.operation().onFailure(v2.withDisableRollback(true))).as("UpdateStack's DisableRollback")
        .isEmpty();
    assertThat(update.operation().failed()).isEqualTo(StackStatus.UPDATE_FAILED);
    StackOperation rollback = update.operation().onFailure(v2).orElseThrow();
    assertThat(rollback.rollback()).isTrue();
    assertThat(rollback.phases()).extracting(Phase::running).containsExactly(StackStatus.UPDATE_ROLLBACK_IN_PROGRESS,
        StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS);
    assertThat(List.of(rollback.complete(), rollback.failed()))
        .containsExactly(StackStatus.UPDATE_ROLLBACK_COMPLETE, StackStatus.UPDATE_ROLLBACK_FAILED);
    StackRecord back = rollback.takingOver(v2);
    assertThat(back.templateVersion()).as("the previous version is current again").isEqualTo(1);
    assertThat(back.templateBody()).isEqualTo("{}");
    assertThat(back.previous().number()).isEqualTo(2);
    assertThat(back.nextVersion()).as("a later update never reuses the rolled-back version's number").isEqualTo(3);
  }
}
