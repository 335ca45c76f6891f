package org.stacktician.cloudstack.client;

import java.util.Objects;

/** An API key pair; {@link #toString()} never shows the secret. */
public record Credentials(String apiKey, String secretKey) {

  public Credentials {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(secretKey, "secretKey");
    if (apiKey.isBlank() || secretKey.isBlank()) {
      throw new IllegalArgumentException("CloudStack API key and secret key must not be blank");
    }
  }

  @Override
  public String toString() {
    return "Credentials[apiKey=" + apiKey + ", secretKey=****]";
  }
}
