package org.stacktician.engine.change;

import java.time.Instant;
import java.util.Objects;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * A stored change set: what updating its stack would do ({@link #changeSet()}: the changes, and the
 * template and parameter values its execution runs with), CloudFormation's {@code Status} and the
 * execution status as recorded.
 *
 * @param stackOperationId the stack's operation id when the change set was made; another operation
 *     since makes the change set {@link ExecutionStatus#OBSOLETE}
 * @param executionStatus the execution status as stored (AVAILABLE until it is executed), or as it is now when
 *     read through {@link ChangeSets}, which derives it with {@link #executionStatusNow(StackRecord)}
 */
public record ChangeSetRecord(String changeSetId, String changeSetName, String stackId, String stackName,
    String description, Status status, String statusReason, ExecutionStatus executionStatus, ChangeSet changeSet,
    String templateUrl, String stackOperationId, Instant createdAt) {

  /** CloudFormation's reason for a change set that changes nothing. */
  public static final String NO_CHANGES = "The submitted information didn't contain changes. Submit different"
      + " information to create a change set.";

  public ChangeSetRecord {
    Objects.requireNonNull(changeSetId, "changeSetId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(executionStatus, "executionStatus");
    Objects.requireNonNull(changeSet, "changeSet");
  }

  /** CloudFormation's change-set {@code Status} (a change set here is computed when it is created). */
  public enum Status { CREATE_COMPLETE, FAILED }

  /** The execution status now, given its stack as it is now. */
  public ExecutionStatus executionStatusNow(StackRecord stack) {
    if (status == Status.FAILED) {
      return ExecutionStatus.UNAVAILABLE;
    }
    return switch (executionStatus) {
      case EXECUTE_IN_PROGRESS -> stack.status().inProgress() ? ExecutionStatus.EXECUTE_IN_PROGRESS
          : stack.status() == StackStatus.UPDATE_COMPLETE ? ExecutionStatus.EXECUTE_COMPLETE
          : ExecutionStatus.EXECUTE_FAILED;
      case AVAILABLE -> !Objects.equals(stack.operationId(), stackOperationId) ? ExecutionStatus.OBSOLETE
          : stack.status().inProgress() ? ExecutionStatus.UNAVAILABLE : ExecutionStatus.AVAILABLE;
      default -> executionStatus;
    };
  }

  /** The same change set with another execution status. */
  public ChangeSetRecord withExecutionStatus(ExecutionStatus newStatus) {
    return new ChangeSetRecord(changeSetId, changeSetName, stackId, stackName, description, status, statusReason,
        newStatus, changeSet, templateUrl, stackOperationId, createdAt);
  }
}
