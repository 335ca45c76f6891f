package org.stacktician.engine.change;

import java.util.List;
import org.stacktician.template.TemplateError;

/** The outcome of computing a change set: the change set, or every reason it cannot be made. */
public sealed interface ChangeSetResult {
  /** The update is possible; it may still change nothing ({@link ChangeSet#noUpdates()}). */
  record Computed(ChangeSet changeSet) implements ChangeSetResult {}

  /** The new template or parameters are invalid, or the update is one CloudFormation refuses. */
  record Rejected(List<TemplateError> errors) implements ChangeSetResult {
    public Rejected {
      errors = List.copyOf(errors);
    }
  }
}
