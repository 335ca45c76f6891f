package org.stacktician.engine.exports;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.state.StateStore;
import org.stacktician.template.ExportLookup;

/**
 * {@code Fn::ImportValue} over the exports of the stacks in a store. Remembers every name it was
 * asked for, so that the engine can record what a stack imports and refuse to delete the exporter.
 */
public final class StoreExportLookup implements ExportLookup {
  private final StateStore store;
  private final Set<String> asked = Collections.synchronizedSet(new LinkedHashSet<>());

  public StoreExportLookup(StateStore store) {
    this.store = store;
  }

  @Override
  public Optional<String> find(String exportName) {
    asked.add(exportName);
    return store.findExport(exportName).map(StateStore.ExportRecord::value);
  }

  /** The export names looked up so far. */
  public Set<String> imported() {
    synchronized (asked) {
      return Set.copyOf(asked);
    }
  }
}
