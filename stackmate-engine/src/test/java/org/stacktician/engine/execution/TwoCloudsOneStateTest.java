package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * Two engines on one state file, each with a cloud of its own (two terminals, say: one on a
 * simulator, one on the real cloud): each runs only its own stacks, so no stack's resources are
 * ever created in the other's cloud.
 */
class TwoCloudsOneStateTest {
  @TempDir Path dir;

  private static LocalEngine engine(SimulatedCloud cloud, Path dir) {
    return cloud.engine(dir);
  }

  private static Map<String, String> params(SimulatedCloud cloud) {
    return cloud.volumeParameters();
  }

  @Test
  void eachEngineRunsOnlyTheStacksOfItsOwnCloud() throws Exception {
    try (SimulatedCloud one = new SimulatedCloud(); SimulatedCloud two = new SimulatedCloud();
        LocalEngine a = engine(one, dir); LocalEngine b = engine(two, dir)) {
      one.simulator.knobs().jobLatency(Latency.fixed(150));
      two.simulator.knobs().jobLatency(Latency.fixed(150));
      List<StackRecord> ofA = new ArrayList<>();
      List<StackRecord> ofB = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ofA.add(a.engine().createStack(CreateStackRequest.of("a-" + i, FaultyCloudStacksTest.TEMPLATE, params(one))));
        ofB.add(b.engine().createStack(CreateStackRequest.of("b-" + i, FaultyCloudStacksTest.TEMPLATE, params(two))));
      }
      for (StackRecord s : ofA) {
        StackRecord done = a.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
        assertThat(done.status()).as(done.stackName() + ": " + done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
      }
      for (StackRecord s : ofB) {
        StackRecord done = b.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
        assertThat(done.status()).as(done.stackName() + ": " + done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
      }
      assertThat(one.simulator.inventory().created()).as("cloud one holds only the a- stacks' volumes")
          .hasSize(20).allSatisfy(i -> assertThat(i.name()).startsWith("a-"));
      assertThat(two.simulator.inventory().created()).as("cloud two holds only the b- stacks' volumes")
          .hasSize(20).allSatisfy(i -> assertThat(i.name()).startsWith("b-"));
    }
  }

  @Test
  void aStackOfAnotherCloudIsRefusedClearlyAndResumedOnlyByItsOwnCloud() throws Exception {
    try (SimulatedCloud one = new SimulatedCloud(); SimulatedCloud two = new SimulatedCloud()) {
      one.simulator.knobs().jobLatency(Latency.fixed(1500));
      String stackId;
      try (LocalEngine a = engine(one, dir)) {
        stackId = a.engine().createStack(CreateStackRequest.of("left", FaultyCloudStacksTest.TEMPLATE, params(one)))
            .stackId();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (one.simulator.inventory().pendingJobs() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } // stopped mid-create
      try (LocalEngine b = engine(two, dir)) {
        Thread.sleep(500); // time enough to (wrongly) pick the stack up
        StackRecord left = b.engine().describeStack(stackId).orElseThrow();
        assertThat(left.status()).isEqualTo(StackStatus.CREATE_IN_PROGRESS);
        assertThat(b.engine().inThisCloud(left)).isFalse();
        assertThatThrownBy(() -> b.engine().deleteStack("left"))
            .isInstanceOf(org.stacktician.engine.StackOperationException.class)
            .hasMessageContaining("Stack left was created in another cloud (" + one.simulator.endpoint() + ")");
        assertThat(two.simulator.inventory().created()).isEmpty();
      }
      try (LocalEngine again = engine(one, dir)) {
        StackRecord done = again.engine().awaitSettled(stackId, Duration.ofSeconds(60));
        assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(one.simulator.inventory().created()).hasSize(5);
      }
    }
  }

  @Test
  void executionsRecordedBeforeTaskNamesNamedTheirCloudAreTakenOver() throws Exception {
    try (SimulatedCloud one = new SimulatedCloud()) {
      String stackId;
      one.simulator.knobs().jobLatency(Latency.fixed(1500));
      try (LocalEngine a = engine(one, dir)) {
        stackId = a.engine().createStack(CreateStackRequest.of("old", FaultyCloudStacksTest.TEMPLATE, params(one)))
            .stackId();
      }
      // As an earlier version left it: the bare task name, and no cloud on the stack.
      try (var db = org.stacktician.engine.state.EngineDatabase.h2File(dir);
          var c = db.dataSource().getConnection(); var st = c.createStatement()) {
        st.executeUpdate("UPDATE " + StackScheduler.TABLE + " SET task_name = '" + StackScheduler.TASK_NAME + "'");
        st.executeUpdate("UPDATE sm_stacks SET account_key = NULL");
      }
      try (LocalEngine again = engine(one, dir)) {
        StackRecord done = again.engine().awaitSettled(stackId, Duration.ofSeconds(60));
        assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(one.simulator.inventory().created()).hasSize(5);
      }
    }
  }

  @Test
  void aStackRecordedUnderAnotherSpellingOfTheEndpointIsInThisCloudAndResumes() throws Exception {
    try (SimulatedCloud one = new SimulatedCloud()) {
      String stackId;
      one.simulator.knobs().jobLatency(Latency.fixed(1500));
      String key;
      try (LocalEngine a = engine(one, dir)) {
        StackRecord s = a.engine().createStack(CreateStackRequest.of("slash", FaultyCloudStacksTest.TEMPLATE, params(one)));
        stackId = s.stackId();
        key = s.accountKey();
      }
      assertThat(key).startsWith(one.simulator.endpoint().toString().replaceAll("/+$", "") + "#");
      // As a version before canonical account keys recorded it for --endpoint http://HOST:PORT/client/api/
      String old = key.replace("#", "/#").replace("http://", "HTTP://");
      try (var db = org.stacktician.engine.state.EngineDatabase.h2File(dir);
          var c = db.dataSource().getConnection(); var st = c.createStatement()) {
        st.executeUpdate("UPDATE " + StackScheduler.TABLE + " SET task_name = '" + StackScheduler.taskName(old) + "'");
        st.executeUpdate("UPDATE sm_stacks SET account_key = '" + old + "'");
      }
      try (LocalEngine again = engine(one, dir)) {
        StackRecord left = again.engine().describeStack(stackId).orElseThrow();
        assertThat(again.engine().inThisCloud(left)).isTrue();
        StackRecord done = again.engine().awaitSettled(stackId, Duration.ofSeconds(60));
        assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(one.simulator.inventory().created()).hasSize(5);
        again.engine().deleteStack("slash");
        assertThat(again.engine().awaitSettled(stackId, Duration.ofSeconds(60)).status()).isEqualTo(StackStatus.DELETE_COMPLETE);
      }
    }
  }

  @Test
  void anExportOrStackOutputIsReadOnlyByStacksOfItsOwnCloud() throws Exception {
    String exporter = """
        {"Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
         "Outputs": {"Out": {"Value": "group-id-in-cloud-one", "Export": {"Name": "shared-group"}}}}
        """;
    String importer = """
        {"Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
         "Outputs": {"Got": {"Value": {"Fn::ImportValue": "shared-group"}}}}
        """;
    try (SimulatedCloud one = new SimulatedCloud(); SimulatedCloud two = new SimulatedCloud();
        LocalEngine a = engine(one, dir); LocalEngine b = engine(two, dir)) {
      StackRecord exported = a.engine().awaitSettled(
          a.engine().createStack(CreateStackRequest.of("exporter", exporter, Map.of())).stackId(), Duration.ofSeconds(30));
      assertThat(exported.status()).isEqualTo(StackStatus.CREATE_COMPLETE);

      assertThatThrownBy(() -> b.engine().createStack(CreateStackRequest.of("elsewhere", importer, Map.of())))
          .isInstanceOf(org.stacktician.engine.StackValidationException.class).hasMessageContaining("shared-group");
      StackRecord same = a.engine().awaitSettled(
          a.engine().createStack(CreateStackRequest.of("same-cloud", importer, Map.of())).stackId(), Duration.ofSeconds(30));
      assertThat(same.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(same.outputs()).singleElement().satisfies(o -> assertThat(o.value()).isEqualTo("group-id-in-cloud-one"));

      String reader = """
          {"Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
           "Outputs": {"Got": {"Value": {"Fn::GetStackOutput": {"StackName": "exporter", "OutputName": "Out"}}}}}
          """;
      assertThatThrownBy(() -> b.engine().createStack(CreateStackRequest.of("reader-elsewhere", reader, Map.of())))
          .isInstanceOf(org.stacktician.engine.StackValidationException.class)
          .hasMessageContaining("no output Out of a stack exporter in this cloud");
      StackRecord read = a.engine().awaitSettled(
          a.engine().createStack(CreateStackRequest.of("reader", reader, Map.of())).stackId(), Duration.ofSeconds(30));
      assertThat(read.outputs()).singleElement().satisfies(o -> assertThat(o.value()).isEqualTo("group-id-in-cloud-one"));
    }
  }
}
