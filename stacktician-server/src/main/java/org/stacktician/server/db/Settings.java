package org.stacktician.server.db;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.stacktician.engine.state.StateCipher;

/** The server's own settings (name to value), secrets sealed with the server's key. */
public final class Settings {
  private final Jdbi jdbi;
  private final StateCipher cipher;

  public Settings(ServerDatabase db) {
    this.jdbi = db.jdbi();
    this.cipher = db.cipher();
  }

  /** A secret setting, opened. */
  public Optional<String> secret(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT setting_value FROM st_settings WHERE setting_name = :name")
        .bind("name", name).mapTo(String.class).findOne()).map(cipher::open);
  }

  /** Sets a secret setting, sealed. */
  public void putSecret(String name, String value) {
    String sealed = cipher.seal(value);
    jdbi.useTransaction(h -> {
      int n = h.createUpdate("UPDATE st_settings SET setting_value = :value WHERE setting_name = :name")
          .bind("value", sealed).bind("name", name).execute();
      if (n == 0) {
        h.createUpdate("INSERT INTO st_settings (setting_name, setting_value) VALUES (:name, :value)")
            .bind("name", name).bind("value", sealed).execute();
      }
    });
  }
}
