package org.stacktician.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Merges the server's configuration from its three sources, later ones winning: a file
 * ({@code .properties}, or {@code .yaml}/{@code .yml} with nested or dotted keys), the environment
 * ({@code STACKTICIAN_<KEY>} with dots and dashes as underscores, e.g. {@code STACKTICIAN_DATABASE_URL}),
 * then the command line's flags. Unknown keys and bad values are refused with where they came from.
 */
public final class ServerConfigLoader {
  /** Every key the configuration knows. */
  public enum Key {
    DATA_DIR("data-dir"),
    LISTEN_ADDRESS("listen-address"),
    PORT("port"),
    DATABASE_URL("database.url"),
    DATABASE_USER("database.user"),
    DATABASE_PASSWORD("database.password"),
    ENCRYPTION_KEY("encryption-key"),
    PUBLIC_URL("public-url"),
    DEMO("demo");

    private final String name;

    Key(String name) {
      this.name = name;
    }

    /** The key as written in a configuration file. */
    public String fileName() {
      return name;
    }

    /** The environment variable that sets it. */
    public String envName() {
      return "STACKTICIAN_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Key fromFileName(String name) {
      for (Key k : values()) {
        if (k.name.equals(name)) {
          return k;
        }
      }
      return null;
    }
  }

  /** A configuration that cannot be used; the message says which value and where it came from. */
  public static final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
      super(message);
    }
  }

  private record Value(String text, String source) {}

  private ServerConfigLoader() {}

  /**
   * The configuration from a file (null for none), an environment and flags (keys as in a file).
   *
   * @throws InvalidConfigException when a file cannot be read or a value is not valid
   */
  public static ServerConfig load(Path file, Map<String, String> env, Map<Key, String> flags) {
    Map<Key, Value> values = new LinkedHashMap<>();
    if (file != null) {
      readFile(file).forEach((k, v) -> {
        Key key = Key.fromFileName(k);
        if (key == null) {
          throw new InvalidConfigException("unknown key '" + k + "' in " + file + "; known keys: " + knownKeys());
        }
        values.put(key, new Value(v, file.toString()));
      });
    }
    for (Key k : Key.values()) {
      String v = env.get(k.envName());
      if (v != null && !v.isBlank()) {
        values.put(k, new Value(v, "environment variable " + k.envName()));
      }
    }
    flags.forEach((k, v) -> {
      if (v != null) {
        values.put(k, new Value(v, "the command line"));
      }
    });
    return build(values);
  }

  private static ServerConfig build(Map<Key, Value> values) {
    ServerConfig d = ServerConfig.defaults();
    Path dataDir = values.containsKey(Key.DATA_DIR) ? path(values.get(Key.DATA_DIR)) : d.dataDir();
    String listen = text(values, Key.LISTEN_ADDRESS, d.listenAddress());
    int port = values.containsKey(Key.PORT) ? port(values.get(Key.PORT)) : d.port();
    String url = text(values, Key.DATABASE_URL, null);
    if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      Value v = values.get(Key.DATABASE_URL);
      throw new InvalidConfigException("database.url from " + v.source() + " must be a jdbc:postgresql: (or jdbc:h2:)"
          + " URL, e.g. jdbc:postgresql://db.example.com:5432/stacktician");
    }
    URI publicUrl = values.containsKey(Key.PUBLIC_URL) ? url(values.get(Key.PUBLIC_URL)) : null;
    boolean demo = values.containsKey(Key.DEMO) ? bool(values.get(Key.DEMO)) : d.demo();
    return new ServerConfig(dataDir, listen, port, url, text(values, Key.DATABASE_USER, null),
        text(values, Key.DATABASE_PASSWORD, null), text(values, Key.ENCRYPTION_KEY, null), publicUrl, demo);
  }

  private static String knownKeys() {
    StringBuilder sb = new StringBuilder();
    for (Key k : Key.values()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(k.fileName());
    }
    return sb.toString();
  }

  private static String text(Map<Key, Value> values, Key key, String fallback) {
    Value v = values.get(key);
    return v == null || v.text().isBlank() ? fallback : v.text().strip();
  }

  private static Path path(Value v) {
    String t = v.text().strip();
    return t.startsWith("~/") ? Path.of(System.getProperty("user.home"), t.substring(2)) : Path.of(t);
  }

  private static int port(Value v) {
    try {
      int p = Integer.parseInt(v.text().strip());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidConfigException("port from " + v.source() + " is '" + v.text() + "': give 0 to 65535");
  }

  private static URI url(Value v) {
    try {
      URI u = new URI(v.text().strip());
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return u;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new InvalidConfigException("public-url from " + v.source() + " is '" + v.text()
        + "': give an http:// or https:// URL with a host, e.g. https://stacktician.example.com/");
  }

  private static boolean bool(Value v) {
    return switch (v.text().strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new InvalidConfigException("demo from " + v.source() + " is '" + v.text() + "': give true or false");
    };
  }

  /** A file's keys (dotted) and values, from a properties or YAML file by its extension. */
  private static Map<String, String> readFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      throw new InvalidConfigException("cannot read the configuration file " + file + ": "
          + (Files.isDirectory(file) ? "it is a directory" : "no such file"));
    }
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root != null && !root.isMissingNode() && !root.isNull()) {
          if (!root.isObject()) {
            throw new InvalidConfigException(file + " must hold a mapping of keys to values");
          }
          flatten("", root, out, file);
        }
      } else if (name.endsWith(".properties")) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
          p.load(r);
        }
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
      } else {
        throw new InvalidConfigException("cannot tell the format of " + file + ": name it .properties, .yaml or .yml");
      }
    } catch (IOException e) {
      throw new InvalidConfigException("cannot read the configuration file " + file + ": " + e.getMessage());
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
    node.properties().forEach(e -> {
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatten(key + ".", v, out, file);
      } else if (v.isValueNode()) {
        out.put(key, v.asText());
      } else {
        throw new InvalidConfigException("key '" + key + "' in " + file + " must be a single value");
      }
    });
  }
}
