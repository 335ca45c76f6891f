package org.stacktician.server;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers and secrets the server hands out (ids, access keys, secrets, passwords). */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private Ids() {}

  /** {@code prefix} followed by 16 random lowercase base32 characters (80 bits), e.g. {@code tpl-...}. */
  public static String id(String prefix) {
    return prefix + upper(16).toLowerCase(java.util.Locale.ROOT);
  }

  /** An access key id: {@code STK} and 17 random uppercase characters (20 in all, as AWS's). */
  public static String accessKeyId() {
    return "STK" + upper(17);
  }

  /** A secret of {@code bytes} random bytes in URL-safe base64 without padding. */
  public static String secret(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static String upper(int n) {
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      out[i] = UPPER_ALNUM[RANDOM.nextInt(UPPER_ALNUM.length)];
    }
    return new String(out);
  }
}
