package org.stacktician.engine.stack;

import java.time.Instant;
import java.util.List;

/**
 * A stack as stored.
 *
 * @param templateBody the template text exactly as the user gave it
 * @param timeoutMinutes the create time-out (null = none)
 * @param parentStackId the stack that owns this one as a nested stack (null for a root stack)
 * @param operationStarted when the running or last operation phase began (time-outs count from it)
 * @param templateVersion the number of the version {@code templateBody} and {@code parameters} are
 * @param previous the version before the last update (what its rollback returns to); null before any
 * @param operationId the id of the running or last operation phase: changes made for another are refused
 * @param templateUrl where the template was read from (a file path or URL; null when unknown): a nested stack's
 *     relative TemplateURL is resolved against it
 * @param terminationProtection CloudFormation's EnableTerminationProtection: while true the stack cannot be deleted
 * @param scope whose names the stack's name and exports are among: live stack names and export names are unique
 *     per scope (the server's scope is the owner, so users' names never clash; the CLI has one, {@link #DEFAULT_SCOPE})
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
    Instant operationStarted,
    int templateVersion,
    TemplateVersion previous,
    String operationId,
    String templateUrl,
    boolean terminationProtection,
    String scope) {

  /** The scope of stacks created without one (the CLI's). */
  public static final String DEFAULT_SCOPE = "default";

  public StackRecord {
    scope = scope == null ? DEFAULT_SCOPE : scope;
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  /** A stack at its first template version with a fresh operation id, in the default scope. */
  public StackRecord(String stackId, String stackName, StackStatus status, String statusReason, String description,
      String templateBody, List<StackParameter> parameters, List<StackOutput> outputs, Integer timeoutMinutes,
      boolean disableRollback, String parentStackId, String accountKey, Instant createdAt, Instant updatedAt,
      Instant operationStarted) {
    this(stackId, stackName, status, statusReason, description, templateBody, parameters, outputs, timeoutMinutes,
        disableRollback, parentStackId, accountKey, createdAt, updatedAt, operationStarted, 1, null, newOperationId(), null, false,
        DEFAULT_SCOPE);
  }

  /** The current template version. */
  public TemplateVersion current() {
    return new TemplateVersion(templateVersion, templateBody, parameters);
  }

  /** The given version when the stack still has it (current or previous). */
  public java.util.Optional<TemplateVersion> version(int number) {
    if (number == templateVersion) {
      return java.util.Optional.of(current());
    }
    return previous != null && previous.number() == number ? java.util.Optional.of(previous)
        : java.util.Optional.empty();
  }

  /** A fresh operation id (one per operation phase). */
  public static String newOperationId() {
    return java.util.UUID.randomUUID().toString();
  }

  public StackRecord withStatus(StackStatus newStatus, String reason, Instant at) {
    return new StackRecord(stackId, stackName, newStatus, reason, description, templateBody, parameters, outputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, at, operationStarted, templateVersion,
        previous, operationId, templateUrl, terminationProtection, scope);
  }

  public StackRecord withOutputs(List<StackOutput> newOutputs) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, newOutputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt, operationStarted,
        templateVersion, previous, operationId, templateUrl, terminationProtection, scope);
  }

  /**
   * Starts a new operation phase now: time-outs count from {@code at}, and a new operation id makes
   * the store refuse what was computed for the phase before.
   */
  public StackRecord withOperationStarted(Instant at) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, outputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt, at, templateVersion,
        previous, newOperationId(), templateUrl, terminationProtection, scope);
  }

  /**
   * The stack moved to a new template version (an update): {@code version} becomes current with its template,
   * parameters and description, and the current one becomes the previous (what a rollback returns to).
   */
  public StackRecord withNewVersion(TemplateVersion version, String newDescription, String url) {
    return new StackRecord(stackId, stackName, status, statusReason, newDescription, version.templateBody(),
        version.parameters(), outputs, timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt,
        operationStarted, version.number(), current(), operationId, url == null ? templateUrl : url,
        terminationProtection, scope);
  }

  /**
   * The stack going back to its previous template version (an update's rollback): the previous version becomes
   * current again and the one rolled back from becomes the previous (the rollback cleans up its resources).
   */
  public StackRecord rolledBack() {
    if (previous == null) {
      return this;
    }
    return new StackRecord(stackId, stackName, status, statusReason, description, previous.templateBody(),
        previous.parameters(), outputs, timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt,
        updatedAt, operationStarted, previous.number(), current(), operationId, templateUrl, terminationProtection,
        scope);
  }

  /** The same stack whose failed operations roll back or not (CloudFormation's DisableRollback of its last operation). */
  public StackRecord withDisableRollback(boolean disable) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, outputs,
        timeoutMinutes, disable, parentStackId, accountKey, createdAt, updatedAt, operationStarted, templateVersion,
        previous, operationId, templateUrl, terminationProtection, scope);
  }

  /** The same stack whose rollback returns to {@code version}. */
  public StackRecord withPrevious(TemplateVersion version) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, outputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt, operationStarted,
        templateVersion, version, operationId, templateUrl, terminationProtection, scope);
  }

  /** The number an update's new template version gets: above every version the stack has had. */
  public int nextVersion() {
    return Math.max(templateVersion, previous == null ? 0 : previous.number()) + 1;
  }

  /** The same stack, its template read from {@code url} (a file path or URL). */
  public StackRecord withTemplateUrl(String url) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, outputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt, operationStarted,
        templateVersion, previous, operationId, url, terminationProtection, scope);
  }

  /** The same stack with termination protection on or off. */
  public StackRecord withTerminationProtection(boolean enabled) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, outputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt, operationStarted,
        templateVersion, previous, operationId, templateUrl, enabled, scope);
  }

  /** The same stack in another scope (see {@code scope}). */
  public StackRecord withScope(String newScope) {
    return new StackRecord(stackId, stackName, status, statusReason, description, templateBody, parameters, outputs,
        timeoutMinutes, disableRollback, parentStackId, accountKey, createdAt, updatedAt, operationStarted,
        templateVersion, previous, operationId, templateUrl, terminationProtection, newScope);
  }
}
