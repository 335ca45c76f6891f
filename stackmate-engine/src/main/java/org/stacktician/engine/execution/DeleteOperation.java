package org.stacktician.engine.execution;

import java.util.List;
import org.stacktician.engine.stack.StackStatus;

/** Delete-stack: clean up towards nothing; the stack is gone at the end (DELETE_COMPLETE). */
public record DeleteOperation() implements StackOperation {
  @Override
  public List<Phase> phases() {
    return List.of(Phase.cleanup(StackStatus.DELETE_IN_PROGRESS, Phase.Target.NOTHING));
  }

  @Override
  public StackStatus complete() {
    return StackStatus.DELETE_COMPLETE;
  }

  @Override
  public StackStatus failed() {
    return StackStatus.DELETE_FAILED;
  }

  @Override
  public boolean removesStack() {
    return true;
  }
}
