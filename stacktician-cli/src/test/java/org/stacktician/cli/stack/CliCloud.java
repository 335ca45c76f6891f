package org.stacktician.cli.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/** A real simulator over HTTP, a client to check results through the CloudStack API, and CLI runs against it. */
final class CliCloud implements AutoCloseable {
  final CloudStackSimulator simulator;
  final CloudStackClient client;

  CliCloud() {
    this(CloudStackSimulator.start());
  }

  CliCloud(CloudStackSimulator simulator) {
    this.simulator = simulator;
    this.client = CloudStackClient.builder().endpoint(simulator.endpoint()).credentials(simulator.credentials()).build();
  }

  /** {@code stackmate args...} on this cloud with its state in {@code stateDir}. */
  CliRun run(Path stateDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", stateDir.toString(), "--endpoint", simulator.endpoint().toString(),
        "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey()));
    return CliRun.stackmate(all.toArray(String[]::new));
  }

  /** {@code stackmate args...} on the state in {@code stateDir} only (no cloud). */
  static CliRun local(Path stateDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", stateDir.toString()));
    return CliRun.stackmate(all.toArray(String[]::new));
  }

  /** The id of the stack listed first (the newest), for a stack that is deleted and found by id only. */
  static String newestStackId(Path stateDir) throws IOException {
    return local(stateDir, "list-stacks", "--output", "json").json().get("StackSummaries").get(0).get("StackId").asText();
  }

  /** The id of the item of a list call with this name. */
  String idOf(String list, String name, Map<String, String> extra) {
    return client.list(list, extra).stream().filter(i -> name.equals(i.path("name").asText())).findFirst()
        .orElseThrow(() -> new IllegalStateException(list + " has no item named " + name)).path("id").asText();
  }

  /** {@code -p} options for a template of machines: ZoneId, TemplateId and OfferingId. */
  List<String> machineParameters() {
    return List.of("-p", "ZoneId=" + idOf("listZones", "Sandbox-simulator", Map.of()),
        "-p", "TemplateId=" + idOf("listTemplates", "Ubuntu 22.04 LTS", Map.of("templatefilter", "executable")),
        "-p", "OfferingId=" + idOf("listServiceOfferings", "Small Instance", Map.of()));
  }

  @Override
  public void close() {
    client.close();
    simulator.close();
  }
}
