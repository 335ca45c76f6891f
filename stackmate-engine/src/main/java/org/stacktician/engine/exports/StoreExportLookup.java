package org.stacktician.engine.exports;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.state.StateStore;
import org.stacktician.template.ExportLookup;

/**
 * {@code Fn::ImportValue} over the exports of the stacks of one scope and cloud in a store (as
 * CloudFormation's exports belong to one account and region: another cloud's ids mean nothing
 * here, and another scope's (another user's) stacks do not exist), and {@code Fn::GetStackOutput}
 * over their outputs. Remembers every export name it was
 * asked for, so that the engine can record what a stack imports and refuse to delete the exporter
 * ({@code Fn::GetStackOutput} is a weak reference, as in CloudFormation: it is not recorded).
 */
public final class StoreExportLookup implements ExportLookup {
  private final StateStore store;
  private final String cloudKey;
  private final String scope;
  private final Set<String> asked = Collections.synchronizedSet(new LinkedHashSet<>());

  /**
   * @param cloudKey the importing stack's cloud ({@code StackRecord.accountKey()}); null takes
   *     exports of any cloud (stacks recorded before clouds were)
   * @param scope the importing stack's scope ({@code StackRecord.scope()}): only its stacks are seen
   */
  public StoreExportLookup(StateStore store, String cloudKey, String scope) {
    this.store = store;
    this.cloudKey = cloudKey;
    this.scope = java.util.Objects.requireNonNull(scope, "scope");
  }

  @Override
  public Optional<String> find(String exportName) {
    asked.add(exportName);
    return store.findExport(scope, exportName).filter(this::sameCloud).map(StateStore.ExportRecord::value);
  }

  @Override
  public Optional<String> stackOutput(String stackNameOrId, String outputName) {
    return store.findStack(scope, stackNameOrId).filter(this::sameCloud)
        .flatMap(s -> s.outputs().stream().filter(o -> o.key().equals(outputName)).findFirst())
        .map(StackOutput::value);
  }

  private boolean sameCloud(StateStore.ExportRecord export) {
    return store.findStack(export.stackId()).map(this::sameCloud).orElse(true);
  }

  private boolean sameCloud(StackRecord stack) {
    return cloudKey == null || stack.accountKey() == null
        || org.stacktician.cloudstack.client.CloudStackClient.sameAccount(stack.accountKey(), cloudKey);
  }

  /** The export names looked up so far. */
  public Set<String> imported() {
    synchronized (asked) {
      return Set.copyOf(asked);
    }
  }
}
