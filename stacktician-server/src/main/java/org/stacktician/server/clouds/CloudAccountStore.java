package org.stacktician.server.clouds;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.engine.state.StateCipher;
import org.stacktician.server.Ids;
import org.stacktician.server.ServerException;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.db.Sql;
import org.stacktician.server.users.Caller;

/**
 * Users' CloudStack accounts: endpoint and keys, both keys sealed with the server's key. An
 * account is checked against its cloud ({@link CloudCheck}) before it is saved, and its cloud's
 * {@code CloudStack::} catalog read then ({@link CloudCatalogs}), again whenever its endpoint or
 * keys change, and on demand ({@link #refreshCatalog}).
 */
public final class CloudAccountStore {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Jdbi jdbi;
  private final StateCipher cipher;
  private final CloudCatalogs catalogs;

  public CloudAccountStore(ServerDatabase db) {
    this.jdbi = db.jdbi();
    this.cipher = db.cipher();
    this.catalogs = new CloudCatalogs(db);
  }

  /** The accounts' clouds' catalogs. */
  public CloudCatalogs catalogs() {
    return catalogs;
  }

  /** What a user gives for an account; null fields of an update keep their value. */
  public record Input(String name, String endpoint, String apiKey, String secretKey) {
    @Override
    public String toString() {
      return "Input[" + name + ", " + endpoint + "]";
    }
  }

  /** Adds an account for the caller after checking it against the cloud. */
  public CloudAccount create(Caller caller, Input in) {
    return insert(caller.id(), in, false, true);
  }

