package org.stacktician.engine.exports;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.state.StateStore;
import org.stacktician.template.ExportLookup;

/**
 * {@code Fn::ImportValue} over the exports of the stacks of one cloud in a store (as
 * CloudFormation's exports belong to one account and region: another cloud's ids mean nothing
 * here). Remembers every name it was asked for, so that the engine can record what a stack imports
 * and refuse to delete the exporter.
 */
public final class StoreExportLookup implements ExportLookup {
  private final StateStore store;
  private final String cloudKey;
  private final Set<String> asked = Collections.synchronizedSet(new LinkedHashSet<>());

  /**
   * @param cloudKey the importing stack's cloud ({@code StackRecord.accountKey()}); null takes
   *     exports of any cloud (stacks recorded before clouds were)
   */
  public StoreExportLookup(StateStore store, String cloudKey) {
    this.store = store;
    this.cloudKey = cloudKey;
  }

  @Override
  public Optional<String> find(String exportName) {
    asked.add(exportName);
    return store.findExport(exportName).filter(this::sameCloud).map(StateStore.ExportRecord::value);
  }

  private boolean sameCloud(StateStore.ExportRecord export) {
    if (cloudKey == null) {
      return true;
    }
    String theirs = store.findStack(export.stackId()).map(s -> s.accountKey()).orElse(null);
    return theirs == null || theirs.equals(cloudKey);
  }

  /** The export names looked up so far. */
  public Set<String> imported() {
    synchronized (asked) {
      return Set.copyOf(asked);
    }
  }
}
