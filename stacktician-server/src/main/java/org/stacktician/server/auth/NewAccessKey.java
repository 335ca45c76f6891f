package org.stacktician.server.auth;

/** A key just made: the only time its secret is shown. */
public record NewAccessKey(AccessKey key, String secretAccessKey) {
  @Override
  public String toString() {
    return "NewAccessKey[" + key.accessKeyId() + "]";
  }
}
