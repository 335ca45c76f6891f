package org.stacktician.cloudstack.simulator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.stacktician.cloudstack.simulator.faults.KnobSettings;
import org.stacktician.cloudstack.simulator.faults.Latency;

/**
 * The simulator's JSON config file. Every field is optional; see the README for an example.
 * Unknown fields are rejected so a typo does not silently leave a knob unset.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SimulatorConfigFile(
    String host,
    Integer port,
    Long seed,
    List<AccountSpec> accounts,
    Capacity capacity,
    KnobSettings knobs,
    Integer userDataMaxLength,
    Boolean guestSignals,
    Latency guestBootDelay,
    Boolean enforceExpires) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Reads a config file; the message names the file and what was wrong. */
  public static SimulatorConfigFile read(Path file) {
    if (Files.isDirectory(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("simulator config file " + file + " does not exist or cannot be read");
    }
    try {
      if (Files.size(file) > 1_048_576) {
        throw new IllegalArgumentException("simulator config file " + file + " is larger than 1 MB");
      }
      return JSON.readValue(file.toFile(), SimulatorConfigFile.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("simulator config file " + file + ": " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("simulator config file " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** {@code base} with every field this file sets laid over it. */
  public SimulatorConfig applyTo(SimulatorConfig base) {
    SimulatorConfig c = base;
    if (host != null) c = c.withHost(host);
    if (port != null) c = c.withPort(port);
    if (seed != null) c = c.withSeed(seed);
    if (accounts != null) c = c.withAccounts(accounts);
    if (capacity != null) c = c.withCapacity(capacity);
    if (knobs != null) c = c.withKnobs(knobs);
    if (userDataMaxLength != null) c = c.withUserDataMaxLength(userDataMaxLength);
    if (guestSignals != null || guestBootDelay != null) {
      c = c.withGuestSignals(guestSignals == null ? c.guestSignals() : guestSignals,
          guestBootDelay == null ? c.guestBootDelay() : Duration.ofMillis(guestBootDelay.minMillis()));
    }
    if (enforceExpires != null) c = c.withEnforceExpires(enforceExpires);
    return c;
  }
}
