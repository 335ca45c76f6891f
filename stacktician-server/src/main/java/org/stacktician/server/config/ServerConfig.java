package org.stacktician.server.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * What a server process runs with, after the configuration file, the environment and the
 * command line's flags have been merged ({@link ServerConfigLoader}).
 *
 * @param dataDir the data directory: the embedded H2 database and the key file live here
 * @param listenAddress the address the HTTP server binds to (127.0.0.1 unless configured)
 * @param port the HTTP port; 0 picks a free one
 * @param databaseUrl a PostgreSQL (or H2) JDBC URL; null for the embedded H2 file in the data directory
 * @param databaseUser the database user (with {@code databaseUrl})
 * @param databasePassword the database password (with {@code databaseUrl}); never shown
 * @param encryptionKey the server's encryption key in base64 (32 bytes); null for the key file in the data directory
 * @param publicUrl the URL that guests (VMs) and clients reach the server at; null for the listen address and port
 * @param demo whether to run the embedded CloudStack simulator as a demo cloud and keep a demo user
 */
public record ServerConfig(Path dataDir, String listenAddress, int port, String databaseUrl, String databaseUser,
    String databasePassword, String encryptionKey, URI publicUrl, boolean demo) {

  /** The port the server listens on when none is configured. */
  public static final int DEFAULT_PORT = 8780;

  /** The embedded defaults: H2 in {@code ~/.stacktician}, loopback, port {@value #DEFAULT_PORT}, demo on. */
  public static ServerConfig defaults() {
    return new ServerConfig(Path.of(System.getProperty("user.home"), ".stacktician"), "127.0.0.1", DEFAULT_PORT,
        null, null, null, null, null, true);
  }

  /** True when the database is the embedded H2 file in the data directory. */
  public boolean embeddedDatabase() {
    return databaseUrl == null;
  }

  /** Shows the configuration without its secrets. */
  @Override
  public String toString() {
    return "ServerConfig[dataDir=" + dataDir + ", listen=" + listenAddress + ":" + port + ", database="
        + (databaseUrl == null ? "embedded H2" : databaseUrl.replaceAll("(?i)(password=)[^;&]*", "$1****"))
        + ", encryptionKey=" + (encryptionKey == null ? "key file" : "configured") + ", publicUrl=" + publicUrl
        + ", demo=" + demo + "]";
  }
}
