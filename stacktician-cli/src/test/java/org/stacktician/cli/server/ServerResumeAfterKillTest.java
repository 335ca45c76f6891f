package org.stacktician.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.stack.ResumeAfterKillTest;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.faults.Latency;

/**
 * A real {@code stacktician server} process is killed (SIGKILL) while its engine creates a user's
 * stack in that user's cloud account; the next server on the same data directory finishes the
 * stack with nothing created twice, and deletes it completely.
 */
class ServerResumeAfterKillTest {
  @TempDir Path tmp;

  private ServerProcess start(Path data, String name) throws Exception {
    return ServerProcess.start(data, tmp.resolve(name + ".log"));
  }

  private static String vmStatus(ServerProcess s, String stack) throws Exception {
    for (JsonNode r : s.call("GET", "/stacks/" + stack + "/resources", null).path("items")) {
      if (r.path("logicalId").asText().equals("Vm1")) {
        return r.path("status").asText();
      }
    }
    return "";
  }

  private static long count(CloudStackSimulator sim, String kind) {
    return sim.inventory().created().stream().filter(i -> i.kind().equals(kind)).count();
  }

  @Test
  void aKilledServerIsFinishedByTheNextOneWithNothingCreatedTwice() throws Exception {
    try (CloudStackSimulator cloud = CloudStackSimulator.start()) {
      Path data = tmp.resolve("data");
      ServerProcess first = start(data, "first");
      try {
        String account = first.call("POST", "/cloud-accounts", Map.of("name", "ext", "endpoint",
            cloud.endpoint().toString(), "apiKey", cloud.credentials().apiKey(), "secretKey",
            cloud.credentials().secretKey())).path("id").asText();
        cloud.knobs().jobLatency(Latency.fixed(2500));
        JsonNode made = first.call("POST", "/stacks", Map.of("name", "resumed", "templateBody",
            ResumeAfterKillTest.TEMPLATE, "cloudAccountId", account, "parameters", Map.of(
                "ZoneId", ResumeAfterKillTest.id(cloud, "listZones", "Sandbox-simulator", ""),
                "TemplateId", ResumeAfterKillTest.id(cloud, "listTemplates", "Ubuntu 22.04 LTS",
                    "&templatefilter=executable"),
                "OfferingId", ResumeAfterKillTest.id(cloud, "listServiceOfferings", "Small Instance", ""))));
        String stack = made.path("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!vmStatus(first, stack).equals("CREATE_IN_PROGRESS")) {
          assertThat(System.nanoTime()).as("Vm1 never started").isLessThan(deadline);
          Thread.sleep(100);
        }
        first.process().destroyForcibly().waitFor();

        ServerProcess second = start(data, "second");
        try {
          JsonNode done = second.settled(stack);
          assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("CREATE_COMPLETE");
          assertThat(count(cloud, "VIRTUAL_MACHINE")).as("no VM created twice").isEqualTo(2);
          assertThat(count(cloud, "SECURITY_GROUP")).isEqualTo(1);
          cloud.knobs().jobLatency(Latency.fixed(20));
          second.call("DELETE", "/stacks/" + stack, null);
          assertThat(second.settled(stack).path("status").asText()).isEqualTo("DELETE_COMPLETE");
          assertThat(count(cloud, "VIRTUAL_MACHINE")).isZero();
          assertThat(count(cloud, "SECURITY_GROUP")).isZero();
        } finally {
          second.process().destroy();
          second.process().waitFor();
        }
      } finally {
        first.process().destroyForcibly().waitFor();
      }
    }
  }
}
