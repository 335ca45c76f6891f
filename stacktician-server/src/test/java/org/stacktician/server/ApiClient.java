package org.stacktician.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.stacktician.server.auth.SigV4Signer;

/** A test client of the REST API over real HTTP: SigV4-signed, bearer, or with no credentials. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;
  private final String accessKeyId;
  private final String secret;
  private final boolean sigV4;

  private ApiClient(URI base, String accessKeyId, String secret, boolean sigV4) {
    this.base = base;
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.sigV4 = sigV4;
  }

  /** Signs every request with Signature Version 4. */
  public static ApiClient signed(URI api, String accessKeyId, String secret) {
    return new ApiClient(api, accessKeyId, secret, true);
  }

  /** Sends {@code Bearer ACCESS_KEY_ID:SECRET}. */
  public static ApiClient bearer(URI api, String accessKeyId, String secret) {
    return new ApiClient(api, accessKeyId, secret, false);
  }

  /** Sends no credentials. */
  public static ApiClient anonymous(URI api) {
    return new ApiClient(api, null, null, false);
  }

  /** An answer: status and JSON body (null when empty). */
  public record Answer(int status, JsonNode body, String text) {
    public String code() {
      return body == null ? null : body.path("code").asText(null);
    }
  }

  public Answer get(String path) {
    return send("GET", path, null);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null);
  }

  public Answer post(String path, Object body) {
    return send("POST", path, body);
  }

  public Answer put(String path, Object body) {
    return send("PUT", path, body);
  }

  /** Sends a request; {@code body} is JSON-encoded unless it is already bytes. */
  public Answer send(String method, String path, Object body) {
    try {
      byte[] bytes = body == null ? new byte[0]
          : body instanceof byte[] raw ? raw : JSON.writeValueAsBytes(body);
      URI uri = URI.create(base + path);
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
          .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(bytes));
      if (bytes.length > 0) {
        b.header("Content-Type", "application/json");
      }
      if (accessKeyId != null && sigV4) {
        Map<String, String> extra = bytes.length > 0 ? Map.of("Content-Type", "application/json") : Map.of();
        new SigV4Signer(accessKeyId, secret, "us-east-1", "stacktician").sign(method, uri, extra, bytes, Instant.now())
            .forEach(b::header);
      } else if (accessKeyId != null) {
        b.header("Authorization", "Bearer " + accessKeyId + ":" + secret);
      }
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode json = null;
      if (!r.body().isEmpty() && r.headers().firstValue("Content-Type").orElse("").contains("json")) {
        json = JSON.readTree(r.body());
      }
      return new Answer(r.statusCode(), json, r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
