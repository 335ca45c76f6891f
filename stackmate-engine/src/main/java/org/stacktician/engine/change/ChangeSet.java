package org.stacktician.engine.change;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stacktician.engine.stack.StackParameter;

/**
 * What an update would do: the resource changes in CloudFormation's order (the current template's
 * resources first, then the ones the new template adds), the template and parameter values the
 * update would run with (UsePreviousValue and use-previous-template resolved), and whether the
 * outputs would change.
 *
 * @param parameters the new parameter values as given or defaulted, in template order (show them with
 *     {@link StackParameter#displayValue()}: NoEcho values are masked)
 */
public record ChangeSet(List<ResourceChange> changes, String templateBody, List<StackParameter> parameters,
    boolean outputsChange) {

  /** CloudFormation's answer to an update that changes nothing. */
  public static final String NO_UPDATES = "No updates are to be performed.";

  public ChangeSet {
    changes = List.copyOf(changes);
    parameters = List.copyOf(parameters);
  }

  /** The new parameter values by name. */
  public Map<String, String> parameterValues() {
    Map<String, String> out = new LinkedHashMap<>();
    parameters.forEach(p -> out.put(p.key(), p.value()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * True when executing it would change nothing: no resource changes except nested stacks listed
   * only because their own templates might have changed ({@link ChangeDetail.Source#AUTOMATIC}),
   * and the same outputs.
   */
  public boolean noUpdates() {
    return !outputsChange && changes.stream().allMatch(ChangeSet::automaticOnly);
  }

  private static boolean automaticOnly(ResourceChange c) {
    return c.action() == ResourceChange.Action.MODIFY
        && c.details().stream().allMatch(d -> d.changeSource() == ChangeDetail.Source.AUTOMATIC);
  }
}
