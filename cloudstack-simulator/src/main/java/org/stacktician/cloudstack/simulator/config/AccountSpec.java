package org.stacktician.cloudstack.simulator.config;

/** An account to seed; null keys are derived from the simulator's seed. */
public record AccountSpec(String name, String apiKey, String secretKey) {
  public AccountSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("every simulated account needs a name");
    }
    if ((apiKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("account '" + name + "': give both apiKey and secretKey, or neither");
    }
  }

  public static AccountSpec named(String name) {
    return new AccountSpec(name, null, null);
  }
}
