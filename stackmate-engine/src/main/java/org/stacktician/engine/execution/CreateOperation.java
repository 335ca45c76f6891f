package org.stacktician.engine.execution;

import java.util.List;
import java.util.Optional;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/** Create-stack: provision the stack's first template version; a failure rolls back unless disabled. */
public record CreateOperation() implements StackOperation {
  @Override
  public List<Phase> phases() {
    return List.of(Phase.provision(StackStatus.CREATE_IN_PROGRESS, Phase.Target.CURRENT));
  }

  @Override
  public StackStatus complete() {
    return StackStatus.CREATE_COMPLETE;
  }

  @Override
  public StackStatus failed() {
    return StackStatus.CREATE_FAILED;
  }

  @Override
  public Optional<StackOperation> onFailure(StackRecord stack) {
    return stack.disableRollback() ? Optional.empty() : Optional.of(new CreateRollbackOperation());
  }

  @Override
  public String takeOverNote() {
    return " Rollback requested by user.";
  }
}
