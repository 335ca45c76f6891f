package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * A create killed between its cloud call and recording the job id: the next engine finds the
 * resource by its name and gives it the tags its create would have given it, so that a later
 * {@code delete-stack --by-tags} finds it.
 */
class AdoptedResourceTagsTest extends SimulatedEngineTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"}},
       "Resources": {
         "Data": {"Type": "CloudStack::Volume", "Properties": {"name": "data", "zoneid": {"Ref": "ZoneId"},
                  "diskofferingid": {"Ref": "DiskOfferingId"}, "tags": [{"key": "team", "value": "storage"}]}}}}
      """;

  @Test
  void aResourceFoundByNameAfterAKillGetsTheTagsOfItsCreate() throws Exception {
    cloud.simulator.knobs().faults("createVolume", CommandFaults.latency(Latency.fixed(1500)));
    StackRecord s = local.engine().createStack(CreateStackRequest.of("adopt", TEMPLATE, cloud.volumeParameters()));
    StateStore store = local.engine().store();
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (store.resources(s.stackId()).stream().noneMatch(r -> r.callbackContext() != null)) {
      assertThat(System.nanoTime()).as("the create job was never recorded").isLessThan(until);
      Thread.sleep(20);
    }
    local.close();
    local = null;
    // As if the process had died after the createVolume call but before recording its job id.
    try (var db = org.stacktician.engine.state.EngineDatabase.h2File(dir)) {
      StateStore offline = new org.stacktician.engine.state.JdbiStateStore(db);
      ResourceRecord data = offline.resources(s.stackId()).getFirst();
      offline.commit(StateStore.Changes.of(null, List.of(data.toBuilder().callbackContext(null).nextCallAt(null).build()),
          List.of()));
    }
    SimulatedCloud.eventually(() -> assertThat(cloud.client.list("listVolumes", Map.of("name", "adopt-data")))
        .singleElement().satisfies(v -> assertThat(v.path("state").asText()).isEqualTo("Allocated")));

    local = cloud.engine(dir);
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);

    List<JsonNode> volumes = cloud.client.list("listVolumes", Map.of("name", "adopt-data"));
    assertThat(volumes).as("adopted, not created twice").hasSize(1);
    String id = volumes.get(0).path("id").asText();
    SimulatedCloud.eventually(() -> {
      Map<String, String> tags = new HashMap<>();
      for (JsonNode t : cloud.client.list("listTags", Map.of("resourceid", id))) {
        tags.put(t.path("key").asText(), t.path("value").asText());
      }
      assertThat(tags).containsEntry(StackTags.STACK_ID, s.stackId()).containsEntry(StackTags.STACK_NAME, "adopt")
          .containsEntry(StackTags.LOGICAL_ID, "Data").containsEntry(StackTags.TYPE, "CloudStack::Volume")
          .containsEntry("team", "storage");
    });
  }
}
