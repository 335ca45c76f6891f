package org.stacktician.engine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.testing.SharedFiles;

/**
 * The original templates all at once on a cloud where every call may fail or lose its answer:
 * each stack settles (complete or rolled back), and once the cloud behaves, deleting them all
 * (again where a delete failed) leaves nothing — the "never half a stack, never an orphaned VM"
 * promise under faults, for VMs, networks, rules, addresses, volumes and the AWS:: mappings.
 */
class OriginalTemplatesUnderFaultsTest {
  @TempDir Path dir;

  @Test
  void everyTemplateSettlesAndEverythingIsDeletedAfterwards() throws Exception {
    Path templates = SharedFiles.resolve("templates/stackmate");
    try (ConformanceCloud cloud = new ConformanceCloud(dir, true)) {
      StackEngine engine = cloud.local.engine();
      List<CreateStackRequest> requests = new ArrayList<>(); // parameters looked up before the faults begin
      JsonNode cases = ConformanceCloud.cases();
      for (var it = cases.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        JsonNode spec = cases.path(name);
        if (spec.has("pending")) {
          continue;
        }
        String body = Files.readString(templates.resolve(name + ".template"), StandardCharsets.UTF_8);
        requests.add(new CreateStackRequest("f-" + name.replace('_', '-'), body, name + ".template",
            cloud.parameters(spec.path("parameters")), false, 10, null));
      }
      cloud.simulator.knobs().jobLatency(Latency.uniform(0, 50));
      cloud.simulator.knobs().faults("*", new CommandFaults(0.03, 530, null, 0.03, null, false, null, null));
      List<StackRecord> started = new ArrayList<>();
      for (CreateStackRequest r : requests) {
        started.add(engine.createStack(r));
      }
      assertThat(started).hasSizeGreaterThan(10);

      Map<StackStatus, Integer> outcomes = SimulatedCloud.settleAll(cloud.simulator, engine, started);

      cloud.simulator.knobs().reset();
      SimulatedCloud.deleteAll(engine, started);
      assertThat(cloud.leftOver()).as("nothing left after every stack was deleted (outcomes " + outcomes + ")")
          .isEmpty();
    }
  }
}
