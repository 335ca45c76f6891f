package org.stacktician.server.stacks;

import org.stacktician.engine.drift.DriftInformation;
import org.stacktician.engine.stack.StackSummary;

/** A stack as a listing shows it (CloudFormation's ListStacks): its summary and its drift information. */
public record ListedStack(StackSummary summary, DriftInformation drift) {
  public ListedStack {
    drift = drift == null ? DriftInformation.NOT_CHECKED : drift;
  }
}
