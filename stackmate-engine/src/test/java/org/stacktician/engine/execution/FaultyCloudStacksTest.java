package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * Many stacks at once on a cloud that fails jobs, refuses deletes and drops answers at random
 * (after carrying the request out): every stack settles, a rolled-back stack leaves nothing of its
 * own behind, and once the cloud behaves, deleting every stack (again where a delete failed)
 * empties the cloud.
 */
class FaultyCloudStacksTest extends SimulatedEngineTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"}},
       "Resources": {
         "A1": {"Type": "CloudStack::Volume", "Properties": {"zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "A2": {"Type": "CloudStack::Volume", "Properties": {"zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "A3": {"Type": "CloudStack::Volume", "Properties": {"zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "B1": {"Type": "CloudStack::Volume", "DependsOn": ["A1", "A2", "A3"],
                "Properties": {"zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "B2": {"Type": "CloudStack::Volume", "DependsOn": ["A1", "A2", "A3"],
                "Properties": {"zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}}}}
      """;
  static final int STACKS = 24;

  Map<String, String> params;

  @BeforeEach
  void start() {
    params = cloud.volumeParameters();
  }

  @Test
  void machinesGroupsAndWaitConditionsToo() throws Exception {
    var knobs = cloud.simulator.knobs();
    knobs.jobLatency(Latency.uniform(0, 60));
    for (String command : List.of("createSecurityGroup", "authorizeSecurityGroupIngress", "deployVirtualMachine",
        "destroyVirtualMachine", "deleteSecurityGroup", "revokeSecurityGroupIngress")) {
      knobs.faults(command, new CommandFaults(0.05, 530, null, 0.05, null, false, null, null));
    }
    knobs.faults("createTags", CommandFaults.dropRate(0.1));
    Map<String, String> vmParams = cloud.machineParameters();

    List<StackRecord> started = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      started.add(local.engine().createStack(CreateStackRequest.of("web-" + i,
          org.stacktician.engine.SimulatorStackTest.TEMPLATE, vmParams)));
    }
    Map<StackStatus, Integer> outcomes = SimulatedCloud.settleAll(cloud.simulator, local.engine(), started);
    assertThat(outcomes.getOrDefault(StackStatus.CREATE_COMPLETE, 0)).as("the faults bit: " + outcomes).isLessThan(10);
    knobs.reset();
    SimulatedCloud.deleteAll(local.engine(), started);
    assertThat(cloud.simulator.inventory().created()).as("nothing left in the cloud (outcomes " + outcomes + ")")
        .isEmpty();
  }

  @Test
  void everyStackSettlesAndNothingIsLeftOnceAllAreDeleted() throws Exception {
    var knobs = cloud.simulator.knobs();
    knobs.jobLatency(Latency.uniform(0, 40));
    knobs.faults("createVolume", new CommandFaults(0.06, 530, null, 0.06, null, false, null, null));
    knobs.faults("deleteVolume", new CommandFaults(0.06, 530, null, 0.04, null, false, null, null));
    knobs.faults("createTags", CommandFaults.dropRate(0.1));
    knobs.faults("queryAsyncJobResult", CommandFaults.dropRate(0.05));

    List<StackRecord> started = new ArrayList<>();
    for (int i = 0; i < STACKS; i++) {
      started.add(local.engine().createStack(CreateStackRequest.of("chaos-" + i, TEMPLATE, params)));
    }
    Map<StackStatus, Integer> outcomes = SimulatedCloud.settleAll(cloud.simulator, local.engine(), started);
    assertThat(outcomes).as("the faults bit: some stacks rolled back").containsKey(StackStatus.ROLLBACK_COMPLETE);

    knobs.reset();
    SimulatedCloud.deleteAll(local.engine(), started);
    assertThat(cloud.simulator.inventory().created()).as("nothing left in the cloud (outcomes " + outcomes + ")")
        .isEmpty();
  }
}
