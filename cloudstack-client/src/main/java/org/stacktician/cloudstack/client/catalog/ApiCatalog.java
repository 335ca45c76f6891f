package org.stacktician.cloudstack.client.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The APIs a CloudStack endpoint offers, read from its {@code listApis} answer.
 *
 * @param source where the catalog came from (a file path or an endpoint URL)
 * @param cloudStackVersion the newest {@code since} among the APIs (a lower bound of the server version:
 *        listApis does not report the version itself), or "unknown"
 */
public record ApiCatalog(String source, String cloudStackVersion, Map<String, ApiDefinition> apis) {

  /** Largest listApis file accepted (the 4.18 dump is about 3 MB). */
  public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  public ApiCatalog {
    apis = Collections.unmodifiableMap(new TreeMap<>(apis));
  }

  public Optional<ApiDefinition> api(String name) {
    return Optional.ofNullable(apis.get(name));
  }

  /**
   * Reads a {@code listApis} body: the whole response ({@code {"listapisresponse":{...}}}) or its
   * inner object ({@code {"api":[...],"count":N}}).
   */
  public static ApiCatalog fromListApisJson(JsonNode listApisResponse, String source) {
    JsonNode inner = listApisResponse;
    if (inner != null && inner.isObject() && !inner.has("api") && inner.size() == 1) {
      inner = inner.elements().next();
    }
    if (inner == null || !inner.isObject()) {
      throw new IllegalArgumentException(source + ": not a listApis response (expected a JSON object)");
    }
    JsonNode list = inner.path("api");
    if (!list.isArray()) {
      if (inner.isEmpty()) {
        return new ApiCatalog(source, "unknown", Map.of());
      }
      throw new IllegalArgumentException(source + ": not a listApis response (no \"api\" array)");
    }
    Map<String, ApiDefinition> apis = new TreeMap<>();
    for (JsonNode api : list) {
      String name = api.path("name").asText("");
      if (name.isEmpty()) {
        continue;
      }
      apis.put(name, new ApiDefinition(name, api.path("description").asText(""), bool(api.path("isasync")),
          parameters(api.path("params")), fields(api.path("response")), text(api.path("since"))));
    }
    return new ApiCatalog(source, newestSince(apis.values()), apis);
  }

  /** Reads a listApis dump from a file (either layout accepted by {@link #fromListApisJson}). */
  public static ApiCatalog fromFile(Path path) {
    try {
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(path + ": " + size + " bytes is larger than the " + MAX_FILE_BYTES
            + "-byte limit for a listApis file");
      }
      JsonNode root;
      try {
        root = JSON.readTree(path.toFile());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException(path + ": not valid JSON: " + e.getOriginalMessage(), e);
      }
      return fromListApisJson(root, path.toString());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("listApis file not found: " + path, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read listApis file " + path + ": " + e.getMessage(), e);
    }
  }

  private static List<ApiParameter> parameters(JsonNode params) {
    List<ApiParameter> out = new ArrayList<>();
    for (JsonNode p : params) {
      String name = p.path("name").asText("");
      if (name.isEmpty()) {
        continue;
      }
      out.add(new ApiParameter(name, p.path("type").asText(""), bool(p.path("required")),
          p.path("length").asInt(0), p.path("description").asText(""), related(p.path("related")),
          text(p.path("since"))));
    }
    return out;
  }

  private static List<ResponseField> fields(JsonNode response) {
    List<ResponseField> out = new ArrayList<>();
    for (JsonNode f : response) {
      String name = f.path("name").asText("");
      if (name.isEmpty()) {
        continue; // listApis carries empty {} entries for undocumented fields
      }
      out.add(new ResponseField(name, f.path("type").asText(""), f.path("description").asText(""),
          fields(f.path("response"))));
    }
    return out;
  }

  private static List<String> related(JsonNode node) {
    String text = node.asText("");
    if (text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
  }

  private static boolean bool(JsonNode node) {
    return node.isBoolean() ? node.booleanValue() : "true".equalsIgnoreCase(node.asText());
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }

  private static String newestSince(Iterable<ApiDefinition> apis) {
    String newest = null;
    for (ApiDefinition api : apis) {
      if (api.since() == null) {
        continue;
      }
      int c = newest == null ? 1 : compareVersions(api.since(), newest);
      if (c > 0 || (c == 0 && api.since().length() > newest.length())) {
        newest = api.since();
      }
    }
    return newest == null ? "unknown" : newest;
  }

  /** Compares dotted version strings numerically ("4.9" < "4.18"). */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c = Integer.compare(part(x, i), part(y, i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int part(String[] parts, int i) {
    if (i >= parts.length) {
      return 0;
    }
    String digits = parts[i].replaceAll("\\D.*", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }
}
