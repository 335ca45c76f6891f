package org.stacktician.engine.execution;

import org.stacktician.engine.stack.StackStatus;

/**
 * One phase of a stack operation: a walk over the stack's resources towards a target template
 * version, under the stack status the stack shows meanwhile.
 *
 * @param running the stack's status while the phase runs (unique to the phase: it names it)
 * @param walk provision (forward, in dependency order) or cleanup (reverse dependency order)
 * @param target the template version the walk moves the stack to
 * @param failureTolerated true when the operation completes even if the phase fails (the cleanup after an update:
 *     as CloudFormation, the stack is updated; what could not be deleted stays DELETE_FAILED)
 */
public record Phase(StackStatus running, Walk walk, Target target, boolean failureTolerated) {

  /** The direction of a phase's walk. */
  public enum Walk {
    /** Makes every resource of the target version exist as that version says, dependencies first. */
    PROVISION,
    /** Removes every resource that the target version does not have, dependents first. */
    CLEANUP
  }

  /** The template version a phase moves the stack to. */
  public enum Target {
    /** The stack's current template version. */
    CURRENT,
    /** No template at all: every resource goes. */
    NOTHING
  }

  static Phase provision(StackStatus running, Target target) {
    return new Phase(running, Walk.PROVISION, target, false);
  }

  static Phase cleanup(StackStatus running, Target target) {
    return new Phase(running, Walk.CLEANUP, target, false);
  }

  /** This phase, its failure tolerated. */
  Phase tolerated() {
    return new Phase(running, walk, target, true);
  }
}
