package org.stacktician.engine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
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

      Map<StackStatus, Integer> outcomes = new EnumMap<>(StackStatus.class);
      for (StackRecord s : started) {
        StackRecord done = engine.awaitSettled(s.stackId(), Duration.ofSeconds(120));
        outcomes.merge(done.status(), 1, Integer::sum);
        assertThat(done.status()).as(done.stackName() + ": " + done.statusReason())
            .isIn(StackStatus.CREATE_COMPLETE, StackStatus.ROLLBACK_COMPLETE, StackStatus.ROLLBACK_FAILED);
        if (done.status() == StackStatus.ROLLBACK_COMPLETE) {
          assertThat(cloud.simulator.inventory().taggedWith("stacktician:stack-id", done.stackId()))
              .as(done.stackName() + " rolled back completely").isEmpty();
        }
      }

      cloud.simulator.knobs().reset();
      for (StackRecord s : started) {
        StackRecord deleted = null;
        for (int attempt = 1; attempt <= 3 && (deleted == null || deleted.status() != StackStatus.DELETE_COMPLETE);
            attempt++) {
          deleted = engine.awaitSettled(engine.deleteStack(s.stackId()).stackId(), Duration.ofSeconds(120));
        }
        assertThat(deleted.status()).as(s.stackName() + ": " + deleted.statusReason())
            .isEqualTo(StackStatus.DELETE_COMPLETE);
      }
      assertThat(cloud.leftOver()).as("nothing left after every stack was deleted (outcomes " + outcomes + ")")
          .isEmpty();
    }
  }
}
