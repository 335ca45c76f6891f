package org.stacktician.server.auth;

import java.time.Instant;

/** An API access key as listed: never its secret. */
public record AccessKey(String accessKeyId, String userId, String description, Instant createdAt, Instant revokedAt) {
  /** ACTIVE or REVOKED. */
  public String status() {
    return revokedAt == null ? "ACTIVE" : "REVOKED";
  }
}
