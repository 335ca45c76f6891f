package org.stacktician.server.users;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.stacktician.server.Ids;
import org.stacktician.server.ServerException;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.db.Sql;

/** The users table: accounts with Argon2id password hashes. */
public final class UserStore {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
  /** Shortest password accepted. */
  public static final int MIN_PASSWORD = 12;

  private final Jdbi jdbi;

  public UserStore(ServerDatabase db) {
    this.jdbi = db.jdbi();
  }

  /**
   * Adds a user.
   *
   * @throws ServerException.Invalid for a bad name or a short password
   * @throws ServerException.Conflict when the name is taken
   */
  public User create(String name, String password, boolean admin, boolean demo) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ServerException.Invalid.field("name", "user name '" + name + "' is not valid: 1 to 128 letters, digits,"
          + " '.', '_', '@' or '-', starting with a letter or digit");
    }
    checkPassword(password);
    User user = new User(Ids.id("usr-"), name, admin, demo, Instant.now());
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO st_users (user_id, user_name, password_hash, is_admin, is_demo,"
              + " created_at) VALUES (:id, :name, :hash, :admin, :demo, :at)")
          .bind("id", user.id()).bind("name", name).bind("hash", PasswordHasher.hash(password))
          .bind("admin", admin).bind("demo", demo).bind("at", ServerDatabase.timestamp(user.createdAt())).execute());
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ServerException.Conflict("a user named '" + name + "' already exists");
      }
      throw e;
    }
    return user;
  }

  /** Replaces a user's password. */
  public void setPassword(String userId, String password) {
    checkPassword(password);
    jdbi.useHandle(h -> h.createUpdate("UPDATE st_users SET password_hash = :hash WHERE user_id = :id")
        .bind("hash", PasswordHasher.hash(password)).bind("id", userId).execute());
  }

  /** True when the user exists and the password is theirs. */
  public boolean passwordMatches(String userId, String password) {
    Optional<String> hash = jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM st_users WHERE user_id = :id")
        .bind("id", userId).mapTo(String.class).findOne());
    return hash.isPresent() && PasswordHasher.matches(password, hash.get());
  }

  public Optional<User> find(String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_users WHERE user_id = :id")
        .bind("id", userId).map((rs, ctx) -> user(rs)).findOne());
  }

  public Optional<User> findByName(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_users WHERE user_name = :name")
        .bind("name", name).map((rs, ctx) -> user(rs)).findOne());
  }

  /** Every user, by name. */
  public List<User> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_users ORDER BY user_name")
        .map((rs, ctx) -> user(rs)).list());
  }

  /** Removes a user with their keys, cloud accounts and templates; false when there was none. */
  public boolean delete(String userId) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM st_users WHERE user_id = :id").bind("id", userId).execute()) > 0;
  }

  private static void checkPassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD) {
      throw ServerException.Invalid.field("password", "the password must have at least " + MIN_PASSWORD + " characters");
    }
  }

  /** A user from a row with st_users' columns (a join's too). */
  public static User user(ResultSet rs) throws SQLException {
    return new User(rs.getString("user_id"), rs.getString("user_name"), rs.getBoolean("is_admin"),
        rs.getBoolean("is_demo"), Sql.instant(rs, "created_at"));
  }
}
