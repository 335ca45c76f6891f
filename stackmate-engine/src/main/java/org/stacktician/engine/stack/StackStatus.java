package org.stacktician.engine.stack;

/** A stack's status, named exactly as CloudFormation names it. */
public enum StackStatus {
  CREATE_IN_PROGRESS,
  CREATE_FAILED,
  CREATE_COMPLETE,
  ROLLBACK_IN_PROGRESS,
  ROLLBACK_FAILED,
  ROLLBACK_COMPLETE,
  DELETE_IN_PROGRESS,
  DELETE_FAILED,
  DELETE_COMPLETE,
  UPDATE_IN_PROGRESS,
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
  UPDATE_COMPLETE,
  UPDATE_FAILED,
  UPDATE_ROLLBACK_IN_PROGRESS,
  UPDATE_ROLLBACK_FAILED,
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS,
  UPDATE_ROLLBACK_COMPLETE,
  REVIEW_IN_PROGRESS;

  /** True while an operation is running on the stack. */
  public boolean inProgress() {
    return name().endsWith("_IN_PROGRESS");
  }

  /** True when no operation runs and none will start by itself. */
  public boolean settled() {
    return !inProgress();
  }

  /** True when the stack's last operation succeeded (create or update) and its resources exist. */
  public boolean succeeded() {
    return this == CREATE_COMPLETE || this == UPDATE_COMPLETE || this == UPDATE_ROLLBACK_COMPLETE;
  }

  /** True for the states from which delete-stack may run. */
  public boolean deletable() {
    return settled() && this != DELETE_COMPLETE;
  }
}
