package org.stacktician.cloudstack.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.stacktician.cloudstack.client.signing.RequestSigner;

/**
 * A tiny CloudStack stand-in on loopback for client tests: it parses GET query strings and POST
 * forms, verifies every signature with {@link RequestSigner} (and {@code expires}), records what
 * it received, and answers with scripted bodies, statuses, delays or dropped connections.
 */
final class LoopbackCloudStack implements AutoCloseable {

  static final String API_KEY = "loopback-api-key";
  static final String SECRET_KEY = "loopback-secret/key+with~odd*chars";

  /** One scripted answer. */
  record Answer(int status, String body, Map<String, String> headers, long delayMillis, boolean drop) {
    static Answer ok(String body) {
      return new Answer(200, body, Map.of(), 0, false);
    }

    static Answer status(int status, String body) {
      return new Answer(status, body, Map.of(), 0, false);
    }

    static Answer error(int status, String command, int csErrorCode, String text) {
      return status(status, "{\"" + command.toLowerCase(Locale.ROOT) + "response\":{\"uuidList\":[],\"errorcode\":"
          + status + ",\"cserrorcode\":" + csErrorCode + ",\"errortext\":\"" + text + "\"}}");
    }

    static Answer dropConnection() {
      return new Answer(0, "", Map.of(), 0, true);
    }

    static Answer delayed(long millis, String body) {
      return new Answer(200, body, Map.of(), millis, false);
    }

    Answer withHeader(String name, String value) {
      Map<String, String> h = new HashMap<>(headers);
      h.put(name, value);
      return new Answer(status, body, Map.copyOf(h), delayMillis, drop);
    }
  }

  /** What the server received. */
  record Received(String method, String contentType, Map<String, String> params) {
    String command() {
      return params.get("command");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Answer> defaults = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile boolean checkSignatures = true;

  private LoopbackCloudStack(HttpServer server) {
    this.server = server;
    server.setExecutor(executor);
    server.createContext("/client/api", this::handle);
    server.start();
  }

  static LoopbackCloudStack start() throws IOException {
    return new LoopbackCloudStack(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  static LoopbackCloudStack startTls(SSLContext context) throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    return new LoopbackCloudStack(https);
  }

  URI endpoint() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/client/api");
  }

  CloudStackClient.Builder clientBuilder() {
    return CloudStackClient.builder().endpoint(endpoint()).credentials(new Credentials(API_KEY, SECRET_KEY))
        .retryPolicy(new RetryPolicy(3, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50)))
        .asyncPolling(java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(20));
  }

  /** Answers {@code command} with these answers in turn; the last one repeats. */
  LoopbackCloudStack on(String command, Answer... answers) {
    Deque<Answer> queue = new ArrayDeque<>(List.of(answers));
    defaults.put(command, queue.peekLast());
    scripts.put(command, queue);
    return this;
  }

  LoopbackCloudStack skipSignatureCheck() {
    checkSignatures = false;
    return this;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<Received> received(String command) {
    return received.stream().filter(r -> command.equals(r.command())).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> params = new TreeMap<>();
      parse(exchange.getRequestURI().getRawQuery(), params);
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if ("POST".equals(exchange.getRequestMethod())) {
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), params);
      }
      received.add(new Received(exchange.getRequestMethod(), contentType, Map.copyOf(params)));
      String command = params.getOrDefault("command", "");
      if (checkSignatures && !authentic(params)) {
        respond(exchange, Answer.status(401, "{\"" + command.toLowerCase(Locale.ROOT) + "response\":{\"uuidList\":[],"
            + "\"errorcode\":401,\"errortext\":\"unable to verify user credentials and/or request signature\"}}"));
        return;
      }
      Deque<Answer> queue = scripts.get(command);
      Answer answer = queue == null ? null : queue.size() > 1 ? queue.pollFirst() : defaults.get(command);
      if (answer == null) {
        answer = Answer.status(432, "{\"errorresponse\":{\"uuidList\":[],\"errorcode\":432,"
            + "\"cserrorcode\":9999,\"errortext\":\"Unknown API command: " + command + "\"}}");
      }
      if (answer.delayMillis() > 0) {
        try {
          Thread.sleep(answer.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (answer.drop()) {
        return; // closing the exchange without a response drops the connection
      }
      respond(exchange, answer);
    }
  }

  private boolean authentic(Map<String, String> params) {
    String apiKey = params.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("apikey"))
        .map(Map.Entry::getValue).findFirst().orElse(null);
    if (!API_KEY.equals(apiKey)) {
      return false;
    }
    Map<String, String> unsigned = new TreeMap<>(params);
    String signature = unsigned.remove("signature");
    if (!RequestSigner.verify(unsigned, signature, SECRET_KEY)) {
      return false;
    }
    if ("3".equals(params.get("signatureVersion"))) {
      String expires = params.get("expires");
      if (expires == null) {
        return false;
      }
      OffsetDateTime at = OffsetDateTime.parse(expires, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ"));
      return at.toInstant().isAfter(java.time.Instant.now());
    }
    return true;
  }

  private static void respond(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void parse(String raw, Map<String, String> into) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.putIfAbsent(name, value); // the server reads only the first value
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
