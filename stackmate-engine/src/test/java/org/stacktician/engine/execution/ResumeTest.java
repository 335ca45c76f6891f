package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.EngineFixture;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.TestCloud;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * A stack continues in a new engine on the same H2 file after the first one stopped mid-create:
 * known jobs are polled again, and a create whose answer was lost is looked up by tag, not repeated.
 */
class ResumeTest {
  static final String CHAIN = """
      {"Resources": {
        "One": {"Type": "Test::Thing", "Properties": {"LatencyMs": 700}},
        "Two": {"Type": "Test::Thing", "Properties": {"LatencyMs": 300, "After": {"Ref": "One"}}},
        "Three": {"Type": "Test::Thing", "Properties": {"After": {"Ref": "Two"}}}}}
      """;

  @TempDir Path dir;

  @Test
  void aNewEngineOnTheSameFileFinishesTheStackWithoutDuplicates() throws Exception {
    TestCloud cloud = new TestCloud();
    String stackId;
    try (StackEngine first = EngineFixture.start(dir, cloud)) {
      stackId = first.createStack(CreateStackRequest.of("resumed", CHAIN, Map.of())).stackId();
      waitUntil(() -> first.store().resources(stackId).get(0).callbackContext() != null);
    }
    assertThat(cloud.createsAccepted()).isEqualTo(1);

    try (StackEngine second = EngineFixture.start(dir, cloud)) {
      StackRecord done = second.awaitSettled(stackId, Duration.ofSeconds(30));
      assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(cloud.createsAccepted()).as("each resource created once").isEqualTo(3);
      assertThat(cloud.inventory()).hasSize(3);
      assertThat(second.resources(stackId)).allSatisfy(r ->
          assertThat(r.status()).isEqualTo(ResourceStatus.CREATE_COMPLETE));
    }
  }

  @Test
  void aCreateWhoseAnswerWasLostIsFoundByItsTagsInsteadOfBeingRepeated() throws Exception {
    TestCloud cloud = new TestCloud().crashAfterAcceptOf("One");
    String stackId;
    try (StackEngine first = EngineFixture.start(dir, cloud)) {
      stackId = first.createStack(CreateStackRequest.of("lost", """
          {"Resources": {"One": {"Type": "Test::Thing"}, "Two": {"Type": "Test::Thing", "DependsOn": "One"}}}
          """, Map.of())).stackId();
      waitUntil(() -> cloud.createsAccepted() == 1);
      ResourceRecord one = first.store().resources(stackId).get(0);
      assertThat(one.status()).isEqualTo(ResourceStatus.CREATE_IN_PROGRESS);
      assertThat(one.physicalId()).isNull();
    }

    try (StackEngine second = EngineFixture.start(dir, cloud)) {
      StackRecord done = second.awaitSettled(stackId, Duration.ofSeconds(30));
      assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(cloud.createsAccepted()).as("One was found, not created again").isEqualTo(2);
      assertThat(cloud.inventory()).hasSize(2);
    }
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 20 s");
      }
      Thread.sleep(20);
    }
  }
}
