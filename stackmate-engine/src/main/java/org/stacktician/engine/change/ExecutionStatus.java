package org.stacktician.engine.change;

/** Whether a change set can be executed, as CloudFormation's {@code ExecutionStatus} says it. */
public enum ExecutionStatus {
  /** It can be executed. */
  AVAILABLE,
  /** It cannot be executed now: it failed, or an operation is running on its stack. */
  UNAVAILABLE,
  /** Its execution (the stack's update) is running. */
  EXECUTE_IN_PROGRESS,
  /** Its execution updated the stack. */
  EXECUTE_COMPLETE,
  /** Its execution failed (the update rolled back). */
  EXECUTE_FAILED,
  /** Another operation changed the stack since it was made: executing it would apply a stale diff. */
  OBSOLETE
}
