package org.stacktician.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.aws.AwsMappings;
import org.stacktician.engine.callback.CallbackRoutes;
import org.stacktician.engine.callback.CallbackServer;
import org.stacktician.engine.callback.UrlSigner;
import org.stacktician.engine.drift.DriftStore;
import org.stacktician.engine.execution.CloudEnvironment;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.state.StoreResourceReader;
import org.stacktician.engine.state.StoreSignalStore;

/**
 * A complete engine for one process (the CLI, tests, benchmarks): the state database, the
 * callback listener for wait-condition signals and the metadata API, the provider registry over a
 * CloudStack client (built-ins, classpath plugins, a plugins directory) and the {@link StackEngine}.
 *
 * <pre>{@code
 * try (LocalEngine local = LocalEngine.builder(client).stateDir(dir).build()) {
 *   StackRecord s = local.engine().createStack(CreateStackRequest.of("web", text, Map.of()));
 *   local.engine().awaitSettled(s.stackId(), Duration.ofMinutes(5));
 * }
 * }</pre>
 */
public final class LocalEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);

  private final CallbackServer callbacks;
  private final StackEngine engine;

  private LocalEngine(Builder b) {
    EngineDatabase db = b.database != null ? b.database : EngineDatabase.h2File(b.stateDir);
    StateStore store = new JdbiStateStore(db);
    AtomicReference<StackEngine> engineRef = new AtomicReference<>();
    CallbackServer server = null;
    try {
      CallbackRoutes routes = new CallbackRoutes(store::signingKey,
          new StoreSignalStore(store), new StoreResourceReader(store, new DriftStore(db)), (stackId, key) -> {
            StackEngine e = engineRef.get();
            if (e != null) {
              e.wake(stackId);
            }
          }, null, CallbackRoutes.MetadataAccess.defaultFor(b.callbackConfig));
      server = startCallbacks(b.callbackConfig, routes, b.stateDir);
      UrlSigner signer = server.urlSigner(store::signingKey);
      ProviderContext.Builder ctx = ProviderContext.builder()
          .signalStore(new StoreSignalStore(store))
          .urlSigner(signer)
          .service(AwsMappings.class, b.mappings);
      CloudEnvironment env = CloudEnvironment.local();
      if (b.client != null) {
        ResourceTypeCatalog types = ResourceTypeCatalog.derive(b.client.discover());
        ctx.cloudStack(b.client).resourceTypes(types);
        env = environment(b.client, signer.base());
        if (b.mappings.region().isPresent()) {
          env = new CloudEnvironment(b.mappings.region().get(), env.accountId(), env.urlSuffix(), env.stackMateApiUrl(),
              env.availabilityZones());
        }
      } else {
        env = new CloudEnvironment(env.region(), env.accountId(), env.urlSuffix(), signer.base().toString(), null);
      }
      // Each stack's guests get their own signed metadata URL: it works whatever the listener's
      // metadata access, and reads that stack only.
      env = env.withStackScopedApiUrl(stackId -> signer.metadataUrl(stackId).toString());
      Path plugins = b.pluginsDir;
      StackEngine built = StackEngine.builder()
          .database(db)
          .store(store)
          .providerContext(ctx.build())
          .registry((base, own) -> ProviderRegistry.load(base, own, plugins))
          .options(b.options)
          .environment(env)
          .build();
      engineRef.set(built);
      built.start();
      this.engine = built;
      this.callbacks = server;
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      db.close();
      throw e;
    }
  }

  /** File in the state directory that remembers the callback listener's last port. */
  static final String CALLBACK_PORT_FILE = "callback-port";

  /**
   * Starts the callback listener. Asked for any free port, it first tries the port it had last
   * time on this state directory: the wait-condition URLs of a stack that an earlier process left
   * in progress carry that port, so guests that signal later still reach the process that resumes it.
   */
  private static CallbackServer startCallbacks(CallbackServer.Config config, CallbackRoutes routes, Path stateDir) {
    if (config.port() != 0 || stateDir == null) {
      return CallbackServer.start(config, routes);
    }
    Path portFile = stateDir.resolve(CALLBACK_PORT_FILE);
    CallbackServer server = null;
    try {
      int last = Integer.parseInt(java.nio.file.Files.readString(portFile).trim());
      // Probed first: a port another process holds would make Jetty log a start failure.
      try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
        probe.bind(new java.net.InetSocketAddress(config.bindHost(), last));
      }
      server = CallbackServer.start(new CallbackServer.Config(config.bindHost(), last, config.advertisedUrl()), routes);
    } catch (java.io.IOException | RuntimeException e) {
      LOG.debug("callback listener takes a new port ({})", e.toString());
    }
    if (server == null) {
      server = CallbackServer.start(config, routes);
    }
    try {
      java.nio.file.Files.writeString(portFile, Integer.toString(server.port()));
    } catch (java.io.IOException e) {
      LOG.debug("cannot remember the callback port in {}: {}", portFile, e.getMessage());
    }
    return server;
  }

  /** A builder for an engine on this cloud (null for no cloud: only types that need none work). */
  public static Builder builder(CloudStackClient client) {
    return new Builder(client);
  }

  public StackEngine engine() {
    return engine;
  }

  /**
   * The URL guests reach the callback listener at; {@code CloudStack::StackMateApiURL} is each
   * stack's own metadata URL under it ({@link UrlSigner#metadataUrl}).
   */
  public URI callbackUrl() {
    return engine.providerContext().urlSigner().map(UrlSigner::base).orElseThrow();
  }

  @Override
  public void close() {
    engine.close();
    callbacks.close();
  }

  /** Zone names (for Fn::GetAZs and AWS::Region) and the account, read from the cloud once. */
  private static CloudEnvironment environment(CloudStackClient client, URI callbackBase) {
    List<String> zones = new ArrayList<>();
    String account = "000000000000";
    try {
      for (JsonNode z : client.list("listZones", Map.of())) {
        zones.add(z.path("name").asText());
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read the zones of {} (Fn::GetAZs will not resolve): {}", client.endpoint(), e.getMessage());
    }
    try {
      List<JsonNode> accounts = client.list("listAccounts", Map.of());
      if (!accounts.isEmpty()) {
        account = accounts.get(0).path("id").asText(account);
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot read the account of {} (AWS::AccountId stays {}): {}", client.endpoint(), account, e.getMessage());
    }
    String region = zones.isEmpty() ? "cloudstack" : zones.get(0);
    String host = client.endpoint().getHost() == null ? "localdomain" : client.endpoint().getHost();
    return new CloudEnvironment(region, account, host, callbackBase.toString(), zones.isEmpty() ? null : zones);
  }

  /** Builder of {@link LocalEngine}. */
  public static final class Builder {
    private final CloudStackClient client;
    private Path stateDir;
    private EngineDatabase database;
    private CallbackServer.Config callbackConfig = CallbackServer.Config.loopback();
    private AwsMappings mappings = AwsMappings.none();
    private Path pluginsDir;
    private EngineOptions options = EngineOptions.defaults();

    private Builder(CloudStackClient client) {
      this.client = client;
    }

    /** The directory of the H2 state file. */
    public Builder stateDir(Path dir) {
      this.stateDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** An already open database instead of a state directory (closed with the engine). */
    public Builder database(EngineDatabase database) {
      this.database = database;
      return this;
    }

    public Builder callbacks(CallbackServer.Config config) {
      this.callbackConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    public Builder mappings(AwsMappings mappings) {
      this.mappings = Objects.requireNonNull(mappings, "mappings");
      return this;
    }

    public Builder pluginsDir(Path dir) {
      this.pluginsDir = dir;
      return this;
    }

    public Builder options(EngineOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    public LocalEngine build() {
      if (stateDir == null && database == null) {
        throw new IllegalStateException("give a state directory or a database");
      }
      return new LocalEngine(this);
    }
  }
}
