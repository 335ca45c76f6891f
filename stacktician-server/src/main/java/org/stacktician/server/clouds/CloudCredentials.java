package org.stacktician.server.clouds;

import java.net.URI;
import org.stacktician.cloudstack.client.Credentials;

/** An account's endpoint and keys, opened only in memory to call the cloud. */
public record CloudCredentials(URI endpoint, Credentials credentials) {
  @Override
  public String toString() {
    return "CloudCredentials[" + endpoint + "]";
  }
}
