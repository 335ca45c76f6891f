package org.stacktician.engine.execution;

import java.util.List;
import java.util.Optional;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * A stack operation as a list of phases that move the stack towards a target template version, as
 * OpenStack Heat's convergence engine does, with the stack statuses it ends in. Together the
 * operations are the table of stack-status transitions ({@link #ALL}, {@link #running}): a phase
 * that succeeds leads to the next phase or to {@link #complete()}; one that fails leads to the
 * operation that takes over ({@link #onFailure}, a rollback) or to {@link #failed()}.
 */
public sealed interface StackOperation permits CreateOperation, CreateRollbackOperation, DeleteOperation,
    UpdateOperation, UpdateRollbackOperation {

  /** Every operation: the transition table. Each phase's running status names one phase of one operation. */
  List<StackOperation> ALL = List.of(new CreateOperation(), new CreateRollbackOperation(), new DeleteOperation(),
      new UpdateOperation(), new UpdateRollbackOperation());

  /** The phases, run in order. */
  List<Phase> phases();

  /** The stack's status when every phase succeeded. */
  StackStatus complete();

  /** The stack's status when a phase failed and no other operation takes over. */
  StackStatus failed();

  /** The operation that takes over when a phase fails (a rollback), when the stack allows one. */
  default Optional<StackOperation> onFailure(StackRecord stack) {
    return Optional.empty();
  }

  /**
   * The stack as this operation starts when it takes over from a failed one (an update's rollback makes the
   * previous template version current again).
   */
  default StackRecord takingOver(StackRecord stack) {
    return stack;
  }

  /** Appended to the failure's reason when {@link #onFailure} takes over. */
  default String takeOverNote() {
    return "";
  }

  /** True when the operation rolls back a failed one (handlers are told: {@code ResourceRequest#rollback}). */
  default boolean rollback() {
    return false;
  }

  /** True when the stack is gone at the end (its exports, imports and signals go with it). */
  default boolean removesStack() {
    return false;
  }

  /**
   * True when nothing of the stack exists once the operation completes, so (as CloudFormation records
   * them) its imports and exports go: they must not keep their exporters from being deleted.
   */
  default boolean leavesNothing() {
    return removesStack();
  }

  /** Where a stack with this running status is: its operation and phase. */
  record Position(StackOperation operation, int phase) {
    public Phase current() {
      return operation.phases().get(phase);
    }

    /** The phase after this one, if any. */
    public Optional<Position> next() {
      return phase + 1 < operation.phases().size() ? Optional.of(new Position(operation, phase + 1))
          : Optional.empty();
    }
  }

  /** The operation phase a stack in {@code status} is running; empty when no operation runs. */
  static Optional<Position> running(StackStatus status) {
    for (StackOperation op : ALL) {
      for (int i = 0; i < op.phases().size(); i++) {
        if (op.phases().get(i).running() == status) {
          return Optional.of(new Position(op, i));
        }
      }
    }
    return Optional.empty();
  }
}
