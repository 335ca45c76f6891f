package org.stacktician.engine.stack;

import java.time.Instant;
import java.util.List;

/**
 * A stack as stored.
 *
 * @param templateBody the template text exactly as the user gave it
 * @param timeoutMinutes the create time-out (null = none)
 * @param parentStackId the stack that owns this one as a nested stack (null for a root stack)
 * @param operationStarted when the running or last operation began (time-outs count from it)
 */
public record StackRecord(
    String stackId,
    String stackName,
    StackStatus status,
    String statusReason,
    String description,
    String templateBody,
    List<StackParameter> parameters,
    List<StackOutput> outputs,
    Integer timeoutMinutes,
    boolean disableRollback,
    String parentStackId,
    String accountKey,
    Instant createdAt,
    Instant updatedAt,
    Instant operationStarted) {

  public StackRecord {
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  public StackRecord withStatus(StackStatus newStatus, String reason, Instant at) {
    return new StackRecord(stackId, stackName, newStatus, reason, description, templateBody, parameters, outputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, at, operationStarted);
  }

  public StackRecord withOutputs(List<StackOutput> newOutputs) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, newOutputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt, operationStarted);
  }

  public StackRecord withOperationStarted(Instant at) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, outputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt, at);
  }
}
