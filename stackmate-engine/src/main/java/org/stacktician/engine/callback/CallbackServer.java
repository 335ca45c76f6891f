package org.stacktician.engine.callback;

import io.javalin.Javalin;
import java.net.URI;
import java.util.Objects;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP listener of CLI mode (Javalin) that serves {@link CallbackRoutes}. Binds to
 * loopback by default; guests in a real cloud need {@code bindHost} 0.0.0.0 (or an interface
 * address) and an {@code advertisedUrl} they can reach.
 */
public final class CallbackServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackServer.class);

  private final Javalin app;
  private final URI advertisedUrl;

  /**
   * Where to listen and what URL to hand out.
   *
   * @param bindHost interface to bind, default {@code 127.0.0.1}
   * @param port port, 0 for any free one
   * @param advertisedUrl the base URL guests use; null for {@code http://<bindHost>:<port>/}
   */
  public record Config(String bindHost, int port, URI advertisedUrl) {
    public Config {
      bindHost = bindHost == null || bindHost.isBlank() ? "127.0.0.1" : bindHost;
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("callback listener port must be 0..65535, got " + port);
      }
    }

    /** Loopback, any free port. */
    public static Config loopback() {
      return new Config("127.0.0.1", 0, null);
    }
  }

  private CallbackServer(Javalin app, URI advertisedUrl) {
    this.app = app;
    this.advertisedUrl = advertisedUrl;
  }

  /** Starts the listener serving {@code routes}. */
  public static CallbackServer start(Config config, CallbackRoutes routes) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(routes, "routes");
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.concurrency.useVirtualThreads = true;
      cfg.http.maxRequestSize = 256 * 1024;
      cfg.jetty.modifyServer(server -> server.setStopTimeout(0));
      acceptEncodedSlashes(cfg);
      routes.register(cfg.routes);
    });
    app.start(config.bindHost(), config.port());
    URI advertised = config.advertisedUrl() != null ? config.advertisedUrl()
        : URI.create("http://" + hostForUrl(config.bindHost()) + ":" + app.port() + "/");
    LOG.info("callback listener on {}:{} advertised as {}", config.bindHost(), app.port(), advertised);
    return new CallbackServer(app, advertised);
  }

  /**
   * Lets a Javalin server take the callback URLs: stack ids contain '/', which the URLs carry
   * percent-encoded inside one path segment (Jetty refuses such ambiguous paths by default).
   */
  public static void acceptEncodedSlashes(io.javalin.config.JavalinConfig cfg) {
    cfg.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(
        UriCompliance.DEFAULT.with("stacktician-callbacks",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING)));
    cfg.jetty.modifyServletContextHandler(h -> h.getServletHandler().setDecodeAmbiguousURIs(true));
  }

  /** A signer that hands out URLs of this listener. */
  public UrlSigner urlSigner(SigningKeySource keys) {
    return new UrlSigner(keys, advertisedUrl);
  }

  private static String hostForUrl(String bindHost) {
    if (bindHost.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    return bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
  }

  /** The base URL handed out in handle and response URLs. */
  public URI advertisedUrl() {
    return advertisedUrl;
  }

  /** The port actually bound. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
