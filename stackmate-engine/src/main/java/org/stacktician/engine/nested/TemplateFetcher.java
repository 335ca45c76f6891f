package org.stacktician.engine.nested;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.stacktician.cloudstack.client.HttpFailures;

/**
 * Reads a nested stack's TemplateURL: {@code http(s)://...}, {@code file:...} or a plain path, or
 * {@code stored:NAME} for a template stored in the engine's store. Bodies are limited to 1 MiB.
 */
final class TemplateFetcher {
  static final int MAX_BYTES = 1 << 20;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private final NestedStackHost host;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  TemplateFetcher(NestedStackHost host) {
    this.host = host;
  }

  /** The template text; throws {@link IllegalArgumentException} with a readable reason. */
  String fetch(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("stored:")) {
      String name = url.substring("stored:".length());
      return host.storedTemplate(name)
          .orElseThrow(() -> new IllegalArgumentException("no stored template named '" + name + "'"));
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return http(url);
    }
    Path path = lower.startsWith("file:") ? Path.of(URI.create(url)) : Path.of(url);
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw new IllegalArgumentException("template " + path + " is larger than " + MAX_BYTES + " bytes");
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read template " + path + ": no such file", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read template " + path + ": " + e.getMessage(), e);
    }
  }

  private String http(String url) {
    try {
      HttpResponse<InputStream> resp = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        byte[] body = in.readNBytes(MAX_BYTES + 1);
        if (resp.statusCode() / 100 != 2) {
          throw new IllegalArgumentException("fetching " + url + " answered HTTP " + resp.statusCode());
        }
        if (body.length > MAX_BYTES) {
          throw new IllegalArgumentException("template at " + url + " is larger than " + MAX_BYTES + " bytes");
        }
        return new String(body, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot fetch " + url + ": " + HttpFailures.describe(e, REQUEST_TIMEOUT), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted while fetching " + url, e);
    }
  }
}
