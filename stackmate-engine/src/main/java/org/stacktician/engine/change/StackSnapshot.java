package org.stacktician.engine.change;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;

/**
 * A stack as an update starts from: its template, its parameter values and the physical ids of
 * its resources.
 */
public record StackSnapshot(String stackName, String templateBody, Map<String, String> parameters,
    Map<String, String> physicalIds) {

  public StackSnapshot {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    physicalIds = Collections.unmodifiableMap(new LinkedHashMap<>(physicalIds));
  }

  /** The snapshot of a stored stack. */
  public static StackSnapshot of(StackRecord stack, List<ResourceRecord> resources) {
    Map<String, String> params = new LinkedHashMap<>();
    for (StackParameter p : stack.parameters()) {
      params.put(p.key(), p.value());
    }
    Map<String, String> ids = new LinkedHashMap<>();
    for (ResourceRecord r : resources) {
      if (r.physicalId() != null) {
        ids.put(r.logicalId(), r.physicalId());
      }
    }
    return new StackSnapshot(stack.stackName(), stack.templateBody(), params, ids);
  }
}
