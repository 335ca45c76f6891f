package org.stacktician.engine;

import java.time.Instant;
import java.util.List;
import org.stacktician.engine.execution.EventFactory;
import org.stacktician.engine.execution.UpdateRollbackOperation;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StaleOperationException;
import org.stacktician.engine.state.StateStore;

/**
 * CloudFormation's CancelUpdateStack as a change of the stored stack alone: an UPDATE_IN_PROGRESS stack starts its
 * rollback (a new operation: the update's executions stop at their next commit), which whatever engine runs the
 * stack then carries out. Needs no cloud, so another process than the one running the update can ask for it.
 */
public final class CancelUpdate {
  private CancelUpdate() {}

  /**
   * Records the cancel; returns the stack as UPDATE_ROLLBACK_IN_PROGRESS.
   *
   * @throws StackOperationException when there is no such stack or it is not UPDATE_IN_PROGRESS
   */
  public static StackRecord request(StateStore store, String nameOrId, Instant now) {
    StackRecord s = store.findStack(nameOrId)
        .orElseThrow(() -> new StackOperationException("Stack with id " + nameOrId + " does not exist"));
    if (s.status() != StackStatus.UPDATE_IN_PROGRESS) {
      throw new StackOperationException("CancelUpdateStack cannot be called from current stack status: stack "
          + s.stackName() + " is " + s.status() + " (only an UPDATE_IN_PROGRESS stack can be cancelled)");
    }
    StackRecord rolling = new UpdateRollbackOperation().takingOver(s)
        .withStatus(StackStatus.UPDATE_ROLLBACK_IN_PROGRESS, "Stack update cancelled", now).withOperationStarted(now);
    try {
      store.commit(StateStore.Changes.of(rolling, List.of(), List.of(EventFactory.stack(rolling, now)))
          .forOperation(s.stackId(), s.operationId()));
    } catch (StaleOperationException e) {
      throw new StackOperationException("Stack " + s.stackName() + " changed while its update's cancel was being"
          + " requested (its update moved on to another phase); describe it and try again");
    }
    return rolling;
  }
}
