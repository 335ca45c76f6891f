package org.stacktician.cli.stack;

import java.net.URI;
import java.time.Duration;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.aws.AwsMappings;
import org.stacktician.engine.callback.CallbackServer;

/**
 * One CLI run's engine: the cloud (an embedded simulator or an endpoint), the state directory and
 * the callback listener, closed together.
 */
public final class LocalStackmate implements AutoCloseable {
  private final CloudStackSimulator simulator;
  private final CloudStackClient client;
  private final LocalEngine local;

  private LocalStackmate(CloudStackSimulator simulator, CloudStackClient client, LocalEngine local) {
    this.simulator = simulator;
    this.client = client;
    this.local = local;
  }

  /** {@link #open}, or null after telling {@code err} why it could not start (bad options, unreachable cloud). */
  static LocalStackmate openOrReport(CloudOptions cloud, StateOptions state, java.io.PrintWriter err) {
    try {
      return open(cloud, state);
    } catch (RuntimeException e) {
      err.println("error: " + org.stacktician.engine.stack.TerminalText.lines(e.getMessage()));
      err.flush();
      return null;
    }
  }

  /** Starts everything the options ask for. */
  public static LocalStackmate open(CloudOptions cloud, StateOptions state) {
    CloudOptions.Target target = cloud.target();
    AwsMappings mappings = cloud.mappingFile == null ? AwsMappings.none() : AwsMappings.load(cloud.mappingFile);
    CloudStackSimulator simulator = null;
    CloudStackClient client = null;
    try {
      switch (target) {
        case CloudOptions.Target.Simulated s -> {
          simulator = CloudStackSimulator.start(SimulatorConfig.defaults().withGuestSignals(true, Duration.ofMillis(200)));
          client = CloudStackClient.builder().endpoint(simulator.endpoint()).credentials(simulator.credentials()).build();
        }
        case CloudOptions.Target.Remote r -> client = CloudStackClient.builder().endpoint(r.endpoint())
            .credentials(new Credentials(r.apiKey(), r.secretKey())).build();
      }
      URI advertised = cloud.advertisedCallbackUrl();
      LocalEngine local = LocalEngine.builder(client)
          .stateDir(state.dir())
          .callbacks(new CallbackServer.Config(cloud.callbackBind, cloud.callbackPort, advertised))
          .mappings(mappings)
          .pluginsDir(cloud.plugins.dir())
          .build();
      return new LocalStackmate(simulator, client, local);
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      if (simulator != null) {
        simulator.close();
      }
      throw e;
    }
  }

  public StackEngine engine() {
    return local.engine();
  }

  public CloudStackClient client() {
    return client;
  }

  /** The embedded simulator, or null when a real endpoint is used. */
  public CloudStackSimulator simulator() {
    return simulator;
  }

  /** One line saying which cloud this is, labelled SIMULATED for the embedded simulator. */
  public String cloudLabel() {
    return simulator != null
        ? "SIMULATED cloud: embedded CloudStack simulator at " + simulator.endpoint()
        : "cloud: " + client.endpoint();
  }

  @Override
  public void close() {
    local.close();
    client.close();
    if (simulator != null) {
      simulator.close();
    }
  }
}
