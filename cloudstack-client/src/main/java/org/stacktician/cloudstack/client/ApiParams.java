package org.stacktician.cloudstack.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Builds request parameters encoded the way CloudStack expects (CLOUDSTACK-API.md §8): lists
 * comma-joined, maps as indexed sub-keys ({@code tags[0].key=...}), booleans {@code true/false},
 * userdata Base64. Each key is set once (the server reads only the first value).
 */
public final class ApiParams {

  private final Map<String, String> params = new LinkedHashMap<>();

  private ApiParams() {
  }

  public static ApiParams create() {
    return new ApiParams();
  }

  /** A plain value; null values are left out. */
  public ApiParams put(String name, Object value) {
    if (value != null) {
      params.put(name, String.valueOf(value));
    }
    return this;
  }

  public ApiParams putBoolean(String name, boolean value) {
    params.put(name, value ? "true" : "false");
    return this;
  }

  /** A {@code list} parameter: values comma-joined ({@code networkids=a,b}); empty lists are left out. */
  public ApiParams putList(String name, Collection<?> values) {
    if (values != null && !values.isEmpty()) {
      params.put(name, values.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    return this;
  }

  /**
   * A {@code map} parameter given as entries with their API-specific sub-keys:
   * {@code putMap("tags", List.of(Map.of("key","a","value","b")))} gives
   * {@code tags[0].key=a&tags[0].value=b}.
   */
  public ApiParams putMap(String name, List<? extends Map<String, ?>> entries) {
    if (entries == null) {
      return this;
    }
    int i = 0;
    for (Map<String, ?> entry : entries) {
      for (Map.Entry<String, ?> e : entry.entrySet()) {
        if (e.getValue() != null) {
          params.put(name + "[" + i + "]." + e.getKey(), String.valueOf(e.getValue()));
        }
      }
      i++;
    }
    return this;
  }

  /** Key/value tags as CloudStack's {@code tags[i].key}/{@code tags[i].value}. */
  public ApiParams putTags(Map<String, String> tags) {
    int i = 0;
    for (Map.Entry<String, String> e : tags.entrySet()) {
      params.put("tags[" + i + "].key", e.getKey());
      params.put("tags[" + i + "].value", Objects.requireNonNullElse(e.getValue(), ""));
      i++;
    }
    return this;
  }

  /** A detail-style map ({@code details[0].cpuNumber=2}): all keys under index 0. */
  public ApiParams putDetails(String name, Map<String, ?> details) {
    details.forEach((k, v) -> put(name + "[0]." + k, v));
    return this;
  }

  /** Userdata: the raw text Base64-encoded (CloudStack requires Base64; the client then POSTs). */
  public ApiParams putUserData(String name, String rawUserData) {
    if (rawUserData != null) {
      params.put(name, Base64.getEncoder().encodeToString(rawUserData.getBytes(StandardCharsets.UTF_8)));
    }
    return this;
  }

  public Map<String, String> build() {
    return Map.copyOf(params);
  }

  /** The parameters in insertion order (a copy). */
  public Map<String, String> asOrderedMap() {
    return new LinkedHashMap<>(params);
  }
}
