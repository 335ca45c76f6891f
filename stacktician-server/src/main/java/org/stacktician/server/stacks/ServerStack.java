package org.stacktician.server.stacks;

import org.stacktician.engine.drift.DriftInformation;
import org.stacktician.engine.stack.StackRecord;

/**
 * A stack as the server shows it: the engine's record, its key in REST paths, owner, the cloud account it runs in
 * (its name: null once the account is removed), the library template version its current template came from (null
 * for a body), and its drift information (its last drift detection's status and start). A stack read as a view
 * (StackReads) has no template bodies in its record ({@code templateBody()} and {@code previous()} are null):
 * {@link StackService#templateBody} reads the current one.
 */
public record ServerStack(String key, String ownerId, String cloudAccountId, String cloudAccountName,
    LibraryVersion library, DriftInformation drift, StackRecord record) {
  public ServerStack {
    drift = drift == null ? DriftInformation.NOT_CHECKED : drift;
  }

  /** This stack with the engine's record after an operation started on it. */
  public ServerStack with(StackRecord started) {
    return new ServerStack(key, ownerId, cloudAccountId, cloudAccountName, library, drift, started);
  }

  /** This stack with the library template its new template version came from (null: a body). */
  public ServerStack with(LibraryVersion source) {
    return new ServerStack(key, ownerId, cloudAccountId, cloudAccountName, source, drift, record);
  }
}
