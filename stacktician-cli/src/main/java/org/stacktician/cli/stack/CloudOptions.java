package org.stacktician.cli.stack;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.stacktician.cli.PluginOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which cloud the engine talks to: {@code --simulator}, or an endpoint with keys given by options,
 * a profile file, or the original StackMate's environment variables ({@code URL}, {@code APIKEY},
 * {@code SECKEY}), in that order of precedence.
 */
public final class CloudOptions {
  /** The keys a {@code --profile} file may have. */
  static final List<String> PROFILE_KEYS = List.of("endpoint", "api-key", "secret-key");

  @Option(names = "--simulator", description = "Run against an embedded CloudStack simulator (output is labelled SIMULATED).")
  boolean simulator;

  @Option(names = "--endpoint", paramLabel = "URL", description = "CloudStack API endpoint, e.g. http://mgmt:8080/client/api (env URL).")
  String endpoint;

  @Option(names = "--api-key", paramLabel = "KEY", description = "CloudStack API key (env APIKEY).")
  String apiKey;

  @Option(names = "--secret-key", paramLabel = "KEY", description = "CloudStack secret key (env SECKEY).")
  String secretKey;

  @Option(names = "--profile", paramLabel = "FILE",
      description = "A properties file with endpoint=, api-key= and secret-key= (options override it).")
  Path profile;

  @Option(names = "--mapping-file", paramLabel = "FILE",
      description = "Mapping of AWS AMI ids and instance types to CloudStack templates and offerings (for AWS:: types).")
  Path mappingFile;

  @Mixin PluginOptions plugins = new PluginOptions();

  @Option(names = "--callback-bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Interface the wait-condition and metadata listener binds (default: ${DEFAULT-VALUE}).")
  String callbackBind;

  @Option(names = "--callback-port", paramLabel = "PORT", defaultValue = "0",
      description = "Port of that listener (default: any free port).")
  int callbackPort;

  @Option(names = "--callback-url", paramLabel = "URL",
      description = "Base URL guests use to reach that listener (env WAIT_COND_URL_BASE; default: its bind address).")
  String callbackUrl;

  /** Options that select the embedded simulator (for demo). */
  public static CloudOptions simulated() {
    CloudOptions o = new CloudOptions();
    o.simulator = true;
    o.callbackBind = "127.0.0.1";
    return o;
  }

  /** The cloud to use, resolved from options, the profile and the environment. */
  public Target target() {
    if (simulator) {
      return new Target.Simulated();
    }
    Properties p = new Properties();
    if (profile != null) {
      try (Reader r = Files.newBufferedReader(profile)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read profile " + profile + ": " + e.getMessage());
      }
      for (String key : new TreeSet<>(p.stringPropertyNames())) {
        if (!PROFILE_KEYS.contains(key)) {
          throw new IllegalArgumentException("profile " + profile + " has an unknown key '" + key + "'; its keys are "
              + String.join(", ", PROFILE_KEYS));
        }
      }
    }
    String url = first(endpoint, p.getProperty("endpoint"), System.getenv("URL"));
    String key = first(apiKey, p.getProperty("api-key"), System.getenv("APIKEY"));
    String secret = first(secretKey, p.getProperty("secret-key"), System.getenv("SECKEY"));
    if (url == null || key == null || secret == null) {
      throw new IllegalArgumentException("no cloud given: use --simulator, or --endpoint/--api-key/--secret-key, "
          + "a --profile file, or the environment variables URL, APIKEY and SECKEY");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint '" + url + "' is not a URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?")) {
      throw new IllegalArgumentException("endpoint '" + url + "' must be an http:// or https:// URL");
    }
    return new Target.Remote(uri, key, secret);
  }

  /** The advertised callback URL: the option, else WAIT_COND_URL_BASE, else null (the listener's own). */
  public URI advertisedCallbackUrl() {
    String url = first(callbackUrl, System.getenv("WAIT_COND_URL_BASE"), null);
    return url == null ? null : URI.create(url);
  }

  private static String first(String a, String b, String c) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    if (b != null && !b.isBlank()) {
      return b;
    }
    return c == null || c.isBlank() ? null : c;
  }

  /** The chosen cloud. */
  public sealed interface Target {
    /** An embedded simulator started for this run. */
    record Simulated() implements Target {}

    /** A real (or separately running) CloudStack endpoint. */
    record Remote(URI endpoint, String apiKey, String secretKey) implements Target {
      @Override
      public String toString() {
        return "Remote[" + endpoint + ", apiKey=" + apiKey + ", secretKey=****]";
      }
    }
  }
}
