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
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/** A VM whose deploy job never ends: the resource times out and the rollback removes what the cloud holds. */
class HangingJobTest {
  @TempDir Path dir;
  SimulatedCloud cloud;
  LocalEngine local;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud();
    local = cloud.engine(dir, EngineOptions.defaults().withResourceTimeout(Duration.ofSeconds(2)));
  }

  @AfterEach
  void stop() {
    local.close();
    cloud.close();
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
}
