package org.stacktician.engine.execution;

import java.util.List;
import org.stacktician.engine.stack.StackStatus;

/** The rollback of a failed create: clean up towards nothing (the stack record stays, ROLLBACK_COMPLETE). */
public record CreateRollbackOperation() implements StackOperation {
  @Override
  public List<Phase> phases() {
    return List.of(Phase.cleanup(StackStatus.ROLLBACK_IN_PROGRESS, Phase.Target.NOTHING));
  }

  @Override
  public StackStatus complete() {
    return StackStatus.ROLLBACK_COMPLETE;
  }

  @Override
  public StackStatus failed() {
    return StackStatus.ROLLBACK_FAILED;
  }

  @Override
  public boolean rollback() {
    return true;
  }

  @Override
  public boolean leavesNothing() {
    return true;
  }
}
