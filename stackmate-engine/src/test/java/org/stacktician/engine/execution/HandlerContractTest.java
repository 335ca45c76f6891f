package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.EngineFixture;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * The handler contract is checked where the engine calls handlers: a read that answers "in
 * progress" (or "found" without an id) is reported as the handler's defect — the rollback fails and
 * says so — instead of being taken as "nothing to delete"; every call says its action and whether
 * it rolls back.
 */
class HandlerContractTest {
  static final String TYPE = "Test::BadRead";

  @TempDir Path dir;
  StackEngine engine;
  final List<String> calls = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  /** A create that fails after it may have reached the cloud, and a read that breaks the contract. */
  private ResourceProvider provider(ProgressEvent readAnswer) {
    ResourceHandler handler = new ResourceHandler() {
      @Override
      public ProgressEvent create(ResourceRequest r) {
        calls.add(r.action() + " rollback=" + r.rollback());
        return ProgressEvent.failed(ErrorCode.NETWORK_FAILURE, "the answer was lost");
      }

      @Override
      public ProgressEvent read(ResourceRequest r) {
        calls.add(r.action() + " rollback=" + r.rollback());
        return readAnswer;
      }

      @Override
      public ProgressEvent delete(ResourceRequest r) {
        calls.add(r.action() + " rollback=" + r.rollback());
        return ProgressEvent.success(null);
      }
    };
    return new ResourceProvider() {
      @Override
      public String name() {
        return "bad-read";
      }

      @Override
      public Set<String> types(ProviderContext context) {
        return Set.of(TYPE);
      }

      @Override
      public Optional<ResourceHandler> handler(String type, ProviderContext context) {
        return TYPE.equals(type) ? Optional.of(handler) : Optional.empty();
      }
    };
  }

  private StackRecord createFailingStack(ProgressEvent readAnswer) throws Exception {
    engine = EngineFixture.start(dir, provider(readAnswer), EngineFixture.fastOptions());
    return EngineFixture.createAndWait(engine, "contract", "{\"Resources\": {\"Thing\": {\"Type\": \"" + TYPE + "\"}}}");
  }

  @Test
  void aReadAnsweringInProgressIsReportedAsTheHandlersDefectNotTakenAsDeleted() throws Exception {
    StackRecord done = createFailingStack(ProgressEvent.inProgress(java.time.Duration.ofSeconds(1), "looking"));

    assertThat(done.status()).as("the resource's state is unknown: the rollback cannot complete")
        .isEqualTo(StackStatus.ROLLBACK_FAILED);
    assertThat(engine.events(done.stackId(), 0)).filteredOn(e -> e.logicalId().equals("Thing")
        && e.status().equals("DELETE_FAILED")).singleElement()
        .satisfies(e -> assertThat(e.statusReason()).startsWith("Defect in the handler of " + TYPE + " (Thing):")
            .contains("its read answered IN_PROGRESS"));
    assertThat(calls).as("every call says its action and whether it rolls back")
        .containsExactly("CREATE rollback=false", "READ rollback=true");
  }

  @Test
  void aReadFindingSomethingWithoutAnIdIsADefectToo() throws Exception {
    StackRecord done = createFailingStack(ProgressEvent.success(null));

    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_FAILED);
    assertThat(engine.events(done.stackId(), 0)).anySatisfy(e -> assertThat(e.statusReason())
        .contains("its read answered SUCCESS without a physical id"));
  }

  @Test
  void aReadThatFindsNothingLetsTheRollbackComplete() throws Exception {
    StackRecord done = createFailingStack(ProgressEvent.failed(ErrorCode.NOT_FOUND, "none"));

    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(calls).containsExactly("CREATE rollback=false", "READ rollback=true");
  }
}
