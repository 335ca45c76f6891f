package org.stacktician.server;

import io.javalin.Javalin;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.engine.callback.CallbackServer;
import org.stacktician.server.api.RestApi;
import org.stacktician.server.auth.AccessKeyStore;
import org.stacktician.server.auth.Authenticator;
import org.stacktician.server.cfn.CfnApi;
import org.stacktician.server.clouds.CloudAccountStore;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.db.Settings;
import org.stacktician.server.demo.DemoSetup;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.templates.TemplateLibrary;
import org.stacktician.server.users.UserStore;

/**
 * One Stacktician server process: its database, the embedded demo cloud (when the demo is on) and
 * the HTTP server with the REST API. {@code stacktician server} runs one until Ctrl-C.
 */
public final class StackticianServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StackticianServer.class);

  private final ServerConfig config;
  private final ServerDatabase db;
  private final CloudStackSimulator simulator;
  private final Javalin app;
  private final ServerEngine engine;
  private final URI url;
  private final Optional<DemoSetup.Credentials> printed;

  private StackticianServer(ServerConfig config, ServerDatabase db, CloudStackSimulator simulator, Javalin app,
      ServerEngine engine, URI url, Optional<DemoSetup.Credentials> printed) {
    this.config = config;
    this.db = db;
    this.simulator = simulator;
    this.app = app;
    this.engine = engine;
    this.url = url;
    this.printed = printed;
  }

  /** Opens the database, sets up the demo (or the first admin) and starts listening. */
  public static StackticianServer start(ServerConfig config) {
    ServerDatabase db = ServerDatabase.open(config);
    CloudStackSimulator simulator = null;
    Javalin app = null;
    ServerEngine engine = null;
    try {
      UserStore users = new UserStore(db);
      AccessKeyStore keys = new AccessKeyStore(db);
      CloudAccountStore clouds = new CloudAccountStore(db);
      DemoSetup setup = new DemoSetup(users, keys, clouds, new Settings(db));
      Optional<DemoSetup.Credentials> printed;
      if (config.demo()) {
        simulator = CloudStackSimulator.start(SimulatorConfig.defaults().withGuestSignals(true, Duration.ofMillis(200)));
        printed = Optional.of(setup.demo(simulator));
      } else {
        printed = setup.firstAdmin();
      }
      TemplateLibrary templates = new TemplateLibrary(db);
      // The engine needs the server's URL (for the URLs guests call back to), known once it listens.
      ServerEngine.Holder stacks = new ServerEngine.Holder(db);
      Authenticator auth = new Authenticator(keys, Clock.systemUTC());
      RestApi api = new RestApi(auth, users, keys, clouds, templates, stacks);
      CfnApi cfn = new CfnApi(auth, stacks);
      app = Javalin.create(cfg -> {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.concurrency.useVirtualThreads = true;
        cfg.jetty.modifyServer(server -> server.setStopTimeout(0));
        CallbackServer.acceptEncodedSlashes(cfg);
        // Liveness for load balancers and monitors: no authentication, says nothing but whether the database answers.
        cfg.routes.get("/health", ctx -> {
          boolean up = db.reachable();
          ctx.contentType("text/plain").status(up ? 200 : 503).result(up ? "ok\n" : "database unreachable\n");
        });
        api.register(cfg.routes);
        cfn.register(cfg.routes);
        stacks.callbackRoutes().registerCallbacks(cfg.routes);
      });
      app.start(config.listenAddress(), config.port());
      URI url = config.publicUrl() != null ? config.publicUrl()
          : URI.create("http://" + hostForUrl(config.listenAddress()) + ":" + app.port() + "/");
      engine = ServerEngine.start(db, clouds, templates, stacks, url);
      StackticianServer server = new StackticianServer(config, db, simulator, app, engine, url, printed);
      LOG.info("Stacktician server on {}:{} ({})", config.listenAddress(), app.port(), config);
      return server;
    } catch (RuntimeException e) {
      if (app != null) {
        app.stop();
      }
      if (engine != null) {
        engine.close();
      }
      if (simulator != null) {
        simulator.close();
      }
      db.close();
      throw e;
    }
  }

  /** Prints where the server is and, with the demo (or on a first start), whom to log in as. */
  public void printBanner(PrintWriter out) {
    out.println("Stacktician server at " + url + " (REST API " + api() + ", CloudFormation API " + cfn() + ")");
    out.println("Database: " + (config.embeddedDatabase()
        ? "embedded H2 in " + config.dataDir().toAbsolutePath() : "PostgreSQL at " + redacted(config.databaseUrl())));
    printed.ifPresent(c -> {
      if (c.cloudLabel() != null) {
        out.println("Demo cloud: " + c.cloudLabel());
      }
      out.println((c.shownOnce() ? "First admin (shown only now; keep it): " : "Demo user: ") + c.userName());
      out.println("Password: " + (c.password() != null ? c.password() : "(changed by its user; not shown)"));
      out.println("Access key: " + c.accessKeyId());
      out.println("Secret key: " + c.secretAccessKey());
      out.println("Try: curl -H 'Authorization: Bearer " + c.accessKeyId() + ":" + c.secretAccessKey() + "' "
          + api() + "/me");
    });
    out.flush();
  }

  private static String redacted(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
  }

  private static String hostForUrl(String bindHost) {
    if (bindHost.equals("0.0.0.0") || bindHost.equals("::")) {
      return "127.0.0.1";
    }
    return bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
  }

  /** The server's base URL (the configured public URL, else the listen address and port). */
  public URI url() {
    return url;
  }

  /** The REST API's base URL. */
  public URI api() {
    String base = url.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + RestApi.BASE);
  }

  /** The CloudFormation Query API's URL (for {@code aws --endpoint-url}). */
  public URI cfn() {
    String base = url.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CfnApi.PATH + "/");
  }

  /** The port actually bound. */
  public int port() {
    return app.port();
  }

  /** What the start printed: the demo user's (or first admin's) credentials. */
  public Optional<DemoSetup.Credentials> printedCredentials() {
    return printed;
  }

  /** The embedded demo simulator, if the demo is on. */
  public Optional<CloudStackSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  /** The routes the HTTP server has (method and path), for checking them against the OpenAPI document. */
  public java.util.List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(p -> p.endpoint.method.isHttpMethod())
        .map(p -> p.endpoint.method.name() + " " + p.endpoint.path)
        .toList();
  }

  public ServerDatabase database() {
    return db;
  }

  @Override
  public void close() {
    app.stop();
    engine.close();
    if (simulator != null) {
      simulator.close();
    }
    db.close();
  }
}
