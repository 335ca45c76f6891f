package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/** A delete the cloud refuses once with an internal error is tried again; one that keeps failing ends DELETE_FAILED. */
class DeleteRetryTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"}},
       "Resources": {"Data": {"Type": "CloudStack::Volume",
         "Properties": {"zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}}}}
      """;

  @TempDir Path dir;
  SimulatedCloud cloud;
  LocalEngine local;
  StackRecord created;

  @BeforeEach
  void start() throws Exception {
    cloud = new SimulatedCloud();
    local = cloud.engine(dir, EngineOptions.defaults().withDeleteRetryWindow(Duration.ofSeconds(4)));
    Map<String, String> params = cloud.volumeParameters();
    created = local.engine().awaitSettled(
        local.engine().createStack(CreateStackRequest.of("retried", TEMPLATE, params)).stackId(), Duration.ofSeconds(30));
    assertThat(created.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
  }

  @AfterEach
  void stop() {
    local.close();
    cloud.close();
  }

  private List<String> resourceEvents() {
    return local.engine().events(created.stackId(), 0).stream().filter(e -> !e.aboutStack())
        .map(StackEvent::status).toList();
  }

  @Test
  void aDeleteRefusedOnceIsTriedAgainAndCompletes() throws Exception {
    cloud.simulator.knobs().faults("deleteVolume", CommandFaults.failNth(1, 530));
    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("retried").stackId(),
        Duration.ofSeconds(30));

    assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(resourceEvents()).containsSubsequence("DELETE_IN_PROGRESS", "DELETE_COMPLETE")
        .doesNotContain("DELETE_FAILED");
    assertThat(cloud.simulator.inventory().created()).isEmpty();
  }

  @Test
  void aDeleteThatKeepsFailingEndsDeleteFailedWithTheCloudsError() throws Exception {
    cloud.simulator.knobs().faults("deleteVolume", CommandFaults.errorRate(1.0, 530));
    long start = System.nanoTime();
    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("retried").stackId(),
        Duration.ofSeconds(30));

    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_FAILED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("tried for the retry window first")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    assertThat(local.engine().resources(created.stackId())).singleElement()
        .satisfies(r -> assertThat(r.statusReason()).contains("530"));
    assertThat(cloud.simulator.inventory().created()).hasSize(1);
  }
}
