package org.stacktician.engine.nested;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stacktician.engine.stack.StackRecord;

/** What the nested-stack handler needs from the engine that runs it. */
public interface NestedStackHost {
  /** Validates, records and starts a child stack of {@code parent} for its resource {@code logicalId}. */
  StackRecord createNested(StackRecord parent, String logicalId, String templateBody, String source,
      Map<String, String> parameters, Integer timeoutMinutes);

  /**
   * Starts updating a child stack to a template and parameter values (its parent is being updated).
   *
   * @throws org.stacktician.engine.StackOperationException with {@value org.stacktician.engine.change.ChangeSet#NO_UPDATES}
   *     when nothing changes, or why it cannot be updated
   */
  StackRecord updateNested(String childStackId, String templateBody, String source, Map<String, String> parameters);

  Optional<StackRecord> find(String stackId);

  List<StackRecord> children(String parentStackId);

  /** Starts deleting a stack. */
  StackRecord delete(String stackId);

  /** Why a stack's creation failed (the reason its rollback began), or its status reason. */
  String creationFailure(StackRecord stack);

  /** A template stored under a name (TemplateURL {@code stored:NAME}). */
  Optional<String> storedTemplate(String name);
}