  /** Adds an account without checking it (the demo user's simulator, already known to answer). */
  public CloudAccount insert(String userId, Input in, boolean simulated, boolean check) {
    requireName(in.name());
    CloudCredentials creds = parse(in);
    if (check) {
      CloudCheck.check(creds);
    }
    CloudCatalogs.Fetched catalog = catalogs.fetch(creds);
    Instant now = Instant.now();
    CloudAccount a = new CloudAccount(Ids.id("cld-"), userId, in.name(), creds.endpoint().toString(),
        hint(in.apiKey()), simulated, false, catalog.id(), now, now, now);
    try {
      jdbi.useTransaction(h -> {
        catalogs.store(h, catalog);
        h.createUpdate("INSERT INTO st_cloud_accounts (account_id, user_id, account_name, endpoint,"
              + " api_key_sealed, secret_sealed, api_key_hint, simulated, catalog_id, catalog_checked_at, created_at,"
              + " updated_at) VALUES (:id, :user, :name, :endpoint, :apiKey, :secret, :hint, :simulated, :catalog, :at,"
              + " :at, :at)")
          .bind("id", a.id()).bind("user", userId).bind("name", a.name()).bind("endpoint", a.endpoint())
          .bind("apiKey", cipher.seal(in.apiKey())).bind("secret", cipher.seal(in.secretKey()))
          .bind("hint", a.apiKeyHint()).bind("simulated", simulated).bind("catalog", catalog.id())
          .bind("at", ServerDatabase.timestamp(now)).execute();
        catalogs.prune(h);
      });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ServerException.Conflict("you already have a cloud account named '" + in.name() + "'");
      }
      throw e;
    }
    return a;
  }

  /** Changes an account of the caller's (re-checked against the cloud when its endpoint or keys change). */
  public CloudAccount update(Caller caller, String id, Input in) {
    CloudAccount old = get(caller, id);
    CloudCredentials current = credentials(id);
    String name = in.name() != null ? in.name() : old.name();
    requireName(name);
    boolean changesCloud = in.endpoint() != null || in.apiKey() != null || in.secretKey() != null;
    Input merged = new Input(name, in.endpoint() != null ? in.endpoint() : current.endpoint().toString(),
        in.apiKey() != null ? in.apiKey() : current.credentials().apiKey(),
        in.secretKey() != null ? in.secretKey() : current.credentials().secretKey());
    CloudCredentials creds = parse(merged);
    if (changesCloud) {
      CloudCheck.check(creds);
    }
    // Another endpoint or other keys may reach another cloud (or see other APIs): its catalog is read again.
    CloudCatalogs.Fetched catalog = changesCloud ? catalogs.fetch(creds) : null;
    Instant now = Instant.now();
    try {
      jdbi.useTransaction(h -> {
        h.createUpdate("UPDATE st_cloud_accounts SET account_name = :name, endpoint = :endpoint,"
              + " api_key_sealed = :apiKey, secret_sealed = :secret, api_key_hint = :hint, updated_at = :at"
              + " WHERE account_id = :id")
          .bind("name", name).bind("endpoint", creds.endpoint().toString())
          .bind("apiKey", cipher.seal(merged.apiKey())).bind("secret", cipher.seal(merged.secretKey()))
          .bind("hint", hint(merged.apiKey())).bind("at", ServerDatabase.timestamp(now)).bind("id", id).execute();
        if (catalog != null) {
          setCatalog(h, id, catalog);
        }
      });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ServerException.Conflict("you already have a cloud account named '" + name + "'");
      }
      throw e;
    }
    return get(caller, id);
  }

  /** Reads the cloud's catalog of an account the caller sees again (its cloud was upgraded, say). */
  public CloudAccount refreshCatalog(Caller caller, String id) {
    get(caller, id);
    refreshCatalog(id);
    return get(caller, id);
  }

  /**
   * Reads an account's cloud's catalog again and keeps it.
   *
   * @return the catalog's key
   */
  public String refreshCatalog(String id) {
    CloudCatalogs.Fetched catalog = catalogs.fetch(credentials(id));
    jdbi.useTransaction(h -> setCatalog(h, id, catalog));
    return catalog.id();
  }

  /** The key of an account's cloud's catalog, if it was read. */
  public Optional<String> catalogId(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT catalog_id FROM st_cloud_accounts WHERE account_id = :id")
        .bind("id", id).mapTo(String.class).findOne());
  }

  /** Points an account at a fetched catalog and drops the catalogs no account uses any more, in one transaction. */
  private void setCatalog(org.jdbi.v3.core.Handle h, String id, CloudCatalogs.Fetched catalog) {
    catalogs.store(h, catalog);
    h.createUpdate("UPDATE st_cloud_accounts SET catalog_id = :catalog, catalog_checked_at = :at"
            + " WHERE account_id = :id")
        .bind("catalog", catalog.id()).bind("at", ServerDatabase.timestamp(Instant.now())).bind("id", id).execute();
    catalogs.prune(h);
  }

  /** The accounts the caller sees, by name. */
  public List<CloudAccount> list(Caller caller) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_cloud_accounts"
            + (caller.admin() ? "" : " WHERE user_id = :user") + " ORDER BY account_name, account_id")
        .bind("user", caller.id()).map((rs, ctx) -> account(rs)).list());
  }

  /** The accounts of one user. */
  public List<CloudAccount> ofUser(String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_cloud_accounts WHERE user_id = :user"
            + " ORDER BY account_name").bind("user", userId).map((rs, ctx) -> account(rs)).list());
  }

  /**
   * Makes an account of the caller's its owner's default (where their stacks run when a request names no account;
   * no other of theirs stays the default), or stops it being the default.
   */
  public CloudAccount makeDefault(Caller caller, String id, boolean isDefault) {
    CloudAccount a = get(caller, id);
    jdbi.useHandle(h -> (isDefault
        ? h.createUpdate("UPDATE st_cloud_accounts SET is_default = (account_id = :id) WHERE user_id = :user")
        : h.createUpdate("UPDATE st_cloud_accounts SET is_default = FALSE WHERE account_id = :id"))
        .bind("id", a.id()).bind("user", a.userId()).execute());
    return get(caller, id);
  }

  /** One account the caller sees. */
  public CloudAccount get(Caller caller, String id) {
    return find(id).filter(a -> caller.sees(a.userId()))
        .orElseThrow(() -> new ServerException.NotFound("no cloud account " + id));
  }

  public Optional<CloudAccount> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_cloud_accounts WHERE account_id = :id")
        .bind("id", id).map((rs, ctx) -> account(rs)).findOne());
  }

  /** Removes an account the caller sees. */
  public void delete(Caller caller, String id) {
    get(caller, id);
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM st_cloud_accounts WHERE account_id = :id").bind("id", id).execute();
      catalogs.prune(h);
    });
  }

  /** An account's endpoint and keys, opened in memory (to call its cloud). */
  public CloudCredentials credentials(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT endpoint, api_key_sealed, secret_sealed FROM st_cloud_accounts"
            + " WHERE account_id = :id").bind("id", id)
        .map((rs, ctx) -> new CloudCredentials(URI.create(rs.getString(1)),
            new Credentials(cipher.open(rs.getString(2)), cipher.open(rs.getString(3)))))
        .findOne()).orElseThrow(() -> new ServerException.NotFound("no cloud account " + id));
  }

  /**
   * Points an existing account at a new endpoint and keys without a check (the demo simulator's new port), and reads
   * its catalog again.
   */
  public void repoint(String id, URI endpoint, Credentials credentials) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE st_cloud_accounts SET endpoint = :endpoint, api_key_sealed = :apiKey,"
            + " secret_sealed = :secret, api_key_hint = :hint, updated_at = :at WHERE account_id = :id")
        .bind("endpoint", endpoint.toString()).bind("apiKey", cipher.seal(credentials.apiKey()))
        .bind("secret", cipher.seal(credentials.secretKey())).bind("hint", hint(credentials.apiKey()))
        .bind("at", ServerDatabase.timestamp(Instant.now())).bind("id", id).execute());
    refreshCatalog(id);
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ServerException.Invalid.field("name", "cloud account name '" + name + "' is not valid: 1 to 128 letters,"
          + " digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  private static CloudCredentials parse(Input in) {
    if (in.endpoint() == null || in.endpoint().isBlank()) {
      throw ServerException.Invalid.field("endpoint", "give the CloudStack API endpoint, e.g."
          + " http://cloud.example.com:8080/client/api");
    }
    URI endpoint;
    try {
      endpoint = new URI(in.endpoint().strip());
    } catch (URISyntaxException e) {
      throw ServerException.Invalid.field("endpoint", "'" + in.endpoint() + "' is not a URL: " + e.getMessage());
    }
    if (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())) || endpoint.getHost() == null) {
      throw ServerException.Invalid.field("endpoint", "'" + in.endpoint() + "' is not an http:// or https:// URL"
          + " with a host, e.g. http://cloud.example.com:8080/client/api");
    }
    if (in.apiKey() == null || in.apiKey().isBlank()) {
      throw ServerException.Invalid.field("apiKey", "give the account's CloudStack API key");
    }
    if (in.secretKey() == null || in.secretKey().isBlank()) {
      throw ServerException.Invalid.field("secretKey", "give the account's CloudStack secret key");
    }
    return new CloudCredentials(endpoint, new Credentials(in.apiKey().strip(), in.secretKey().strip()));
  }

  private static String hint(String apiKey) {
    String k = apiKey.strip();
    return "..." + (k.length() <= 4 ? "" : k.substring(k.length() - 4));
  }

  private static CloudAccount account(ResultSet rs) throws SQLException {
    return new CloudAccount(rs.getString("account_id"), rs.getString("user_id"), rs.getString("account_name"),
        rs.getString("endpoint"), rs.getString("api_key_hint"), rs.getBoolean("simulated"), rs.getBoolean("is_default"),
        rs.getString("catalog_id"), Sql.instant(rs, "catalog_checked_at"), Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }
}
