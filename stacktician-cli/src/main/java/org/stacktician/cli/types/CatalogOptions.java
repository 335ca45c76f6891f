package org.stacktician.cli.types;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.CatalogCache;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where a cloud's API catalog (its listApis) comes from, for commands that need the {@code
 * CloudStack::} types but run nothing: a listApis dump, or a live endpoint (read-only listApis, cached).
 */
public final class CatalogOptions {
  @Option(names = "--catalog", paramLabel = "FILE",
      description = "A listApis JSON dump (the listapisresponse body or its inner object).")
  Path catalogFile;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "CloudStack API endpoint, e.g. http://cloud:8080/client/api (default: $CLOUDSTACK_ENDPOINT).",
      defaultValue = "${env:CLOUDSTACK_ENDPOINT}")
  URI endpoint;

  @Option(names = "--api-key", paramLabel = "KEY", description = "API key (default: $CLOUDSTACK_API_KEY).",
      defaultValue = "${env:CLOUDSTACK_API_KEY}")
  String apiKey;

  @Option(names = "--secret-key", paramLabel = "KEY",
      description = "Secret key (default: $CLOUDSTACK_SECRET_KEY; prefer the variable: arguments are visible to other users).",
      defaultValue = "${env:CLOUDSTACK_SECRET_KEY}")
  String secretKey;

  @Option(names = "--trust-ca", paramLabel = "PEM", description = "Trust this CA certificate for an https endpoint.")
  Path trustCa;

  @Option(names = "--refresh", description = "Fetch listApis again instead of using the catalog cache.")
  boolean refresh;

  @Option(names = "--no-cache", description = "Neither read nor write the catalog cache (~/.stackmate/catalog-cache).")
  boolean noCache;

  @Option(names = "--cache-dir", paramLabel = "DIR", hidden = true, description = "Catalog cache directory.")
  Path cacheDir;

  /** True when a dump or an endpoint is given. */
  public boolean given() {
    return catalogFile != null || endpoint != null;
  }

  /** True when a live cloud is given (an endpoint), not only a dump. */
  public boolean live() {
    return endpoint != null;
  }

  /**
   * The catalog from the dump or the endpoint.
   *
   * @throws ParameterException when neither is given or the endpoint has no keys
   */
  public ApiCatalog load(CommandLine commandLine) {
    if (catalogFile != null) {
      return ApiCatalog.fromFile(catalogFile);
    }
    if (endpoint == null) {
      throw new ParameterException(commandLine,
          "give --catalog FILE (a listApis dump) or --endpoint URL with --api-key and --secret-key");
    }
    try (CloudStackClient client = client(commandLine)) {
      return client.discover(refresh);
    }
  }

  /**
   * A client of the endpoint (the caller closes it), with the catalog cache unless {@code --no-cache};
   * null when no endpoint is given.
   *
   * @throws ParameterException when the endpoint has no keys
   */
  public CloudStackClient client(CommandLine commandLine) {
    if (endpoint == null) {
      return null;
    }
    if (apiKey == null || apiKey.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new ParameterException(commandLine,
          "--endpoint needs --api-key and --secret-key (or CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY)");
    }
    CloudStackClient.Builder builder = CloudStackClient.builder()
        .endpoint(endpoint)
        .credentials(new Credentials(apiKey, secretKey))
        .requestTimeout(Duration.ofSeconds(60));
    if (trustCa != null) {
      builder.trustCa(trustCa);
    }
    if (!noCache) {
      builder.catalogCache(new CatalogCache(cacheDir != null ? cacheDir : CatalogCache.defaultDirectory()));
    }
    return builder.build();
  }
}
