package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What the engine knows about created resources, for {@code Ref} and {@code Fn::GetAtt} at run
 * time. Empty means "not known yet": the expression is then {@link Resolution.Deferred}.
 */
public interface ResourceValues {
  /** The physical id of a resource; empty = not created yet. */
  Optional<JsonNode> ref(String logicalId);

  /** An attribute of a resource; empty = not known yet (or, once the resource exists, not an attribute it has). */
  Optional<JsonNode> getAtt(String logicalId, String attribute);

  /**
   * True once the resource exists, so that a missing attribute is an error ("no such attribute")
   * instead of a wait. By default a resource exists when its physical id is known.
   */
  default boolean created(String logicalId) {
    return ref(logicalId).isPresent();
  }

  /**
   * Why a created resource has no such attribute, when the engine can say more than "not an attribute
   * it has" (for example an instance with no public address); empty for the general message.
   */
  default Optional<String> whyNoAttribute(String logicalId, String attribute) {
    return Optional.empty();
  }

  /** Nothing is known (planning before any resource exists). */
  ResourceValues NONE = new ResourceValues() {
    @Override
    public Optional<JsonNode> ref(String logicalId) {
      return Optional.empty();
    }

    @Override
    public Optional<JsonNode> getAtt(String logicalId, String attribute) {
      return Optional.empty();
    }
  };
}
