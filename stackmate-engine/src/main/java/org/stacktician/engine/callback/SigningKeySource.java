package org.stacktician.engine.callback;

/**
 * Supplies the secret that signs callback URLs (wait-condition handles, custom-resource response
 * URLs). The engine's state store implements it: it creates a random key of at least 32 bytes
 * once and persists it, so URLs stay valid across restarts and across server nodes sharing a
 * database.
 */
@FunctionalInterface
public interface SigningKeySource {
  /** The key bytes; the same on every call. */
  byte[] signingKey();
}
