package org.stacktician.engine.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 256-bit key that encrypts the secrets in the state store. It never lives in the database: the
 * CLI keeps it in {@code stackmate.key} beside its H2 file (made on first use, owner-only), the
 * environment variable {@value #ENV} overrides it, and a server passes its configured key.
 */
public final class StoreKey {
  /** Environment variable holding a base64 key that overrides the key file. */
  public static final String ENV = "STACKMATE_STORE_KEY";
  /** File name of the CLI's key, beside {@code stackmate.mv.db}. */
  public static final String FILE_NAME = "stackmate.key";
  /** Key length in bytes (AES-256). */
  public static final int LENGTH = 32;

  private static final Logger LOG = LoggerFactory.getLogger(StoreKey.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;
  private final String source;

  private StoreKey(byte[] bytes, String source) {
    if (bytes.length != LENGTH) {
      throw new StateStoreException("the store key from " + source + " has " + bytes.length
          + " bytes; it must be " + LENGTH + " random bytes, base64-encoded");
    }
    this.bytes = bytes.clone();
    this.source = source;
  }

  /** A key from raw bytes; {@code source} says where it came from, for error messages. */
  public static StoreKey of(byte[] key, String source) {
    return new StoreKey(key, source);
  }

  /** A key from its base64 text (standard or URL-safe alphabet, surrounding blanks ignored). */
  public static StoreKey fromBase64(String text, String source) {
    String trimmed = text == null ? "" : text.strip();
    byte[] raw;
    try {
      raw = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
    } catch (IllegalArgumentException e) {
      throw new StateStoreException("the store key from " + source + " is not valid base64: " + e.getMessage(), e);
    }
    return new StoreKey(raw, source);
  }

  /** A fresh random key (for a database that lives only in memory). */
  public static StoreKey random(String source) {
    byte[] raw = new byte[LENGTH];
    RANDOM.nextBytes(raw);
    return new StoreKey(raw, source);
  }

  /** The key in {@value #ENV}, if that variable is set and not blank. */
  public static Optional<StoreKey> fromEnvironment(Map<String, String> env) {
    String value = env.get(ENV);
    return value == null || value.isBlank() ? Optional.empty()
        : Optional.of(fromBase64(value, "environment variable " + ENV));
  }

  /** Reads an existing key file. */
  public static StoreKey load(Path keyFile) {
    try {
      warnIfReadableByOthers(keyFile);
      return fromBase64(Files.readString(keyFile, StandardCharsets.US_ASCII), "key file " + keyFile);
    } catch (IOException e) {
      throw new StateStoreException("cannot read the store key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the key file, or makes it (32 random bytes, base64, mode 0600) when it does not exist.
   * The new file appears complete or not at all, so processes starting at once agree on one key.
   */
  public static StoreKey loadOrCreate(Path keyFile) {
    if (Files.exists(keyFile)) {
      return load(keyFile);
    }
    StoreKey fresh = random("key file " + keyFile);
    Path temp = null;
    try {
      Files.createDirectories(keyFile.toAbsolutePath().getParent());
      temp = createOwnerOnly(keyFile.resolveSibling(FILE_NAME + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp"));
      Files.writeString(temp, Base64.getEncoder().encodeToString(fresh.bytes) + "\n", StandardCharsets.US_ASCII);
      try {
        Files.createLink(keyFile, temp); // fails if another process made the file first
      } catch (UnsupportedOperationException e) {
        Files.move(temp, keyFile);
      }
      LOG.info("Created the state store key {} (back it up: the encrypted state cannot be read without it)", keyFile);
      return fresh;
    } catch (FileAlreadyExistsException e) {
      return load(keyFile);
    } catch (IOException e) {
      throw new StateStoreException("cannot create the store key file " + keyFile + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a stray temporary file holds no key anyone uses
        }
      }
    }
  }

  private static Path createOwnerOnly(Path file) throws IOException {
    try {
      return Files.createFile(file, PosixFilePermissions.asFileAttribute(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    } catch (UnsupportedOperationException e) {
      return Files.createFile(file); // not a POSIX file system: the directory's ACLs apply
    }
  }

  private static void warnIfReadableByOthers(Path keyFile) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
      if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        LOG.warn("The state store key file {} is readable by others ({}): chmod 600 it",
            keyFile, PosixFilePermissions.toString(perms));
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system, or unreadable: load() reports the latter
    }
  }

  /** Where this key came from (a key file, an environment variable, the server's configuration). */
  public String source() {
    return source;
  }

  /**
   * A secret for one purpose derived from this key (HMAC-SHA256 of the purpose, base64url): the
   * state database's passwords, so that only holders of the key can log in.
   */
  String derivedSecret(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
      byte[] derived = mac.doFinal(("stackmate " + purpose).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  SecretKey secretKey() {
    return new SecretKeySpec(bytes, "AES");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreKey k && java.security.MessageDigest.isEqual(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Names the source only: the key itself is never shown. */
  @Override
  public String toString() {
    return "StoreKey[" + source + "]";
  }
}
