package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/** A VM whose deploy job never ends: the resource times out and the rollback removes what the cloud holds. */
class HangingJobTest extends SimulatedEngineTest {
  @Override
  protected EngineOptions options() {
    return EngineOptions.defaults().withResourceTimeout(Duration.ofSeconds(2));
  }

  @Test
  void aHangingDeployTimesOutAndIsRolledBack() throws Exception {
    cloud.simulator.knobs().faults("deployVirtualMachine", CommandFaults.hanging());
    Map<String, String> params = cloud.machineParameters();
    StackRecord s = local.engine().createStack(CreateStackRequest.of("stuck",
        org.stacktician.engine.SimulatorStackTest.TEMPLATE, params));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));

    assertThat(local.engine().events(done.stackId(), 0)).anySatisfy(e -> {
      assertThat(e.status()).isEqualTo("CREATE_FAILED");
      assertThat(e.statusReason()).contains("timed out");
    });
    assertThat(done.status()).as(done.statusReason() + " " + local.engine().resources(done.stackId()).stream()
        .map(r -> r.logicalId() + " " + r.status() + " " + r.statusReason()).toList()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(cloud.simulator.inventory().created()).as("nothing left").isEmpty();
  }

  @Test
  void theStackTimeOutFiresWhileAJobIsInFlightCancelsItAndRollsBack() throws Exception {
    local.close();
    // One time-out unit lasts a second here (a minute in the CLI); the resource limit is an hour.
    local = cloud.engine(dir, EngineOptions.defaults().withStackTimeoutUnit(Duration.ofSeconds(1)));
    cloud.simulator.knobs().faults("deployVirtualMachine", CommandFaults.hanging());
    StackRecord s = local.engine().createStack(new CreateStackRequest("late",
        org.stacktician.engine.SimulatorStackTest.TEMPLATE, "template", cloud.machineParameters(), false, 8, null));
    long started = System.nanoTime();
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(90));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(took).as("failed at its time (8 units), not the resource's hour").isLessThan(Duration.ofSeconds(60));
    var events = local.engine().events(done.stackId(), 0);
    assertThat(events).anySatisfy(e -> {
      assertThat(e.logicalId()).isEqualTo("Vm1");
      assertThat(e.status()).isEqualTo("CREATE_FAILED");
      assertThat(e.statusReason()).isEqualTo("Resource creation cancelled");
    });
    assertThat(events).anySatisfy(e -> {
      assertThat(e.aboutStack()).isTrue();
      assertThat(e.status()).isEqualTo("ROLLBACK_IN_PROGRESS");
      assertThat(e.statusReason()).startsWith("Stack creation time exceeded the specified timeout of 8 minute(s).");
    });
    // Checked through the CloudStack API: the machine whose deploy never ended is gone too.
    assertThat(cloud.client.list("listVirtualMachines", Map.of())).as("no machine left").isEmpty();
    assertThat(cloud.client.list("listSecurityGroups", Map.of())).as("only the default group")
        .allSatisfy(g -> assertThat(g.path("name").asText()).isEqualTo("default"));
  }
}
