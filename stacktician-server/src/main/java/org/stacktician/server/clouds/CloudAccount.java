package org.stacktician.server.clouds;

import java.time.Instant;

/**
 * A user's CloudStack account as shown: never its keys, only the API key's last characters.
 *
 * @param simulated true for the embedded demo simulator (shown as SIMULATED), not a real cloud
 * @param defaultAccount true for the account its user's stacks run in when a request names none
 * @param catalogId the key of its cloud's {@code CloudStack::} catalog ({@link CloudCatalogs}); null until read
 * @param catalogCheckedAt when that catalog was last read from the cloud
 */
public record CloudAccount(String id, String userId, String name, String endpoint, String apiKeyHint,
    boolean simulated, boolean defaultAccount, String catalogId, Instant catalogCheckedAt, Instant createdAt,
    Instant updatedAt) {

  /** How the cloud is named wherever it is shown: SIMULATED for the demo simulator. */
  public String label() {
    return simulated ? "SIMULATED cloud (embedded CloudStack simulator) at " + endpoint : "CloudStack at " + endpoint;
  }
}
