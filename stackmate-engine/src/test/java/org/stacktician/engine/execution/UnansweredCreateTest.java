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
import org.stacktician.cloudstack.simulator.inventory.InventoryItem;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * A create that CloudStack carried out but never answered (the connection dropped): the rollback
 * finds the new resource by its name and deletes it, and never takes a same-named resource that
 * belongs to someone else (here: one a previous stack of the same name retained).
 */
class UnansweredCreateTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"}},
       "Resources": {
         "Data": {"Type": "CloudStack::Volume", "DeletionPolicy": "RetainExceptOnCreate", "Properties": {"name": "data",
                  "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}}}}
      """;

  @TempDir Path dir;
  SimulatedCloud cloud;
  LocalEngine local;
  Map<String, String> params;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud();
    local = LocalEngine.builder(cloud.client).stateDir(dir)
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build();
    params = Map.of("ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()),
        "DiskOfferingId", cloud.idOf("listDiskOfferings", "Small", Map.of()));
  }

  @AfterEach
  void stop() {
    local.close();
    cloud.close();
  }

  private StackRecord create(String name) throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of(name, TEMPLATE, params));
    return local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
  }

  private List<InventoryItem> volumes() {
    return cloud.simulator.inventory().created().stream().filter(i -> i.kind().equals("VOLUME")).toList();
  }

  @Test
  void theUnansweredCreateIsRolledBackAndTheRetainedNamesakeIsLeftAlone() throws Exception {
    StackRecord first = create("web");
    assertThat(first.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("web").stackId(), Duration.ofSeconds(60));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    List<InventoryItem> retained = volumes();
    assertThat(retained).singleElement().satisfies(v -> {
      assertThat(v.name()).isEqualTo("web-data");
      assertThat(v.tags()).containsEntry(StackTags.STACK_ID, first.stackId());
    });

    cloud.simulator.knobs().faults("createVolume", CommandFaults.dropNth(1, false)); // runs, answer lost
    StackRecord second = create("web");

    assertThat(second.status()).as(second.statusReason()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(volumes()).as("the retained volume of the first stack is still there, the new one is gone")
        .extracting(InventoryItem::id).containsExactly(retained.get(0).id());
  }
}
