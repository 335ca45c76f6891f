package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.Optional;
import org.stacktician.engine.change.ChangeSetStore;
import org.stacktician.engine.change.ChangeSets;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;

/** Read-only access to the local state for the describe commands (no cloud, no engine). */
final class StackStore implements AutoCloseable {
  private final EngineDatabase db;
  private final StateStore store;

  StackStore(StateOptions state) {
    this.db = EngineDatabase.h2File(state.dir());
    this.store = new JdbiStateStore(db);
  }

  StateStore store() {
    return store;
  }

  /** The stored change sets of the stacks here. */
  ChangeSets changeSets() {
    return new ChangeSets(store, new ChangeSetStore(db));
  }

  /** The drift information of these stacks by id (a stack never checked is not in it: NOT_CHECKED). */
  java.util.Map<String, org.stacktician.engine.drift.DriftInformation> driftInformation(
      java.util.Collection<String> stackIds) {
    return new org.stacktician.engine.drift.DriftStore(db).information(stackIds);
  }

  /** The stack by name or id; empty after telling {@code err} (as CloudFormation words it) that there is none. */
  Optional<StackRecord> find(String nameOrId, PrintWriter err) {
    Optional<StackRecord> found = store.findStack(nameOrId);
    if (found.isEmpty()) {
      err.println("error: Stack with id " + nameOrId + " does not exist");
      err.flush();
    }
    return found;
  }

  @Override
  public void close() {
    db.close();
  }
}
