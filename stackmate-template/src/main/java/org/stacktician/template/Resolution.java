package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** The result of resolving an expression with {@link Evaluator#resolve}. */
public sealed interface Resolution {
  /**
   * Fully resolved: no intrinsic function left and {@code AWS::NoValue} removed. When the whole
   * expression was {@code AWS::NoValue}, {@code value} is a {@link com.fasterxml.jackson.databind.node.MissingNode}.
   */
  record Resolved(JsonNode value) implements Resolution {}

  /**
   * Not resolvable yet: {@code partial} is the expression with everything known substituted and
   * the rest kept as intrinsic-function objects; {@code waitingOn} names the resources it still
   * needs. An empty {@code waitingOn} means it needs context the caller did not supply (zone names
   * for {@code Fn::GetAZs}, exports for {@code Fn::ImportValue}).
   */
  record Deferred(JsonNode partial, Set<String> waitingOn) implements Resolution {
    public Deferred {
      waitingOn = Set.copyOf(waitingOn);
    }
  }

  /** The expression cannot be resolved, e.g. {@code Fn::Select} out of range, unknown attribute. */
  record Failed(List<TemplateError> errors) implements Resolution {
    public Failed {
      errors = List.copyOf(errors);
    }
  }
}
