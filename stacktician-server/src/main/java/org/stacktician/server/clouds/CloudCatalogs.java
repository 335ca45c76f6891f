package org.stacktician.server.clouds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jdbi.v3.core.Jdbi;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.server.ServerException;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.db.Sql;

/**
 * The {@code CloudStack::} catalogs of cloud accounts: each cloud's {@code listApis} answer, read when an account is
 * saved or refreshed, stored in the database (one row per distinct answer, keyed by its SHA-256, so accounts of one
 * cloud share it and any node can read it), and its resource types kept in memory by that key.
 */
public final class CloudCatalogs {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Catalogs kept in memory at most; a key's content never changes, so dropping one costs only a re-read. */
  private static final int MAX_CACHED = 32;

  private final Jdbi jdbi;
  private final Map<String, ResourceTypeCatalog> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ResourceTypeCatalog> eldest) {
      return size() > MAX_CACHED;
    }
  };

  public CloudCatalogs(ServerDatabase db) {
    this.jdbi = db.jdbi();
  }

  /** A stored catalog as shown: its key, the CloudStack version it reports, its API and resource type counts. */
  public record Summary(String id, String cloudStackVersion, int apiCount, Instant fetchedAt) {}

  /**
   * Reads a cloud's {@code listApis} and stores it (unless an equal answer is stored already).
   *
   * @return the catalog's key
   * @throws ServerException.Invalid when the cloud cannot be reached or refuses the keys, naming the field to fix
   */
  public String discover(CloudCredentials cloud) {
    JsonNode listApis = CloudCheck.listApis(cloud);
    ApiCatalog apis;
    try {
      apis = ApiCatalog.fromListApisJson(listApis, cloud.endpoint().toString());
    } catch (IllegalArgumentException e) {
      throw ServerException.Invalid.field("endpoint", "CloudStack at " + cloud.endpoint() + " answered listApis with"
          + " something that is not a list of APIs: " + e.getMessage());
    }
    byte[] text;
    try {
      text = JSON.writeValueAsBytes(listApis);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String id = sha256(text);
    boolean known = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM st_cloud_catalogs WHERE catalog_id = :id")
        .bind("id", id).mapTo(Integer.class).one()) > 0;
    if (!known) {
      try {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO st_cloud_catalogs (catalog_id, cloudstack_version, api_count,"
                + " list_apis, fetched_at) VALUES (:id, :version, :count, :body, :at)")
            .bind("id", id).bind("version", apis.cloudStackVersion()).bind("count", apis.apis().size())
            .bind("body", gzipBase64(text)).bind("at", ServerDatabase.timestamp(Instant.now())).execute());
      } catch (RuntimeException e) {
        if (!Sql.isUniqueViolation(e)) { // another node stored the same answer at the same time
          throw e;
        }
      }
    }
    return id;
  }

  /** A stored catalog's summary. */
  public Optional<Summary> summary(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT catalog_id, cloudstack_version, api_count, fetched_at"
            + " FROM st_cloud_catalogs WHERE catalog_id = :id").bind("id", id)
        .map((rs, ctx) -> new Summary(rs.getString(1), rs.getString(2), rs.getInt(3), Sql.instant(rs, "fetched_at")))
        .findOne());
  }

  /** The resource types of a stored catalog: the same object for one key while it stays in memory. */
  public ResourceTypeCatalog types(String id) {
    synchronized (cache) {
      ResourceTypeCatalog known = cache.get(id);
      if (known != null) {
        return known;
      }
    }
    String body = jdbi.withHandle(h -> h.createQuery("SELECT list_apis FROM st_cloud_catalogs WHERE catalog_id = :id")
        .bind("id", id).mapTo(String.class).findOne())
        .orElseThrow(() -> new IllegalStateException("the cloud catalog " + id + " is not in the database"));
    ResourceTypeCatalog types;
    try {
      types = ResourceTypeCatalog.derive(ApiCatalog.fromListApisJson(JSON.readTree(gunzipBase64(body)),
          "catalog " + id));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stored cloud catalog " + id, e);
    }
    synchronized (cache) {
      return cache.computeIfAbsent(id, k -> types);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String gzipBase64(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static byte[] gunzipBase64(String text) throws IOException {
    try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
      return gz.readAllBytes();
    }
  }
}
