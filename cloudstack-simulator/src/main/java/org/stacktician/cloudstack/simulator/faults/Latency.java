package org.stacktician.cloudstack.simulator.faults;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long an async job takes: fixed ({@code 200ms}), uniform ({@code 100ms..2s}) or
 * exponential with a mean ({@code exp:300ms}). Written and parsed in that text form.
 */
public record Latency(Kind kind, long minMillis, long maxMillis) {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

  /** The shape of the distribution. */
  public enum Kind { FIXED, UNIFORM, EXPONENTIAL }

  public static final Latency NONE = fixed(0);

  public Latency {
    if (minMillis < 0 || maxMillis < minMillis) {
      throw new IllegalArgumentException("latency bounds must satisfy 0 <= min <= max, got " + minMillis + ".." + maxMillis);
    }
  }

  public static Latency fixed(long millis) {
    return new Latency(Kind.FIXED, millis, millis);
  }

  public static Latency uniform(long minMillis, long maxMillis) {
    return new Latency(Kind.UNIFORM, minMillis, maxMillis);
  }

  /** Exponential with the given mean (capped at 20 times the mean). */
  public static Latency exponential(long meanMillis) {
    return new Latency(Kind.EXPONENTIAL, meanMillis, meanMillis);
  }

  /** Parses {@code 250ms}, {@code 1s}, {@code 100ms..2s} or {@code exp:300ms}. */
  @JsonCreator
  public static Latency parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("exp:")) {
        return exponential(millis(t.substring(4)));
      }
      int range = t.indexOf("..");
      if (range >= 0) {
        return uniform(millis(t.substring(0, range)), millis(t.substring(range + 2)));
      }
      return fixed(millis(t));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid job latency '" + text
          + "': use a duration such as 200ms or 2s, a range such as 100ms..2s, or exp:300ms (" + e.getMessage() + ")");
    }
  }

  private static long millis(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text.strip() + "' is not a duration");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return Math.round(switch (unit) {
      case "s" -> value * 1000;
      case "m" -> value * 60_000;
      default -> value;
    });
  }

  /** Draws one latency. */
  public Duration sample(RandomGenerator random) {
    long ms = switch (kind) {
      case FIXED -> minMillis;
      case UNIFORM -> minMillis == maxMillis ? minMillis : random.nextLong(minMillis, maxMillis + 1);
      case EXPONENTIAL -> minMillis == 0 ? 0
          : Math.min(20 * minMillis, Math.round(-minMillis * Math.log(1 - random.nextDouble())));
    };
    return Duration.ofMillis(ms);
  }

  @JsonValue
  @Override
  public String toString() {
    return switch (kind) {
      case FIXED -> minMillis + "ms";
      case UNIFORM -> minMillis + "ms.." + maxMillis + "ms";
      case EXPONENTIAL -> "exp:" + minMillis + "ms";
    };
  }
}
