package org.stacktician.cloudstack.simulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.KnobSettings;
import org.stacktician.cloudstack.simulator.faults.Knobs;

/**
 * The Javalin server: the CloudStack API at {@code /client/api} (GET and POST) and the admin
 * paths outside it: {@code GET /admin/inventory}, {@code GET|PUT|DELETE /admin/knobs},
 * {@code PUT /admin/knobs/{command}} (merge one command's faults), {@code GET /admin/signals}.
 */
public final class SimulatorHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatorHttpServer.class);
  public static final String API_PATH = "/client/api";
  /** Largest request accepted: CloudStack's 1 MB of user data plus the other parameters. */
  static final long MAX_REQUEST_BYTES = 2L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Javalin app;

  /** Admin views the server exposes. */
  public record AdminViews(Supplier<Object> inventory, Supplier<Object> signals) {}

  public SimulatorHttpServer(ApiDispatcher dispatcher, Knobs knobs, AdminViews admin, String host, int port) {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      // Jetty's pooled platform threads: cheaper than a virtual thread per request for these short calls
      config.concurrency.useVirtualThreads = false;
      config.http.maxRequestSize = MAX_REQUEST_BYTES;
      // POSTed user data may be up to 1 MB (Base64), above Jetty's 200 KB default for forms
      config.jetty.modifyServletContextHandler(h -> h.setMaxFormContentSize((int) MAX_REQUEST_BYTES));
      // CloudStack answers uncompressed and without ETags; skipping both also saves work per call
      config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
      config.http.generateEtags = false;
      config.jetty.host = host;
      config.jetty.port = port;
      config.routes.get(API_PATH, ctx -> api(ctx, dispatcher, false));
      config.routes.post(API_PATH, ctx -> api(ctx, dispatcher, true));
      config.routes.get("/admin/inventory", ctx -> json(ctx, 200, admin.inventory().get()));
      config.routes.get("/admin/signals", ctx -> json(ctx, 200, admin.signals().get()));
      config.routes.get("/admin/knobs", ctx -> json(ctx, 200, knobs.settings()));
      config.routes.put("/admin/knobs", ctx -> {
        knobs.set(read(ctx, KnobSettings.class));
        json(ctx, 200, knobs.settings());
      });
      config.routes.delete("/admin/knobs", ctx -> {
        knobs.reset();
        json(ctx, 200, knobs.settings());
      });
      config.routes.put("/admin/knobs/{command}", ctx -> {
        knobs.faults(ctx.pathParam("command"), read(ctx, CommandFaults.class));
        json(ctx, 200, knobs.settings());
      });
      config.routes.exception(BadAdminRequest.class, (e, ctx) -> json(ctx, 400, Map.of("error", e.getMessage())));
    });
    app.start();
  }

  public int port() {
    return app.port();
  }

  private static void api(Context ctx, ApiDispatcher dispatcher, boolean post) throws IOException {
    Map<String, String> params = new HashMap<>();
    for (Map.Entry<String, String[]> e : ctx.req().getParameterMap().entrySet()) {
      if (e.getValue().length > 0) {
        params.put(e.getKey(), e.getValue()[0]);
      }
    }
    ApiResponse response = dispatcher.handle(params, post);
    if (response.drop()) {
      drop(ctx);
      return;
    }
    ctx.status(response.status());
    ctx.contentType(response.contentType());
    if (response.description() != null) {
      ctx.header("X-Description", response.description().replaceAll("[\\r\\n]", " "));
    }
    ctx.result(response.body());
  }

  /** Closes the TCP connection without answering (the dropped-connection knob). */
  private static void drop(Context ctx) throws IOException {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    if (request != null) {
      request.getConnectionMetaData().getConnection().getEndPoint().close();
    }
    throw new IOException("connection dropped by the simulator's knob");
  }

  private static <T> T read(Context ctx, Class<T> type) {
    try {
      return JSON.readValue(ctx.body(), type);
    } catch (JsonProcessingException e) {
      throw new BadAdminRequest("invalid " + type.getSimpleName() + " JSON: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new BadAdminRequest(e.getMessage());
    }
  }

  private static void json(Context ctx, int status, Object value) {
    try {
      ctx.status(status).contentType(ApiResponse.JSON).result(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A malformed admin request (answered with 400 and the reason). */
  private static final class BadAdminRequest extends RuntimeException {
    BadAdminRequest(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    try {
      app.stop();
    } catch (RuntimeException e) {
      log.debug("stopping the simulator's HTTP server", e);
    }
  }
}
