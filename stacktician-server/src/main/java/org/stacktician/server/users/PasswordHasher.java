package org.stacktician.server.users;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Hashes and checks passwords with Argon2id (Spring Security Crypto over BouncyCastle, pure Java). */
public final class PasswordHasher {
  private static final Argon2PasswordEncoder ENCODER = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

  private PasswordHasher() {}

  /** The stored form of a password: {@code $argon2id$v=19$m=...$salt$hash}. */
  public static String hash(String password) {
    return ENCODER.encode(password);
  }

  /** True when the password is the one the hash was made from. */
  public static boolean matches(String password, String hash) {
    return password != null && hash != null && ENCODER.matches(password, hash);
  }
}
