package org.stacktician.engine.execution;

import java.util.List;
import java.util.Optional;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * Update-stack: provision the new template version (in-place updates, replacements and added resources, dependencies
 * first), then clean up what it no longer has (removed resources, replaced ones); a failure while provisioning rolls
 * back to the previous version, or, with DisableRollback, leaves the stack UPDATE_FAILED as the failure found it.
 */
public record UpdateOperation() implements StackOperation {
  @Override
  public List<Phase> phases() {
    return List.of(Phase.provision(StackStatus.UPDATE_IN_PROGRESS, Phase.Target.CURRENT),
        Phase.cleanup(StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, Phase.Target.CURRENT).tolerated());
  }

  @Override
  public StackStatus complete() {
    return StackStatus.UPDATE_COMPLETE;
  }

  @Override
  public StackStatus failed() {
    return StackStatus.UPDATE_FAILED;
  }

  /** The rollback, unless the update was asked not to roll back (DisableRollback): it then stops in UPDATE_FAILED. */
  @Override
  public Optional<StackOperation> onFailure(StackRecord stack) {
    return stack.disableRollback() ? Optional.empty() : Optional.of(new UpdateRollbackOperation());
  }
}
