package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.stack.TemplateVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.waitcondition.Signal;

/**
 * The state store on a real H2 file: signals, signing key, stored templates survive reopening;
 * changes made for an earlier operation of a stack are refused; rows of two template versions of
 * one logical id live side by side; a new template version is kept with the previous one.
 */
class JdbiStateStoreTest {
  @TempDir Path dir;

  @Test
  void signalsReplaceByUniqueIdAndSurviveReopening() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      StoreSignalStore signals = new StoreSignalStore(new JdbiStateStore(db));
      signals.record("stack-1", "Handle", new Signal(Signal.Status.SUCCESS, "first", "i-1", "d1", t));
      signals.record("stack-1", "Handle", new Signal(Signal.Status.FAILURE, "again", "i-1", "d2", t.plusSeconds(1)));
      signals.record("stack-1", "Handle", new Signal(Signal.Status.SUCCESS, "", "i-2", "", t.plusSeconds(2)));
      signals.record("stack-1", "Other", new Signal(Signal.Status.SUCCESS, "", "i-3", "", t));
    }
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      StoreSignalStore signals = new StoreSignalStore(new JdbiStateStore(db));
      assertThat(signals.signals("stack-1", "Handle")).extracting(s -> s.uniqueId() + ":" + s.status() + ":" + s.data())
          .containsExactlyInAnyOrder("i-1:FAILURE:d2", "i-2:SUCCESS:");
      signals.deleteStack("stack-1");
      assertThat(signals.signals("stack-1", "Other")).isEmpty();
    }
  }

  @Test
  void aHandleHoldsAtMostTheLimitOfUniqueIds() {
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      assertThat(store.recordSignal("stack-1", "H", "a", "{}", 2)).isEqualTo(StateStore.SignalOutcome.RECORDED);
      assertThat(store.recordSignal("stack-1", "H", "b", "{}", 2)).isEqualTo(StateStore.SignalOutcome.RECORDED);
      assertThat(store.recordSignal("stack-1", "H", "c", "{}", 2)).as("a third id").isEqualTo(StateStore.SignalOutcome.HANDLE_FULL);
      assertThat(store.recordSignal("stack-1", "H", "a", "{\"again\":1}", 2)).as("a repeated id replaces")
          .isEqualTo(StateStore.SignalOutcome.RECORDED);
      assertThat(store.signals("stack-1", "H")).extracting(StateStore.SignalRecord::uniqueId).containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  void noSignalOutlivesTheFinalDeleteOfItsStackEvenWhenTheyRace() throws Exception {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      for (int round = 0; round < 20; round++) {
        StackRecord creating = new StackRecord("arn:s/race/" + round, "race" + round, StackStatus.CREATE_IN_PROGRESS,
            null, null, "{}", List.of(), List.of(), null, false, null, null, t, t, t);
        store.createStack(creating, List.of(), event(creating, t));
        StackRecord deleted = creating.withStatus(StackStatus.DELETE_COMPLETE, null, t);
        java.util.concurrent.CompletableFuture<StateStore.SignalOutcome> signal =
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> store.recordSignal(creating.stackId(), "H", "late", "{}", 10));
        store.commit(new StateStore.Changes(deleted, List.of(), List.of(), List.of(), creating.stackId()));
        StateStore.SignalOutcome outcome = signal.get();
        assertThat(outcome).isIn(StateStore.SignalOutcome.RECORDED, StateStore.SignalOutcome.STACK_DELETED);
        assertThat(store.signals(creating.stackId(), "H")).as("round %d: %s", round, outcome).isEmpty();
        assertThat(store.recordSignal(creating.stackId(), "H", "after", "{}", 10)).as("a signal after the delete")
            .isEqualTo(StateStore.SignalOutcome.STACK_DELETED);
      }
    }
  }

  @Test
  void theSigningKeyIsMadeOnceAndKept() {
    byte[] first;
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      first = new JdbiStateStore(db).signingKey();
      assertThat(first).hasSizeGreaterThanOrEqualTo(32);
    }
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      assertThat(new JdbiStateStore(db).signingKey()).isEqualTo(first);
    }
  }

  @Test
  void storedTemplatesAreReplacedByName() {
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      store.storeTemplate("base", "{}");
      store.storeTemplate("base", "{\"Resources\":{}}");
      assertThat(store.storedTemplate("base")).contains("{\"Resources\":{}}");
      assertThat(store.storedTemplate("none")).isEmpty();
    }
  }

  private static StackRecord stack(Instant t) {
    return new StackRecord("arn:s/ops/1", "ops", StackStatus.CREATE_IN_PROGRESS, "User Initiated", null, "{}",
        List.of(new StackParameter("Size", "1", false)), List.of(), null, false, null, null, t, t, t);
  }

  private static StackEvent event(StackRecord s, Instant t) {
    return new StackEvent(0, java.util.UUID.randomUUID().toString(), s.stackId(), s.stackName(), s.stackName(),
        s.stackId(), StackEvent.STACK_TYPE, t, s.status().name(), s.statusReason(), null);
  }

  @Test
  void changesMadeForAnEarlierOperationAreRefusedAndChangeNothing() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      StackRecord creating = stack(t);
      ResourceRecord vm = ResourceRecord.planned(creating.stackId(), 1, "Vm", "CloudStack::VirtualMachine", List.of(),
          null, null, null, t);
      store.createStack(creating, List.of(vm), event(creating, t));
      // The create fails and its rollback starts: a new operation phase with a new id.
      StackRecord rollingBack = creating.withStatus(StackStatus.ROLLBACK_IN_PROGRESS, "failed", t.plusSeconds(1))
          .withOperationStarted(t.plusSeconds(1));
      store.commit(StateStore.Changes.of(rollingBack, List.of(), List.of(event(rollingBack, t)))
          .forOperation(creating.stackId(), creating.operationId()));
      // A late create result, made for the create phase, arrives after that.
      ResourceRecord late = vm.toBuilder().status(ResourceStatus.CREATE_COMPLETE).physicalId("vm-1")
          .updatedAt(t.plusSeconds(2)).build();
      assertThatThrownBy(() -> store.commit(StateStore.Changes.of(null, List.of(late), List.of())
          .forOperation(creating.stackId(), creating.operationId())))
          .isInstanceOf(StaleOperationException.class)
          .hasMessageContaining(creating.operationId()).hasMessageContaining(rollingBack.operationId());
      assertThat(store.resources(creating.stackId()).get(0).status()).as("nothing of the late result is kept").isNull();
      assertThat(store.findStack("ops").orElseThrow().operationId()).isEqualTo(rollingBack.operationId());
      store.commit(StateStore.Changes.of(null, List.of(late), List.of())
          .forOperation(creating.stackId(), rollingBack.operationId()));
      assertThat(store.resources(creating.stackId()).get(0).physicalId()).isEqualTo("vm-1");
    }
  }

  @Test
  void rowsOfTwoVersionsOfOneLogicalIdAndTheTemplateVersionsAreKept() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      StackRecord v1 = stack(t);
      ResourceRecord old = ResourceRecord.planned(v1.stackId(), 1, "Vm", "CloudStack::VirtualMachine", List.of(),
          null, null, null, t).toBuilder().status(ResourceStatus.CREATE_COMPLETE).physicalId("vm-1").build();
      store.createStack(v1, List.of(old), event(v1, t));
      StackRecord v2 = new StackRecord(v1.stackId(), v1.stackName(), StackStatus.UPDATE_IN_PROGRESS, null, null,
          "{\"v\":2}", List.of(new StackParameter("Size", "2", false)), List.of(), null, false, null, null, t, t, t,
          2, v1.current(), StackRecord.newOperationId(), null, false, null);
      ResourceRecord replacement = new ResourceRecord(ResourceRecord.newId(), v1.stackId(), "Vm",
          "CloudStack::VirtualMachine", null, null, null, List.of(), null, java.util.Map.of(), null, null, null, null,
          null, null, t, 2, old.resourceId(), null, "Retain");
      store.commit(StateStore.Changes.of(v2, List.of(replacement), List.of())
          .forOperation(v1.stackId(), v1.operationId()));
    }
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      StackRecord s = store.findStack("ops").orElseThrow();
      assertThat(s.templateVersion()).isEqualTo(2);
      assertThat(s.templateBody()).isEqualTo("{\"v\":2}");
      assertThat(s.parameters()).containsExactly(new StackParameter("Size", "2", false));
      assertThat(s.previous()).isEqualTo(new TemplateVersion(1, "{}", List.of(new StackParameter("Size", "1", false))));
      assertThat(s.version(1)).contains(s.previous());
      List<ResourceRecord> rows = store.resources(s.stackId());
      assertThat(rows).extracting(r -> r.logicalId() + " v" + r.templateVersion() + " " + r.physicalId())
          .containsExactly("Vm v1 vm-1", "Vm v2 null");
      assertThat(rows.get(1).replaces()).isEqualTo(rows.get(0).resourceId());
      assertThat(rows.get(1).updateReplacePolicy()).as("UpdateReplacePolicy is kept").isEqualTo("Retain");
    }
  }
}
