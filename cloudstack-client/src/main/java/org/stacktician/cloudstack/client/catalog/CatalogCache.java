package org.stacktician.cloudstack.client.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores {@code listApis} answers per endpoint and CloudStack version, so a cloud's API is fetched
 * once per version (an upgrade changes the version and so the cache entry).
 */
public final class CatalogCache {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  public CatalogCache(Path directory) {
    this.directory = directory;
  }

  /** {@code ~/.stackmate/catalog-cache}. */
  public static Path defaultDirectory() {
    return Path.of(System.getProperty("user.home"), ".stackmate", "catalog-cache");
  }

  public Path directory() {
    return directory;
  }

  /** The cached catalog of this endpoint and version, if any (an unreadable entry counts as absent). */
  public Optional<ApiCatalog> load(URI endpoint, String version) {
    Path file = fileFor(endpoint, version);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode body = JSON.readTree(file.toFile());
      ApiCatalog parsed = ApiCatalog.fromListApisJson(body, endpoint.toString());
      return Optional.of(new ApiCatalog(endpoint.toString(), version, parsed.apis()));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Ignoring unreadable catalog cache entry {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** Stores a listApis body (written to a temporary file and moved, so readers never see half a file). */
  public void store(URI endpoint, String version, JsonNode listApisBody) {
    Path file = fileFor(endpoint, version);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "listApis", ".tmp");
      JSON.writeValue(tmp.toFile(), listApisBody);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      LOG.debug("Cached listApis of {} (version {}) in {}", endpoint, version, file);
    } catch (IOException e) {
      LOG.warn("Could not write catalog cache {}: {}", file, e.getMessage());
    }
  }

  /** {@code <dir>/<host>_<port>-<hash of the endpoint>/<version>.json}. */
  public Path fileFor(URI endpoint, String version) {
    String host = endpoint.getHost() == null ? "endpoint" : endpoint.getHost();
    String readable = (host + "_" + endpoint.getPort()).replaceAll("[^A-Za-z0-9._-]", "_");
    String safeVersion = version.replaceAll("[^A-Za-z0-9._-]", "_");
    return directory.resolve(readable + "-" + shortHash(endpoint.toString())).resolve(safeVersion + ".json");
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
