package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.Optional;
import org.stacktician.engine.change.ChangeSetStore;
import org.stacktician.engine.change.ChangeSets;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;

/**
 * Access to the local state for the commands that need no cloud (no engine), opened at its first use: a command that
 * turns out not to read it (a plan of no stack) neither opens nor makes the database.
 */
final class StackStore implements AutoCloseable {
  private final StateOptions state;
  private EngineDatabase db;
  private StateStore store;

  StackStore(StateOptions state) {
    this.state = state;
  }

  private EngineDatabase db() {
    if (db == null) {
      db = EngineDatabase.h2File(state.dir());
      store = new JdbiStateStore(db);
    }
    return db;
  }

  StateStore store() {
    db();
    return store;
  }

  /** The stored change sets of the stacks here. */
  ChangeSets changeSets() {
    return new ChangeSets(store(), new ChangeSetStore(db()));
  }

  /** The drift information of these stacks by id (a stack never checked is not in it: NOT_CHECKED). */
  java.util.Map<String, org.stacktician.engine.drift.DriftInformation> driftInformation(
      java.util.Collection<String> stackIds) {
    return new org.stacktician.engine.drift.DriftStore(db()).information(stackIds);
  }

  /** The stack by name or id; empty after telling {@code err} (as CloudFormation words it) that there is none. */
  Optional<StackRecord> find(String nameOrId, PrintWriter err) {
    Optional<StackRecord> found = store().findStack(nameOrId);
    if (found.isEmpty()) {
      err.println("error: Stack with id " + nameOrId + " does not exist");
      err.flush();
    }
    return found;
  }

  @Override
  public void close() {
    if (db != null) {
      db.close();
    }
  }
}
