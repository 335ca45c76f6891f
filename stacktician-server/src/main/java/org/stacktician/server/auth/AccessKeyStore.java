package org.stacktician.server.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.stacktician.engine.state.StateCipher;
import org.stacktician.server.Ids;
import org.stacktician.server.ServerException;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.db.Sql;
import org.stacktician.server.users.Caller;
import org.stacktician.server.users.User;
import org.stacktician.server.users.UserStore;

/**
 * API access keys: an id and a secret per key, several per user. The secret is kept sealed with
 * the server's key, since verifying a signature needs it; a database dump does not reveal it.
 */
public final class AccessKeyStore {
  /** Bytes of randomness in a secret (40 base64 characters). */
  private static final int SECRET_BYTES = 30;

  /** How long a key found active is trusted without reading the database again. */
  public static final java.time.Duration VERIFIED_FOR = java.time.Duration.ofSeconds(1);

  /** Decrypted secrets cached; past this many the cache starts over (keys are few; this bounds memory). */
  private static final int OPENED_SECRETS = 10_000;

  private final Jdbi jdbi;
  private final StateCipher cipher;
  /**
   * Opened secrets by their sealed form. A sealed value (random nonce) stands for one secret for
   * ever, so an entry is never stale; whether the key may still be used is decided by the database
   * (see {@link #active}), never by this cache.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, String> opened = new java.util.concurrent.ConcurrentHashMap<>();
  /** Keys found active by access key id, trusted for {@link #VERIFIED_FOR} (bounded like {@link #opened}). */
  private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();

  public AccessKeyStore(ServerDatabase db) {
    this.jdbi = db.jdbi();
    this.cipher = db.cipher();
  }

  /** A key whose secret verifies requests; the user it acts for. */
  public record ActiveKey(String accessKeyId, User user, String secret) {
    public String userId() {
      return user.id();
    }

    @Override
    public String toString() {
      return "ActiveKey[" + accessKeyId + "]";
    }
  }

  /** Makes a key for a user. */
  public NewAccessKey create(String userId, String description) {
    if (description != null && description.length() > 256) {
      throw ServerException.Invalid.field("description", "the description has " + description.length()
          + " characters; at most 256");
    }
    AccessKey key = new AccessKey(Ids.accessKeyId(), userId, description, Instant.now(), null);
    String secret = Ids.secret(SECRET_BYTES);
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO st_access_keys (access_key_id, user_id, secret_sealed, description,"
            + " created_at) VALUES (:id, :user, :secret, :description, :at)")
        .bind("id", key.accessKeyId()).bind("user", userId).bind("secret", cipher.seal(secret))
        .bind("description", description).bind("at", ServerDatabase.timestamp(key.createdAt())).execute());
    return new NewAccessKey(key, secret);
  }

  /** The keys the caller sees (theirs; an admin's: everyone's), newest first. */
  public List<AccessKey> list(Caller caller) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_access_keys"
            + (caller.admin() ? "" : " WHERE user_id = :user") + " ORDER BY created_at DESC, access_key_id")
        .bind("user", caller.id()).map((rs, ctx) -> key(rs)).list());
  }

  /** The keys of one user, newest first. */
  public List<AccessKey> ofUser(String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_access_keys WHERE user_id = :user"
            + " ORDER BY created_at DESC, access_key_id")
        .bind("user", userId).map((rs, ctx) -> key(rs)).list());
  }

  /** One key the caller sees. */
  public AccessKey get(Caller caller, String accessKeyId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_access_keys WHERE access_key_id = :id")
            .bind("id", accessKeyId).map((rs, ctx) -> key(rs)).findOne())
        .filter(k -> caller.sees(k.userId()))
        .orElseThrow(() -> new ServerException.NotFound("no access key " + accessKeyId));
  }

  /** Revokes a key the caller sees: it verifies nothing from now on. */
  public AccessKey revoke(Caller caller, String accessKeyId) {
    AccessKey key = get(caller, accessKeyId);
    if (key.revokedAt() != null) {
      return key;
    }
    Instant now = Instant.now();
    jdbi.useHandle(h -> h.createUpdate("UPDATE st_access_keys SET revoked_at = :at WHERE access_key_id = :id"
            + " AND revoked_at IS NULL")
        .bind("at", ServerDatabase.timestamp(now)).bind("id", accessKeyId).execute());
    verified.remove(accessKeyId);
    return new AccessKey(key.accessKeyId(), key.userId(), key.description(), key.createdAt(), now);
  }

  /**
   * The secret of an active (not revoked) key and its user, for verifying a request. The answer is
   * read from the database (one indexed read) and then trusted for {@link #VERIFIED_FOR}: a key
   * revoked here (or its user deleted here) is refused at once, through another node sharing the
   * database within that time. Under load this saves a query on nearly every request.
   */
  public Optional<ActiveKey> active(String accessKeyId) {
    long now = System.nanoTime();
    Verified recent = verified.get(accessKeyId);
    if (recent != null && now - recent.atNanos() < VERIFIED_FOR.toNanos()) {
      return Optional.of(recent.key());
    }
    Optional<ActiveKey> key = jdbi.withHandle(h -> h.createQuery("SELECT k.access_key_id, k.secret_sealed, u.*"
            + " FROM st_access_keys k JOIN st_users u ON u.user_id = k.user_id"
            + " WHERE k.access_key_id = :id AND k.revoked_at IS NULL")
        .bind("id", accessKeyId)
        .map((rs, ctx) -> new ActiveKey(rs.getString("access_key_id"), UserStore.user(rs), open(rs.getString("secret_sealed"))))
        .findOne());
    if (key.isPresent()) {
      if (verified.size() >= OPENED_SECRETS) {
        verified.clear();
      }
      verified.put(accessKeyId, new Verified(key.get(), now));
    } else {
      verified.remove(accessKeyId);
    }
    return key;
  }

  /** Forgets what was verified of a user's keys (the user was deleted or changed here). */
  public void forgetUser(String userId) {
    verified.values().removeIf(v -> v.key().userId().equals(userId));
  }

  /** A key found active, and when. */
  private record Verified(ActiveKey key, long atNanos) {}

  private String open(String sealed) {
    String secret = opened.get(sealed);
    if (secret == null) {
      secret = cipher.open(sealed);
      if (opened.size() >= OPENED_SECRETS) {
        opened.clear();
      }
      opened.put(sealed, secret);
    }
    return secret;
  }

  private static AccessKey key(ResultSet rs) throws SQLException {
    return new AccessKey(rs.getString("access_key_id"), rs.getString("user_id"), rs.getString("description"),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "revoked_at"));
  }
}
