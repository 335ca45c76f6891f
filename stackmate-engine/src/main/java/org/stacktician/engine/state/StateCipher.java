package org.stacktician.engine.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts the state store's secret columns with AES-256-GCM. A stored value is {@code sm1:}
 * followed by base64 of a random 12-byte nonce and the ciphertext with its 16-byte tag; the prefix
 * names the format so that it can change later. GCM's tag makes a wrong key or a damaged value fail
 * instead of yielding garbage.
 */
public final class StateCipher {
  /** Prefix of version 1 of the format. */
  public static final String PREFIX = "sm1:";

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no AES/GCM: " + e.getMessage(), e);
    }
  });

  private final SecretKey key;
  private final StoreKey storeKey;
  private final String location;

  /**
   * @param location where the state lives (a file or a redacted database URL), for error messages
   */
  public StateCipher(StoreKey storeKey, String location) {
    this.storeKey = storeKey;
    this.key = storeKey.secretKey();
    this.location = location;
  }

  /** True when a stored value is in an encrypted format this class writes. */
  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  /** Encrypts a value for storage; null stays null. */
  public String seal(String plaintext) {
    if (plaintext == null) {
      return null;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] body = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(NONCE_BYTES + body.length).put(nonce).put(body).array();
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new StateStoreException("cannot encrypt a value for the state in " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts a stored value; null stays null.
   *
   * @throws StateStoreException "cannot decrypt the state in X with this key: ..." when the key is
   *     not the one the value was written with, or the value is damaged or not encrypted
   */
  public String open(String stored) {
    if (stored == null) {
      return null;
    }
    if (!isSealed(stored)) {
      throw failure(stored.startsWith("sm") && stored.indexOf(':') > 0 && stored.indexOf(':') < 8
          ? "the value is in an unknown format '" + stored.substring(0, stored.indexOf(':') + 1)
              + "' (written by a newer Stacktician?)"
          : "a value that should be encrypted is not", null);
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw failure("a value is damaged (not base64)", e);
    }
    if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
      throw failure("a value is damaged (too short)", null);
    }
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
      byte[] plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw failure("the key (" + storeKey.source() + ") is not the one the state was written with, or the value"
          + " is damaged", e);
    } catch (GeneralSecurityException e) {
      throw failure(e.getMessage(), e);
    }
  }

  /** Where the state lives, as named in errors. */
  public String location() {
    return location;
  }

  /** The key's source, never the key. */
  public StoreKey storeKey() {
    return storeKey;
  }

  private StateStoreException failure(String why, Exception cause) {
    return new StateStoreException("cannot decrypt the state in " + location + " with this key: " + why, cause);
  }
}
