package org.stacktician.engine.execution;

import java.util.List;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * The rollback of a failed update: the previous template version becomes current again and is provisioned (what the
 * update changed in place is changed back, what it replaced is used again), then what the update made is cleaned up.
 * A provisioning failure leaves the stack UPDATE_ROLLBACK_FAILED (continue-update-rollback retries it).
 */
public record UpdateRollbackOperation() implements StackOperation {
  @Override
  public List<Phase> phases() {
    return List.of(Phase.provision(StackStatus.UPDATE_ROLLBACK_IN_PROGRESS, Phase.Target.CURRENT),
        Phase.cleanup(StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, Phase.Target.CURRENT).tolerated());
  }

  @Override
  public StackStatus complete() {
    return StackStatus.UPDATE_ROLLBACK_COMPLETE;
  }

  @Override
  public StackStatus failed() {
    return StackStatus.UPDATE_ROLLBACK_FAILED;
  }

  @Override
  public StackRecord takingOver(StackRecord stack) {
    return stack.rolledBack();
  }

  @Override
  public boolean rollback() {
    return true;
  }
}
