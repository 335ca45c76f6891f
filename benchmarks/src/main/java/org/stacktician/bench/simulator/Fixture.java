package org.stacktician.bench.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.stacktician.cloudstack.client.CloudStackClient;

/** Puts a little state into a fresh simulator so the measured calls have something to read. */
final class Fixture {
  private Fixture() {}

  /** Parameters for one measured call of {@code command}, creating what it reads (20 VMs, a finished job). */
  static Map<String, String> params(CloudStackClient client, String command) {
    return switch (command) {
      case "listZones" -> Map.of();
      case "listVirtualMachines" -> {
        if (client.list("listVirtualMachines", Map.of()).size() < 20) {
          deployTwenty(client);
        }
        yield Map.of();
      }
      case "queryAsyncJobResult" -> {
        String zone = client.list("listZones", Map.of()).get(0).path("id").asText();
        var job = client.submit("createVPC", Map.of("name", "bench", "displaytext", "bench", "cidr", "10.9.0.0/16",
            "zoneid", zone, "vpcofferingid", client.list("listVPCOfferings", Map.of()).get(0).path("id").asText()));
        client.await(job, Duration.ofSeconds(10));
        yield Map.of("jobid", job.jobId());
      }
      default -> throw new IllegalArgumentException("no fixture for " + command
          + " (use listZones, listVirtualMachines or queryAsyncJobResult)");
    };
  }

  private static void deployTwenty(CloudStackClient client) {
    String zone = client.list("listZones", Map.of()).get(0).path("id").asText();
    String offering = client.list("listServiceOfferings", Map.of()).get(0).path("id").asText();
    JsonNode template = client.list("listTemplates", Map.of("templatefilter", "featured")).get(0);
    for (int i = 0; i < 20; i++) {
      client.submitAndAwait("deployVirtualMachine", Map.of("zoneid", zone, "serviceofferingid", offering,
          "templateid", template.path("id").asText(), "name", "bench-" + i), Duration.ofSeconds(10));
    }
  }
}
