package org.stacktician.cloudstack.simulator.faults;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every knob at once: the default async job latency and per-command faults (key {@code "*"}
 * applies to every command). The JSON form of this record is what the config file's
 * {@code knobs} section and {@code PUT /admin/knobs} take.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record KnobSettings(Latency jobLatency, Map<String, CommandFaults> commands) {
  private static final Latency DEFAULT_LATENCY = Latency.fixed(20);

  /** No faults; jobs take 20 ms. */
  public static final KnobSettings DEFAULT = new KnobSettings(DEFAULT_LATENCY, Map.of());

  public KnobSettings {
    jobLatency = jobLatency == null ? DEFAULT_LATENCY : jobLatency;
    commands = commands == null ? Map.of() : Map.copyOf(commands);
  }

  /** These settings with {@code faults} merged into the rule for {@code command}. */
  public KnobSettings withFaults(String command, CommandFaults faults) {
    Map<String, CommandFaults> copy = new LinkedHashMap<>(commands);
    copy.merge(command, faults, CommandFaults::merge);
    return new KnobSettings(jobLatency, copy);
  }

  public KnobSettings withJobLatency(Latency latency) {
    return new KnobSettings(latency, commands);
  }

  /** The rule for a command: the {@code "*"} rule with the command's own laid over it. */
  public CommandFaults faultsFor(String command) {
    CommandFaults all = commands.getOrDefault("*", CommandFaults.NONE);
    CommandFaults own = commands.get(command);
    return own == null ? all : all.merge(own);
  }
}
