package org.stacktician.cli.stack;

import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;

/** Read-only access to the local state for the describe commands (no cloud, no engine). */
final class StackStore implements AutoCloseable {
  private final EngineDatabase db;
  private final StateStore store;

  StackStore(StateOptions state) {
    this.db = EngineDatabase.h2File(state.dir());
    this.store = new JdbiStateStore(db.dataSource());
  }

  StateStore store() {
    return store;
  }

  @Override
  public void close() {
    db.close();
  }
}
