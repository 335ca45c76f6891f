package org.stacktician.cli.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.Foreground;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.commands.CatalogCommands;
import org.stacktician.cloudstack.simulator.config.AccountSpec;
import org.stacktician.cloudstack.simulator.config.Capacity;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.cloudstack.simulator.config.SimulatorConfigFile;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.KnobSettings;
import org.stacktician.cloudstack.simulator.faults.Latency;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code stacktician simulator}: runs a simulated CloudStack until Ctrl-C. */
@Command(
    name = "simulator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a simulated CloudStack API server (not a real cloud) until Ctrl-C.",
      "Prints the endpoint and the default account's API and secret keys."
    },
    subcommands = {InventoryCommand.class})
public final class SimulatorCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Spec CommandSpec spec;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: 127.0.0.1).")
  String host;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port to listen on; 0 picks a free one (default: 8080).")
  Integer port;

  @Option(names = "--api-key", paramLabel = "KEY", description = "API key of the default account (default: derived from the seed).")
  String apiKey;

  @Option(names = "--secret-key", paramLabel = "KEY", description = "Secret key of the default account (with --api-key).")
  String secretKey;

  @Option(names = "--seed", paramLabel = "N", description = "Seed for ids, keys and injected faults (default: 1).")
  Long seed;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (accounts, capacity, knobs, ...); flags override it.")
  Path config;

  @Option(names = "--job-latency", paramLabel = "[COMMAND=]LATENCY",
      description = "How long async jobs take: 200ms, 1s, a range 100ms..2s, or exp:300ms (default: 20ms); "
          + "COMMAND=LATENCY for one command. Repeatable.")
  List<String> jobLatency = new ArrayList<>();

  @Option(names = "--error", paramLabel = "COMMAND=RATE[:CODE]",
      description = "Fail this share of a command's calls with CODE (default 530); COMMAND * means every command. Repeatable.")
  List<String> errors = new ArrayList<>();

  @Option(names = "--fail-nth", paramLabel = "COMMAND=N[:CODE]", description = "Fail the Nth call of a command. Repeatable.")
  List<String> failNth = new ArrayList<>();

  @Option(names = "--hang", paramLabel = "COMMAND", description = "Jobs of this async command never finish. Repeatable.")
  List<String> hang = new ArrayList<>();

  @Option(names = "--drop", paramLabel = "COMMAND=RATE",
      description = "Close the connection without an answer for this share of a command's calls. Repeatable.")
  List<String> drop = new ArrayList<>();

  @Option(names = "--capacity", paramLabel = "vms=N,ips=N,volumes=N",
      description = "Capacity limits; creates beyond them fail with 533.")
  String capacity;

  @Option(names = "--no-guest-signals", description = "Do not send the wait-condition signals found in booted VMs' user data.")
  boolean noGuestSignals;

  @Option(names = "--guest-boot-delay", paramLabel = "DURATION",
      description = "How long after a VM is Running its guest sends its signals, e.g. 2s (default: 0).")
  String guestBootDelay;

  @Option(names = "--enforce-expires",
      description = "Require signature version 3 with an expires at most 15 minutes ahead (enforce.post.requests.and.timestamps).")
  boolean enforceExpires;

  @Option(names = "--list-apis", paramLabel = "FILE",
      description = "Be the cloud whose recorded listApis answer (JSON) this is, e.g. CloudStack 4.11's: only its"
          + " commands are offered, described as it describes them (default: the simulator's own, CloudStack 4.18's).")
  Path listApis;

  @Option(names = "--hide-api", paramLabel = "COMMAND", split = ",",
      description = "A command this cloud does not offer, as an older or trimmed CloudStack: left out of listApis and"
          + " answered 432 (unknown command). Repeatable.")
  List<String> hiddenApis = new ArrayList<>();

  /** Released to stop a running simulator (by Ctrl-C's shutdown hook or a test). */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SimulatorConfig cfg;
    try {
      cfg = configuration();
    } catch (IllegalArgumentException e) {
      err.println("error: " + org.stacktician.engine.stack.TerminalText.lines(e.getMessage()));
      return ExitCodes.FAILED;
    }
    CloudStackSimulator sim;
    try {
      sim = CloudStackSimulator.start(cfg);
    } catch (IllegalArgumentException e) {
      err.println("error: cannot start the simulator: " + org.stacktician.engine.stack.TerminalText.lines(e.getMessage()));
      return ExitCodes.FAILED;
    } catch (RuntimeException e) {
      err.println("error: cannot start the simulator on " + cfg.host() + ":" + cfg.port() + ": " + Foreground.rootMessage(e));
      return ExitCodes.FAILED;
    }
    Foreground.run(sim, stop, "simulator", () -> {
      out.println("CloudStack simulator (a simulated cloud, not a real CloudStack)");
      out.println("Endpoint: " + sim.endpoint());
      out.println("APIs: " + (listApis == null ? "CloudStack " + CatalogCommands.CLOUDSTACK_VERSION + " (built in)"
          : "as the listApis answer in " + listApis) + (hiddenApis.isEmpty() ? "" : ", without "
          + String.join(", ", hiddenApis)));
      out.println("API key: " + sim.credentials().apiKey());
      out.println("Secret key: " + sim.credentials().secretKey());
      for (var other : sim.accounts().subList(1, sim.accounts().size())) {
        out.println("Other account: " + other.name() + " (API key " + other.credentials().apiKey() + ", secret key "
            + other.credentials().secretKey() + ")");
      }
      out.println("Admin: " + sim.adminEndpoint() + " (inventory, knobs, signals)");
    }, out);
    return ExitCodes.OK;
  }

  SimulatorConfig configuration() {
    SimulatorConfig cfg = SimulatorConfig.defaults().withPort(8080);
    if (config != null) cfg = SimulatorConfigFile.read(config).applyTo(cfg);
    if (host != null) cfg = cfg.withHost(host);
    if (port != null) cfg = cfg.withPort(port);
    if (seed != null) cfg = cfg.withSeed(seed);
    if ((apiKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("give --api-key and --secret-key together");
    }
    if (apiKey != null) {
      List<AccountSpec> accounts = new ArrayList<>(cfg.accounts());
      accounts.set(0, new AccountSpec(accounts.get(0).name(), apiKey, secretKey));
      cfg = cfg.withAccounts(accounts);
    }
    if (capacity != null) cfg = cfg.withCapacity(parseCapacity(capacity));
    if (noGuestSignals) cfg = cfg.withGuestSignals(false, cfg.guestBootDelay());
    if (guestBootDelay != null) {
      cfg = cfg.withGuestSignals(cfg.guestSignals(), java.time.Duration.ofMillis(Latency.parse(guestBootDelay).maxMillis()));
    }
    if (enforceExpires) cfg = cfg.withEnforceExpires(true);
    if (listApis != null) cfg = cfg.withListApis(readListApis(listApis));
    if (!hiddenApis.isEmpty()) {
      Set<String> hidden = new LinkedHashSet<>(cfg.hiddenApis());
      for (String command : hiddenApis) {
        if (command.isBlank()) {
          throw new IllegalArgumentException("--hide-api expects command names, e.g. --hide-api createVPC,deleteVPC");
        }
        hidden.add(command.strip());
      }
      cfg = cfg.withHiddenApis(hidden);
    }
    KnobSettings knobs = cfg.knobs();
    for (String latency : jobLatency) {
      int eq = latency.indexOf('=');
      knobs = eq < 0 ? knobs.withJobLatency(Latency.parse(latency))
          : knobs.withFaults(latency.substring(0, eq), CommandFaults.latency(Latency.parse(latency.substring(eq + 1))));
    }
    for (String e : errors) {
      String[] kv = split(e, "--error");
      String[] rateCode = kv[1].split(":", 2);
      knobs = knobs.withFaults(kv[0], CommandFaults.errorRate(number("--error", rateCode[0]), code("--error", rateCode)));
    }
    for (String f : failNth) {
      String[] kv = split(f, "--fail-nth");
      String[] nCode = kv[1].split(":", 2);
      knobs = knobs.withFaults(kv[0], CommandFaults.failNth((long) number("--fail-nth", nCode[0]), code("--fail-nth", nCode)));
    }
    for (String h : hang) knobs = knobs.withFaults(h, CommandFaults.hanging());
    for (String d : drop) {
      String[] kv = split(d, "--drop");
      knobs = knobs.withFaults(kv[0], CommandFaults.dropRate(number("--drop", kv[1])));
    }
    return cfg.withKnobs(knobs);
  }

  /** A recorded listApis answer; the message names the file and what is wrong with it. */
  private static JsonNode readListApis(Path file) {
    if (Files.isDirectory(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("--list-apis: " + file + " does not exist or cannot be read");
    }
    JsonNode answer;
    try {
      answer = new ObjectMapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("--list-apis: " + file + " is not JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new IllegalArgumentException("--list-apis: " + file + " cannot be read: " + e.getMessage());
    }
    try {
      CatalogCommands.names(answer);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--list-apis: " + file + ": " + e.getMessage());
    }
    return answer;
  }

  private static String[] split(String value, String option) {
    String[] kv = value.split("=", 2);
    if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
      throw new IllegalArgumentException(option + " expects COMMAND=VALUE, got '" + value + "'");
    }
    return kv;
  }

  private static double number(String option, String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + text + "' is not a number");
    }
  }

  private static int code(String option, String[] parts) {
    return parts.length < 2 ? 530 : (int) number(option, parts[1]);
  }

  static Capacity parseCapacity(String text) {
    Integer vms = null;
    Integer ips = null;
    Integer volumes = null;
    for (String part : text.split(",")) {
      String[] kv = split(part.strip(), "--capacity");
      int n = (int) number("--capacity", kv[1]);
      switch (kv[0].strip()) {
        case "vms" -> vms = n;
        case "ips" -> ips = n;
        case "volumes" -> volumes = n;
        default -> throw new IllegalArgumentException("--capacity knows vms, ips and volumes, not '" + kv[0] + "'");
      }
    }
    return new Capacity(vms, ips, volumes);
  }
}
