package org.stacktician.cloudstack.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.client.RetryPolicy;
import org.stacktician.cloudstack.client.signing.RequestSigner;

/** Helpers for tests: real clients and raw signed HTTP requests against a running simulator. */
final class SimulatorTesting {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient RAW = HttpClient.newHttpClient();

  private SimulatorTesting() {}

  /** The project's real client for the simulator's default account. */
  static CloudStackClient client(CloudStackSimulator sim) {
    return client(sim, sim.credentials());
  }

  static CloudStackClient client(CloudStackSimulator sim, Credentials credentials) {
    return CloudStackClient.builder().endpoint(sim.endpoint()).credentials(credentials)
        .asyncPolling(Duration.ofMillis(5), Duration.ofMillis(50)).retryPolicy(RetryPolicy.none()).build();
  }

  /** A raw answer: HTTP status and parsed body. */
  record Raw(int status, JsonNode body, String text, HttpResponse<String> response) {}

  /** Sends a signed request without the client (to check exact statuses and bodies). */
  static Raw signed(CloudStackSimulator sim, boolean post, Map<String, String> params) {
    Map<String, String> all = new LinkedHashMap<>(params);
    all.putIfAbsent("response", "json");
    all.put("apiKey", sim.credentials().apiKey());
    all.put("signature", RequestSigner.sign(all, sim.credentials().secretKey()));
    return raw(sim, post, all);
  }

  /** Sends exactly these parameters (no signing added). */
  static Raw raw(CloudStackSimulator sim, boolean post, Map<String, String> params) {
    String form = params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest request = post
        ? HttpRequest.newBuilder(sim.endpoint()).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build()
        : HttpRequest.newBuilder(URI.create(sim.endpoint() + "?" + form)).GET().build();
    try {
      HttpResponse<String> response = RAW.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      if (response.body().startsWith("{")) {
        body = JSON.readTree(response.body());
      }
      return new Raw(response.statusCode(), body, response.body(), response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET of an admin path, parsed. */
  static JsonNode admin(CloudStackSimulator sim, String path) {
    try {
      HttpResponse<String> r = RAW.send(HttpRequest.newBuilder(sim.adminEndpoint().resolve(path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An admin request with a JSON body; returns the status and text. */
  static HttpResponse<String> admin(CloudStackSimulator sim, String method, String path, String body) {
    try {
      return RAW.send(HttpRequest.newBuilder(sim.adminEndpoint().resolve(path))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Looks up a seeded item's id by name through the API. */
  static String idOf(CloudStackClient client, String listCommand, Map<String, String> params, String name) {
    return client.list(listCommand, params).stream().filter(n -> name.equals(n.path("name").asText())).findFirst()
        .orElseThrow(() -> new AssertionError(listCommand + " has no item named " + name)).path("id").asText();
  }
}
