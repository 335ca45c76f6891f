package org.stacktician.cloudstack.simulator.faults;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live fault and latency settings of a running simulator. Decisions draw from one random
 * generator seeded at start (and re-seeded whenever settings change), so the same sequence of
 * calls meets the same faults.
 */
public final class Knobs {
  private final long seed;
  private volatile KnobSettings settings;
  private SplittableRandom random;
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

  public Knobs(KnobSettings initial, long seed) {
    this.seed = seed;
    this.settings = initial == null ? KnobSettings.DEFAULT : initial;
    this.random = new SplittableRandom(seed);
  }

  public KnobSettings settings() {
    return settings;
  }

  /** Replaces all settings; call counters and the random sequence start over. */
  public synchronized void set(KnobSettings newSettings) {
    settings = newSettings == null ? KnobSettings.DEFAULT : newSettings;
    calls.clear();
    random = new SplittableRandom(seed);
  }

  /** Back to the defaults (no faults, default latency). */
  public void reset() {
    set(KnobSettings.DEFAULT);
  }

  /** Sets the default job latency. */
  public synchronized void jobLatency(Latency latency) {
    set(settings.withJobLatency(latency));
  }

  /** Adds (merges) faults for one command or {@code "*"}. */
  public synchronized void faults(String command, CommandFaults faults) {
    set(settings.withFaults(command, faults));
  }

  /** Decides the fate of one call of {@code command}. */
  public synchronized FaultDecision decide(String command, boolean async) {
    CommandFaults f = settings.faultsFor(command);
    if (f.equals(CommandFaults.NONE)) {
      return FaultDecision.PROCEED;
    }
    long n = calls.computeIfAbsent(command, c -> new AtomicLong()).incrementAndGet();
    boolean before = Boolean.TRUE.equals(f.dropBeforeExecute());
    if (f.dropNth() != null && n == f.dropNth()) {
      return new FaultDecision.Drop(before);
    }
    if (f.dropRate() != null && f.dropRate() > 0 && random.nextDouble() < f.dropRate()) {
      return new FaultDecision.Drop(before);
    }
    int code = f.errorCode() == null ? 530 : f.errorCode();
    boolean inJob = async && code >= 500;
    if (f.failNth() != null && n == f.failNth()) {
      return new FaultDecision.Fail(code, inJob);
    }
    if (f.errorRate() != null && f.errorRate() > 0 && random.nextDouble() < f.errorRate()) {
      return new FaultDecision.Fail(code, inJob);
    }
    return FaultDecision.PROCEED;
  }

  /** True when jobs of this command must never finish. */
  public boolean hangs(String command) {
    return Boolean.TRUE.equals(settings.faultsFor(command).hang());
  }

  /** Draws the latency of one job of this command. */
  public synchronized Duration jobLatency(String command) {
    Latency own = settings.faultsFor(command).jobLatency();
    return (own != null ? own : settings.jobLatency()).sample(random);
  }
}
