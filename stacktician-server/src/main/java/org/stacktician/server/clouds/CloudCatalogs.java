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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.server.ServerException;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.db.Sql;

/**
 * The {@code CloudStack::} catalogs of cloud accounts: each cloud's {@code listApis} answer, read when an account is
 * saved or refreshed, stored in the database (one row per distinct answer, keyed by its SHA-256, so accounts of one
 * cloud share it and any node can read it; a row no account uses any more is deleted), and its resource types kept in
 * memory by that key.
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

  /** A cloud's {@code listApis} answer as read, not yet stored: its key, reported version, API count and text. */
  public record Fetched(String id, String cloudStackVersion, int apiCount, byte[] text) {}

  /**
   * Reads a cloud's {@code listApis}; {@link #store} keeps it with the account that uses it.
   *
   * @throws ServerException.Invalid when the cloud cannot be reached or refuses the keys, naming the field to fix
   */
  public Fetched fetch(CloudCredentials cloud) {
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
    return new Fetched(sha256(text), apis.cloudStackVersion(), apis.apis().size(), text);
  }

  /**
   * Stores a fetched catalog (unless an equal answer is stored already) in the transaction of {@code h}, which then
   * points an account at it and calls {@link #prune}; the row is locked until then, so that another node's prune cannot
   * take it away in between.
   *
   * @return the catalog's key
   */
  public String store(Handle h, Fetched fetched) {
    for (int attempt = 0; ; attempt++) {
      if (h.createQuery("SELECT catalog_id FROM st_cloud_catalogs WHERE catalog_id = :id FOR UPDATE")
          .bind("id", fetched.id()).mapTo(String.class).findOne().isPresent()) {
        return fetched.id();
      }
      h.savepoint("catalog");
      try {
        h.createUpdate("INSERT INTO st_cloud_catalogs (catalog_id, cloudstack_version, api_count, list_apis,"
                + " fetched_at) VALUES (:id, :version, :count, :body, :at)")
            .bind("id", fetched.id()).bind("version", fetched.cloudStackVersion()).bind("count", fetched.apiCount())
            .bind("body", gzipBase64(fetched.text())).bind("at", ServerDatabase.timestamp(Instant.now())).execute();
        h.release("catalog");
        return fetched.id();
      } catch (RuntimeException e) {
        h.rollbackToSavepoint("catalog");
        if (!Sql.isUniqueViolation(e) || attempt > 0) { // else another node stored the same answer at the same time
          throw e;
        }
      }
    }
  }

  /**
   * Deletes, in the transaction of {@code h}, the catalogs no account uses any more (an account's cloud was upgraded or
   * moved, or the account removed): only the catalogs accounts point at are kept. A catalog that another node's
   * transaction starts using meanwhile stays, for a later prune.
   */
  public void prune(Handle h) {
    h.savepoint("prune");
    try {
      h.createUpdate("DELETE FROM st_cloud_catalogs WHERE NOT EXISTS (SELECT 1 FROM st_cloud_accounts a"
          + " WHERE a.catalog_id = st_cloud_catalogs.catalog_id)").execute();
      h.release("prune");
    } catch (RuntimeException e) {
      h.rollbackToSavepoint("prune");
      if (!Sql.isForeignKeyViolation(e)) {
        throw e;
      }
    }
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
