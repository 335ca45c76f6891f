package org.stacktician.engine.stack;

/** A resource's status, named exactly as CloudFormation names it. */
public enum ResourceStatus {
  CREATE_IN_PROGRESS,
  CREATE_FAILED,
  CREATE_COMPLETE,
  DELETE_IN_PROGRESS,
  DELETE_FAILED,
  DELETE_COMPLETE,
  DELETE_SKIPPED,
  UPDATE_IN_PROGRESS,
  UPDATE_FAILED,
  UPDATE_COMPLETE;

  public boolean inProgress() {
    return name().endsWith("_IN_PROGRESS");
  }

  /** True when the resource no longer needs deleting (deleted, retained, or never made). */
  public boolean gone() {
    return this == DELETE_COMPLETE || this == DELETE_SKIPPED;
  }
}
