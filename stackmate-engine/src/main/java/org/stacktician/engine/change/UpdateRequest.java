package org.stacktician.engine.change;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The new state a stack update asks for (CloudFormation's UpdateStack / CreateChangeSet input).
 *
 * @param templateBody the new template, or null to use the previous one (use-previous-template)
 * @param parameters values given for the update; a parameter not given takes its template default
 * @param disableRollback CloudFormation's UpdateStack {@code DisableRollback}: a failed update stops in UPDATE_FAILED
 *     with what it changed left as it is, instead of rolling back
 */
public record UpdateRequest(String templateBody, Map<String, ParameterValue> parameters, boolean disableRollback) {
  public UpdateRequest {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** An update that rolls back when it fails (CloudFormation's default). */
  public UpdateRequest(String templateBody, Map<String, ParameterValue> parameters) {
    this(templateBody, parameters, false);
  }

  /** The same update with DisableRollback set as given. */
  public UpdateRequest withDisableRollback(boolean disable) {
    return new UpdateRequest(templateBody, parameters, disable);
  }

  /** True when the previous template is kept. */
  public boolean usePreviousTemplate() {
    return templateBody == null;
  }

  /** One parameter of an update: a new value, or the value the stack has now. */
  public sealed interface ParameterValue {
    /** A value given for this update. */
    record Given(String value) implements ParameterValue {}

    /** CloudFormation's {@code UsePreviousValue: true}. */
    record UsePrevious() implements ParameterValue {}

    /** The CLI's spelling of UsePreviousValue ({@code -p Key=UsePreviousValue}). */
    String USE_PREVIOUS_VALUE = "UsePreviousValue";

    /** A value from the command line: {@value #USE_PREVIOUS_VALUE} keeps the previous value. */
    static ParameterValue parse(String text) {
      return USE_PREVIOUS_VALUE.equals(text) ? new UsePrevious() : new Given(text);
    }
  }
}
