package org.stacktician.cloudstack.simulator.faults;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Faults injected into one command (or every command, under the name {@code "*"}). Null fields
 * are unset. {@code errorRate}/{@code failNth} answer with {@code errorCode} (default 530): in the
 * request for sync commands and for parameter/auth codes (4xx), in the async job otherwise.
 * {@code dropRate}/{@code dropNth} close the connection without an answer, after the command
 * ran unless {@code dropBeforeExecute}. {@code hang} leaves async jobs pending forever.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandFaults(
    Double errorRate,
    Integer errorCode,
    Long failNth,
    Double dropRate,
    Long dropNth,
    Boolean dropBeforeExecute,
    Boolean hang,
    Latency jobLatency) {

  public static final CommandFaults NONE = new CommandFaults(null, null, null, null, null, null, null, null);

  public CommandFaults {
    checkRate("errorRate", errorRate);
    checkRate("dropRate", dropRate);
    if (failNth != null && failNth < 1) {
      throw new IllegalArgumentException("failNth must be 1 or more (the Nth call fails), got " + failNth);
    }
    if (dropNth != null && dropNth < 1) {
      throw new IllegalArgumentException("dropNth must be 1 or more, got " + dropNth);
    }
    if (errorCode != null && (errorCode < 400 || errorCode > 599)) {
      throw new IllegalArgumentException("errorCode must be a CloudStack error code between 400 and 599, got " + errorCode);
    }
  }

  private static void checkRate(String name, Double rate) {
    if (rate != null && (rate < 0 || rate > 1 || rate.isNaN())) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, got " + rate);
    }
  }

  /** This rule with the set fields of {@code other} laid over it. */
  public CommandFaults merge(CommandFaults other) {
    return new CommandFaults(
        other.errorRate != null ? other.errorRate : errorRate,
        other.errorCode != null ? other.errorCode : errorCode,
        other.failNth != null ? other.failNth : failNth,
        other.dropRate != null ? other.dropRate : dropRate,
        other.dropNth != null ? other.dropNth : dropNth,
        other.dropBeforeExecute != null ? other.dropBeforeExecute : dropBeforeExecute,
        other.hang != null ? other.hang : hang,
        other.jobLatency != null ? other.jobLatency : jobLatency);
  }

  public static CommandFaults errorRate(double rate, int code) {
    return new CommandFaults(rate, code, null, null, null, null, null, null);
  }

  public static CommandFaults failNth(long n, int code) {
    return new CommandFaults(null, code, n, null, null, null, null, null);
  }

  public static CommandFaults dropRate(double rate) {
    return new CommandFaults(null, null, null, rate, null, null, null, null);
  }

  public static CommandFaults dropNth(long n, boolean beforeExecute) {
    return new CommandFaults(null, null, null, null, n, beforeExecute, null, null);
  }

  public static CommandFaults hanging() {
    return new CommandFaults(null, null, null, null, null, null, true, null);
  }

  public static CommandFaults latency(Latency latency) {
    return new CommandFaults(null, null, null, null, null, null, null, latency);
  }
}
