package org.stacktician.cloudstack.simulator;

import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.simulator.api.CommandCatalog;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudSeed;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.commands.AddressCommands;
import org.stacktician.cloudstack.simulator.commands.CatalogCommands;
import org.stacktician.cloudstack.simulator.commands.CommandGroup;
import org.stacktician.cloudstack.simulator.commands.CommandRegistry;
import org.stacktician.cloudstack.simulator.commands.GroupCommands;
import org.stacktician.cloudstack.simulator.commands.JobCommands;
import org.stacktician.cloudstack.simulator.commands.KeyPairCommands;
import org.stacktician.cloudstack.simulator.commands.LoadBalancerCommands;
import org.stacktician.cloudstack.simulator.commands.NetworkAclCommands;
import org.stacktician.cloudstack.simulator.commands.NetworkCommands;
import org.stacktician.cloudstack.simulator.commands.SecurityGroupCommands;
import org.stacktician.cloudstack.simulator.commands.SimulatorServices;
import org.stacktician.cloudstack.simulator.commands.TagCommands;
import org.stacktician.cloudstack.simulator.commands.VirtualMachineCommands;
import org.stacktician.cloudstack.simulator.commands.VolumeCommands;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.cloudstack.simulator.faults.Knobs;
import org.stacktician.cloudstack.simulator.guest.GuestEmulator;
import org.stacktician.cloudstack.simulator.guest.SentSignal;
import org.stacktician.cloudstack.simulator.http.ApiDispatcher;
import org.stacktician.cloudstack.simulator.http.CallLog;
import org.stacktician.cloudstack.simulator.http.RequestAuthenticator;
import org.stacktician.cloudstack.simulator.http.SimulatorHttpServer;
import org.stacktician.cloudstack.simulator.inventory.Inventory;
import org.stacktician.cloudstack.simulator.jobs.AsyncJobs;

/**
 * A running simulated CloudStack: an HTTP server speaking the CloudStack API on loopback over an
 * in-memory cloud. Start one with {@link #start}; {@link #close} stops it.
 */
public final class CloudStackSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudStackSimulator.class);

  private final SimulatorConfig config;
  private final CloudState state;
  private final AsyncJobs jobs;
  private final GuestEmulator guests;
  private final Knobs knobs;
  private final CallLog calls = new CallLog();
  private final SimulatorHttpServer server;

  private CloudStackSimulator(SimulatorConfig config) {
    this.config = config;
    this.state = new CloudState(config.seed(), config.clock(), config.capacity());
    state.locked(() -> {
      CloudSeed.seed(state, config.accounts());
      for (Account a : state.accounts()) {
        SecurityGroupCommands.create(state, a, "default", "Default Security Group", true);
      }
    });
    CommandCatalog catalog = CommandCatalog.builtIn();
    CommandRegistry registry = new CommandRegistry(catalog);
    for (CommandGroup group : List.of(new CatalogCommands(registry), new VirtualMachineCommands(), new SecurityGroupCommands(),
        new NetworkCommands(), new NetworkAclCommands(), new AddressCommands(), new LoadBalancerCommands(), new VolumeCommands(), new KeyPairCommands(),
        new TagCommands(), new GroupCommands(), new JobCommands())) {
      group.register(registry);
    }
    registry.hide(config.hiddenApis());
    if (config.listApis() != null) {
      // Another CloudStack's API: what it lacks is not offered.
      java.util.Set<String> offered = CatalogCommands.names(config.listApis());
      if (registry.all().keySet().stream().noneMatch(offered::contains)) {
        throw new IllegalArgumentException("the listApis answer given offers none of the commands the simulator"
            + " implements (" + offered.size() + " APIs, e.g. " + offered.stream().sorted().limit(3).toList() + ")");
      }
      registry.hide(registry.all().keySet().stream().filter(c -> !offered.contains(c))
          .collect(java.util.stream.Collectors.toSet()));
    }
    this.jobs = new AsyncJobs(state);
    this.guests = new GuestEmulator(config.guestSignals(), config.guestBootDelay());
    this.knobs = new Knobs(config.knobs(), config.seed());
    SimulatorServices services = new SimulatorServices(catalog, jobs, guests, config);
    ApiDispatcher dispatcher = new ApiDispatcher(state, catalog, registry, services, knobs,
        new RequestAuthenticator(state, config.clock(), config.enforceExpires()), calls);
    this.server = new SimulatorHttpServer(dispatcher, knobs,
        new SimulatorHttpServer.AdminViews(this::inventory, guests::sent), config.host(), config.port());
    log.info("CloudStack simulator listening on {}", endpoint());
  }

  /** Starts a simulator (binding its port) with {@code config}. */
  public static CloudStackSimulator start(SimulatorConfig config) {
    return new CloudStackSimulator(config);
  }

  /** Starts a simulator with {@link SimulatorConfig#defaults()} on a free loopback port. */
  public static CloudStackSimulator start() {
    return start(SimulatorConfig.defaults());
  }

  /** The API endpoint, e.g. {@code http://127.0.0.1:8080/client/api}. */
  public URI endpoint() {
    return URI.create("http://" + hostForUrl() + ":" + port() + SimulatorHttpServer.API_PATH);
  }

  /** The base of the admin paths ({@code .../admin/}). */
  public URI adminEndpoint() {
    return URI.create("http://" + hostForUrl() + ":" + port() + "/admin/");
  }

  private String hostForUrl() {
    String host = config.host();
    if (host.equals("0.0.0.0")) return "127.0.0.1";
    return host.contains(":") ? "[" + host + "]" : host;
  }

  public int port() {
    return server.port();
  }

  /** The default (first) account's API key pair. */
  public Credentials credentials() {
    return accounts().get(0).credentials();
  }

  /** Every seeded account with its keys. */
  public List<Account> accounts() {
    return state.locked(state::accounts);
  }

  /** The account with this name. */
  public Account account(String name) {
    return accounts().stream().filter(a -> a.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no simulated account named " + name));
  }

  /** Every account-owned resource with its tags, now. */
  public Inventory inventory() {
    return Inventory.of(state, jobs.pending());
  }

  /** The live fault and latency knobs. */
  public Knobs knobs() {
    return knobs;
  }

  /** The API calls answered so far (commands and the resources they named). */
  public CallLog calls() {
    return calls;
  }

  /** The wait-condition signals guests have sent. */
  public List<SentSignal> guestSignals() {
    return guests.sent();
  }

  public SimulatorConfig config() {
    return config;
  }

  @Override
  public void close() {
    int port = server.port();
    server.close();
    jobs.close();
    guests.close();
    log.info("CloudStack simulator on port {} stopped", port);
  }
}
