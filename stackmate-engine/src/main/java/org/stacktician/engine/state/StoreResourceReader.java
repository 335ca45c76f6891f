package org.stacktician.engine.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stacktician.engine.drift.DriftInformation;
import org.stacktician.engine.drift.DriftStore;
import org.stacktician.engine.metadata.StackResourceReader;
import org.stacktician.engine.metadata.StackResourceView;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;

/**
 * The metadata API's read-only view of stack resources, on the engine's {@link StateStore}, with each resource's drift
 * information from the stack's last drift detection ({@link DriftStore}).
 */
public final class StoreResourceReader implements StackResourceReader {
  private final StateStore store;
  private final DriftStore drifts;

  public StoreResourceReader(StateStore store, DriftStore drifts) {
    this.store = store;
    this.drifts = drifts;
  }

  @Override
  public Optional<StackResourceView> describe(String stackNameOrId, String logicalId) {
    return list(stackNameOrId).stream().filter(v -> v.logicalId().equals(logicalId)).findFirst();
  }

  @Override
  public List<StackResourceView> list(String stackNameOrId) {
    Optional<StackRecord> stack = store.findStack(stackNameOrId);
    if (stack.isEmpty()) {
      return List.of();
    }
    StackRecord s = stack.get();
    Map<String, DriftInformation> drift = drifts.resourceInformation(s.stackId());
    return org.stacktician.engine.stack.CurrentRows.of(s, store.resources(s.stackId())).stream()
        .filter(ResourceRecord::started)
        .map(r -> new StackResourceView(s.stackId(), s.stackName(), r.logicalId(), r.physicalId(), r.type(),
            r.status().name(), r.statusReason(), r.metadata(), r.description(), r.updatedAt(), drift.get(r.logicalId())))
        .toList();
  }
}
