package org.stacktician.engine.nested;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.callback.UrlSigner;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.testing.HoldingStore;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * The order {@link NestedStackTimeoutTest} leaves to chance, made: the nested stack sees its parent's time is up
 * before the parent does (the parent's move to its rollback waits until the nested stack has settled). The nested
 * stack's own rollback must not be cancelled by the parent's time-out it rolls back for, so that the parent's rollback
 * finds it rolled back and completes.
 */
class NestedStackTimeoutOrderTest {
  @TempDir Path dir;
  SimulatedCloud cloud;
  HoldingStore holding;
  StackEngine engine;
  /** Set once the stacks are in place: the parent's next move to a rollback waits for its nested stacks. */
  volatile boolean armed;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud();
    EngineDatabase db = EngineDatabase.h2File(dir);
    JdbiStateStore real = new JdbiStateStore(db);
    holding = HoldingStore.over(real, c -> armed && c.stack() != null && c.stack().parentStackId() == null
        && (c.stack().status() == StackStatus.UPDATE_ROLLBACK_IN_PROGRESS
            || c.stack().status() == StackStatus.ROLLBACK_IN_PROGRESS),
        store -> store.findStack("outer").map(p -> store.childStacks(p.stackId()).stream()
            .allMatch(child -> child.status().settled())).orElse(true));
    // Nobody signals the nested wait: its handle's URL only has to exist.
    UrlSigner signer = new UrlSigner(real::signingKey, URI.create("http://127.0.0.1:9/"));
    engine = StackEngine.builder().database(db).store(holding.store())
        .providerContext(cloud.base.toBuilder().urlSigner(signer).build())
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))
            .withStackTimeoutUnit(Duration.ofSeconds(1)))
        .build();
    engine.start();
  }

  @AfterEach
  void stop() {
    engine.close();
    cloud.close();
  }

  private String parent(String childTemplate, String file) throws Exception {
    return NestedStackTimeoutTest.PARENT.formatted(Files.writeString(dir.resolve(file), childTemplate).toUri());
  }

  private List<String> history(String stackId) {
    return engine.events(stackId, 0).stream().map(e -> e.logicalId() + " " + e.status()
        + (e.statusReason() == null ? "" : " (" + e.statusReason() + ")")).toList();
  }

  /** The parent's move to its rollback waited until the nested stack had settled: the order was made. */
  private void assertNestedStackSawTheTimeOutFirst() {
    assertThat(holding.limitReached()).as("the nested stack settled while its parent waited").isFalse();
    assertThat(holding.heldCommits()).isPositive();
  }

  @Test
  void aNestedStackThatSeesItsParentsUpdateTimeOutFirstRollsBackAndTheParentsRollbackCompletes() throws Exception {
    StackRecord created = engine.awaitSettled(engine.createStack(new CreateStackRequest("outer",
        parent(NestedStackTimeoutTest.QUICK_CHILD, "quick.json"), "template", Map.of(), false, 5, null)).stackId(),
        Duration.ofSeconds(60));
    assertThat(created.status()).as(created.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    StackRecord child = engine.store().childStacks(created.stackId()).get(0);
    armed = true;

    StackRecord done = engine.awaitSettled(engine.updateStack("outer", new UpdateRequest(
        parent(NestedStackTimeoutTest.WAITING_CHILD, "waiting.json"), Map.of())).stackId(), Duration.ofSeconds(120));

    assertNestedStackSawTheTimeOutFirst();
    assertThat(done.status()).as("parent: " + history(done.stackId()) + "; nested stack: " + history(child.stackId()))
        .isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    StackRecord after = engine.describeStack(child.stackId()).orElseThrow();
    assertThat(after.status()).as("nested stack: " + history(child.stackId()))
        .isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(history(child.stackId())).contains(child.stackName() + " UPDATE_ROLLBACK_IN_PROGRESS (Stack update"
        + " cancelled: the update of its parent stack outer exceeded the specified timeout of 5 minute(s).)");
    assertThat(engine.resources(child.stackId())).as("the nested stack is back to its group alone")
        .filteredOn(r -> r.status() != null && !r.status().gone()).extracting(r -> r.logicalId())
        .containsExactly("Group");
    assertThat(cloud.client.list("listSecurityGroups", Map.of())).extracting(g -> g.path("name").asText())
        .containsExactlyInAnyOrder("default", child.stackName() + "-g");
  }

  @Test
  void aNestedStackThatSeesItsParentsCreationTimeOutFirstRollsBackAndTheParentDeletesIt() throws Exception {
    armed = true;
    StackRecord done = engine.awaitSettled(engine.createStack(new CreateStackRequest("outer",
        parent(NestedStackTimeoutTest.WAITING_CHILD, "child.json"), "template", Map.of(), false, 5, null)).stackId(),
        Duration.ofSeconds(120));

    assertNestedStackSawTheTimeOutFirst();
    StackRecord child = engine.store().childStacks(done.stackId()).get(0);
    assertThat(history(child.stackId())).anyMatch(e -> e.startsWith(child.stackName() + " ROLLBACK_IN_PROGRESS"
        + " (Stack creation cancelled: the creation of its parent stack outer exceeded the specified timeout of 5"
        + " minute(s)."));
    assertThat(done.status()).as("parent: " + history(done.stackId())).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(child.status()).as("nested stack: " + history(child.stackId())).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.client.list("listSecurityGroups", Map.of())).extracting(g -> g.path("name").asText())
        .containsOnly("default");
  }
}
