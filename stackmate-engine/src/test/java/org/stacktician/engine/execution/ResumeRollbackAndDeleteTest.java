package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * A process that stops while a rollback or a delete waits on the cloud (a VM's destroy job): the
 * next engine on the same state file finishes it, each resource deleted once, the cloud left empty.
 */
class ResumeRollbackAndDeleteTest {
  static final String TEMPLATE = org.stacktician.engine.SimulatorStackTest.TEMPLATE;

  @TempDir Path dir;
  SimulatedCloud cloud;
  Map<String, String> params;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud();
    params = cloud.machineParameters();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private LocalEngine engine() {
    return cloud.engine(dir);
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private long deleteEvents(LocalEngine local, String stackId, String status) {
    return local.engine().events(stackId, 0).stream().filter(e -> !e.aboutStack())
        .map(StackEvent::status).filter(status::equals).count();
  }

  @Test
  void aRollbackInterruptedWhileDeletesRunIsFinishedByTheNextProcess() throws Exception {
    cloud.simulator.knobs().faults("deployVirtualMachine", CommandFaults.failNth(2, 530)); // the second VM fails
    cloud.simulator.knobs().faults("destroyVirtualMachine", CommandFaults.latency(Latency.fixed(1500)));
    String stackId;
    try (LocalEngine first = engine()) {
      stackId = first.engine().createStack(CreateStackRequest.of("rb", TEMPLATE, params)).stackId();
      await(() -> first.engine().describeStack(stackId).orElseThrow().status() == StackStatus.ROLLBACK_IN_PROGRESS
          && cloud.simulator.inventory().pendingJobs() > 0, "the rollback's deletes are in flight");
    }
    try (LocalEngine second = engine()) {
      StackRecord done = second.engine().awaitSettled(stackId, Duration.ofSeconds(60));
      assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
      assertThat(cloud.simulator.inventory().created()).isEmpty();
      assertThat(deleteEvents(second, stackId, "DELETE_FAILED")).isZero();
    }
  }

  @Test
  void aDeleteInterruptedWhileDeletesRunIsFinishedByTheNextProcess() throws Exception {
    String stackId;
    try (LocalEngine first = engine()) {
      stackId = first.engine().createStack(CreateStackRequest.of("del", TEMPLATE, params)).stackId();
      assertThat(first.engine().awaitSettled(stackId, Duration.ofSeconds(60)).status()).isEqualTo(StackStatus.CREATE_COMPLETE);
      cloud.simulator.knobs().faults("destroyVirtualMachine", CommandFaults.latency(Latency.fixed(1500)));
      first.engine().deleteStack(stackId);
      await(() -> cloud.simulator.inventory().pendingJobs() > 0, "the first deletes are in flight");
    }
    try (LocalEngine second = engine()) {
      StackRecord done = second.engine().awaitSettled(stackId, Duration.ofSeconds(60));
      assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
      assertThat(cloud.simulator.inventory().created()).isEmpty();
      assertThat(deleteEvents(second, stackId, "DELETE_COMPLETE")).as("each resource deleted once").isEqualTo(6);
      assertThat(deleteEvents(second, stackId, "DELETE_FAILED")).isZero();
    }
  }
}
