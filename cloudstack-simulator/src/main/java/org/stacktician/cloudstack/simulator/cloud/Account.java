package org.stacktician.cloudstack.simulator.cloud;

import org.stacktician.cloudstack.client.Credentials;

/** A simulated CloudStack account with its one user and that user's API key pair. */
public record Account(
    String id, String name, String domainId, String domain, String userId, String username, Credentials credentials) {

  @Override
  public String toString() {
    return "Account[" + name + ", apiKey=" + credentials.apiKey() + "]";
  }
}
