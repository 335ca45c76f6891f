package org.stacktician.cloudstack.simulator.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.stacktician.cloudstack.simulator.faults.KnobSettings;

/**
 * Everything a simulator is started with. {@code port} 0 picks a free port. The first account
 * is the default one whose keys {@code stacktician simulator} prints.
 *
 * @param host the address to bind (loopback by default)
 * @param seed makes ids, keys and injected faults reproducible
 * @param userDataMaxLength CloudStack's {@code vm.userdata.max.length} (default 32768)
 * @param guestSignals whether booted VMs send the wait-condition signals found in their user data
 * @param guestBootDelay how long after reaching Running a guest sends its signals
 * @param enforceExpires reject signature-version-3 requests that expire more than 15 minutes ahead
 * @param hiddenApis commands this cloud does not offer, as an older or trimmed CloudStack: left out of
 *     {@code listApis} and answered as unknown (432 "Unknown API command") when called
 * @param listApis a real CloudStack's {@code listApis} answer (e.g. 4.11's) to be that cloud: only the commands in
 *     it that the simulator implements are offered, and listApis describes them as it does; null for the
 *     simulator's own declarations (4.18's)
 */
public record SimulatorConfig(
    String host,
    int port,
    long seed,
    List<AccountSpec> accounts,
    Capacity capacity,
    KnobSettings knobs,
    int userDataMaxLength,
    boolean guestSignals,
    Duration guestBootDelay,
    boolean enforceExpires,
    Clock clock,
    java.util.Set<String> hiddenApis,
    com.fasterxml.jackson.databind.JsonNode listApis) {

  public static final int DEFAULT_USERDATA_MAX_LENGTH = 32768;

  public SimulatorConfig {
    host = host == null ? "127.0.0.1" : host;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    accounts = accounts == null || accounts.isEmpty()
        ? List.of(AccountSpec.named("demo"), AccountSpec.named("tenant2"))
        : List.copyOf(accounts);
    long distinct = accounts.stream().map(AccountSpec::name).distinct().count();
    if (distinct != accounts.size()) {
      throw new IllegalArgumentException("account names must be unique: " + accounts.stream().map(AccountSpec::name).toList());
    }
    capacity = capacity == null ? Capacity.UNLIMITED : capacity;
    knobs = knobs == null ? KnobSettings.DEFAULT : knobs;
    if (userDataMaxLength <= 0 || userDataMaxLength > 1_048_576) {
      throw new IllegalArgumentException("userDataMaxLength must be between 1 and 1048576, got " + userDataMaxLength);
    }
    guestBootDelay = guestBootDelay == null ? Duration.ZERO : guestBootDelay;
    clock = clock == null ? Clock.systemUTC() : clock;
    hiddenApis = hiddenApis == null ? java.util.Set.of() : java.util.Set.copyOf(hiddenApis);
  }

  /** Loopback, a free port, seed 1, accounts {@code demo} and {@code tenant2}, no faults. */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig(null, 0, 1L, null, null, null, DEFAULT_USERDATA_MAX_LENGTH, true, null, false, null, null, null);
  }

  public SimulatorConfig withPort(int newPort) {
    return new SimulatorConfig(host, newPort, seed, accounts, capacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withHost(String newHost) {
    return new SimulatorConfig(newHost, port, seed, accounts, capacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withSeed(long newSeed) {
    return new SimulatorConfig(host, port, newSeed, accounts, capacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withAccounts(List<AccountSpec> newAccounts) {
    return new SimulatorConfig(host, port, seed, newAccounts, capacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withCapacity(Capacity newCapacity) {
    return new SimulatorConfig(host, port, seed, accounts, newCapacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withKnobs(KnobSettings newKnobs) {
    return new SimulatorConfig(host, port, seed, accounts, capacity, newKnobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withUserDataMaxLength(int max) {
    return new SimulatorConfig(host, port, seed, accounts, capacity, knobs, max, guestSignals, guestBootDelay, enforceExpires, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withGuestSignals(boolean enabled, Duration bootDelay) {
    return new SimulatorConfig(host, port, seed, accounts, capacity, knobs, userDataMaxLength, enabled, bootDelay, enforceExpires, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withEnforceExpires(boolean enforce) {
    return new SimulatorConfig(host, port, seed, accounts, capacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforce, clock, hiddenApis, listApis);
  }

  public SimulatorConfig withClock(Clock newClock) {
    return new SimulatorConfig(host, port, seed, accounts, capacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, newClock, hiddenApis, listApis);
  }

  /** This configuration with commands the cloud does not offer (see {@code hiddenApis}). */
  public SimulatorConfig withHiddenApis(java.util.Set<String> commands) {
    return new SimulatorConfig(host, port, seed, accounts, capacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, clock, commands, listApis);
  }

  /** This configuration as the cloud whose {@code listApis} answer this is (see {@code listApis}). */
  public SimulatorConfig withListApis(com.fasterxml.jackson.databind.JsonNode answer) {
    return new SimulatorConfig(host, port, seed, accounts, capacity, knobs, userDataMaxLength, guestSignals, guestBootDelay, enforceExpires, clock, hiddenApis, answer);
  }
}
