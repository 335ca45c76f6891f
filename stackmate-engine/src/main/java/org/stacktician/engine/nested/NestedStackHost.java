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

  Optional<StackRecord> find(String stackId);

  List<StackRecord> children(String parentStackId);

  /** Starts deleting a stack. */
  StackRecord delete(String stackId);

  /** Why a stack's creation failed (the reason its rollback began), or its status reason. */
  String creationFailure(StackRecord stack);

  /** A template stored under a name (TemplateURL {@code stored:NAME}). */
  Optional<String> storedTemplate(String name);
}
