package org.stacktician.engine.exports;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.state.StateStore;

/** Refuses to delete a stack whose exports other live stacks (of its scope) import, naming them. */
public final class ExportGuard {
  private final StateStore store;

  public ExportGuard(StateStore store) {
    this.store = store;
  }

  /** Why the stack may not be deleted, or empty when it may. */
  public Optional<String> refusal(StackRecord stack) {
    List<String> problems = new ArrayList<>();
    for (StateStore.ExportRecord export : store.listExports(stack.scope())) {
      if (!export.stackId().equals(stack.stackId())) {
        continue;
      }
      List<String> importers = new ArrayList<>(store.importingStackNames(stack.scope(), export.exportName()));
      importers.remove(stack.stackName());
      if (!importers.isEmpty()) {
        problems.add("Export " + export.exportName() + " cannot be deleted as it is in use by "
            + String.join(", ", importers));
      }
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }
}
