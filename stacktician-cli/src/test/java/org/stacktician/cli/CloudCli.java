package org.stacktician.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/** Runs {@code stackmate} commands in-process against a running simulator and one state directory, for tests. */
public record CloudCli(CloudStackSimulator simulator, Path stateDir) {
  /** {@code stackmate args...} with the simulator's endpoint and keys and the state directory. */
  public CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", stateDir.toString(), "--endpoint", simulator.endpoint().toString(),
        "--api-key", simulator.credentials().apiKey(), "--secret-key", simulator.credentials().secretKey()));
    return CliRun.stackmate(all.toArray(String[]::new));
  }

  /** {@code stackmate args...} reading the state directory only (no cloud options). */
  public CliRun local(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", stateDir.toString()));
    return CliRun.stackmate(all.toArray(String[]::new));
  }

  /** A client of the simulator, to check the cloud through the CloudStack API. */
  public CloudStackClient client() {
    return CloudStackClient.builder().endpoint(simulator.endpoint()).credentials(simulator.credentials()).build();
  }
}
