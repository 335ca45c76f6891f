package org.stacktician.cloudstack.simulator.faults;

/** What the knobs decided for one call. */
public sealed interface FaultDecision {
  /** Run normally. */
  record Proceed() implements FaultDecision {}

  /** Answer with an error: in the request, or (for async commands) as a failed job. */
  record Fail(int errorCode, boolean inJob) implements FaultDecision {}

  /** Close the connection without an answer, before or after running the command. */
  record Drop(boolean beforeExecute) implements FaultDecision {}

  FaultDecision PROCEED = new Proceed();
}
