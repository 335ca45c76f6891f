package org.stacktician.cli.server;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.Foreground;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.server.StackticianServer;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.server.config.ServerConfigLoader;
import org.stacktician.server.config.ServerConfigLoader.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stacktician server}: runs the Stacktician server until Ctrl-C. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Stacktician server (REST API) until Ctrl-C.",
      "With no configuration: an H2 database in ~/.stacktician, an embedded CloudStack simulator as a SIMULATED"
          + " demo cloud, and a demo user whose password and keys are printed at every start.",
      "Configuration: a .properties or .yaml file (--config), STACKTICIAN_* environment variables, then these"
          + " flags, later ones winning. Keys: data-dir, listen-address, port, database.url, database.user,"
          + " database.password, encryption-key, public-url, demo."
    })
public final class ServerCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Spec CommandSpec spec;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (default: " + ServerConfig.DEFAULT_PORT + ").")
  Integer port;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: ~/.stacktician).")
  Path dataDir;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (.properties, .yaml or .yml).")
  Path config;

  @Option(names = "--listen-address", paramLabel = "ADDRESS", description = "Address to listen on (default: 127.0.0.1).")
  String listenAddress;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "The URL clients and VMs reach this server at (default: the listen address and port).")
  URI publicUrl;

  @Option(names = "--no-demo", description = "No embedded simulator and no demo user (the first start makes an admin).")
  boolean noDemo;

  /** Released to stop a running server (by Ctrl-C's shutdown hook or a test). */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<Key, String> flags = new EnumMap<>(Key.class);
    if (port != null) flags.put(Key.PORT, port.toString());
    if (dataDir != null) flags.put(Key.DATA_DIR, dataDir.toString());
    if (listenAddress != null) flags.put(Key.LISTEN_ADDRESS, listenAddress);
    if (publicUrl != null) flags.put(Key.PUBLIC_URL, publicUrl.toString());
    if (noDemo) flags.put(Key.DEMO, "false");
    StackticianServer server;
    try {
      server = StackticianServer.start(ServerConfigLoader.load(config, System.getenv(), flags));
    } catch (ServerConfigLoader.InvalidConfigException e) {
      err.println("error: " + org.stacktician.engine.stack.TerminalText.lines(e.getMessage()));
      return ExitCodes.FAILED;
    } catch (RuntimeException e) {
      // The server's own failures say what and where at the top; others say it deepest down.
      err.println("error: cannot start the server: " + (e.getMessage() != null ? e.getMessage() : Foreground.rootMessage(e)));
      return ExitCodes.FAILED;
    }
    Foreground.run(server, stop, "server", () -> server.printBanner(out), out);
    return ExitCodes.OK;
  }
}
