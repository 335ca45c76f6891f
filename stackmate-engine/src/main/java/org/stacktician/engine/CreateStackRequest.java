package org.stacktician.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What create-stack needs.
 *
 * @param templateSource where the template came from: a file path or URL, against which a nested stack's relative
 *     TemplateURL is resolved (kept with the stack), or just a name for messages
 * @param parameters raw parameter values as the user gave them
 * @param timeoutMinutes stack creation time-out; null for none
 * @param accountKey identifies the cloud account, for the per-account concurrency bound (null: the default account)
 * @param enableTerminationProtection CloudFormation's EnableTerminationProtection: the stack cannot be deleted until
 *     it is turned off
 * @param scope whose names the stack's name and exports are among (the server: its owner); null: the default scope
 */
public record CreateStackRequest(
    String stackName,
    String templateBody,
    String templateSource,
    Map<String, String> parameters,
    boolean disableRollback,
    Integer timeoutMinutes,
    String accountKey,
    boolean enableTerminationProtection,
    String scope) {

  public CreateStackRequest {
    scope = scope == null ? org.stacktician.engine.stack.StackRecord.DEFAULT_SCOPE : scope;
    Objects.requireNonNull(stackName, "stackName");
    Objects.requireNonNull(templateBody, "templateBody");
    templateSource = templateSource == null ? "template" : templateSource;
    parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** A request without termination protection, in the default scope. */
  public CreateStackRequest(String stackName, String templateBody, String templateSource, Map<String, String> parameters,
      boolean disableRollback, Integer timeoutMinutes, String accountKey) {
    this(stackName, templateBody, templateSource, parameters, disableRollback, timeoutMinutes, accountKey, false, null);
  }

  /** A request with default options (rollback on failure, no time-out). */
  public static CreateStackRequest of(String stackName, String templateBody, Map<String, String> parameters) {
    return new CreateStackRequest(stackName, templateBody, "template", parameters, false, null, null);
  }
}
