package org.stacktician.engine.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Create, read, update and delete one resource type, in the style of CloudFormation's resource
 * provider handlers: every call is short and never blocks waiting on the cloud. A call that starts
 * long work returns {@link ProgressEvent.InProgress} with a small callback context (for example
 * {@code {"jobid":"..."}}); the engine persists that context and calls the same operation again,
 * on any node, after the delay.
 */
public interface ResourceHandler {
  /**
   * Checks properties before any cloud call: required ones present, values of the right type.
   * Values that are still unresolved intrinsic functions (objects whose single key is {@code Ref}
   * or starts with {@code Fn::}) count as present and are not type-checked. Handlers check again
   * on the first create call, so the engine may skip this; it exists so that plans and
   * validate-template report every problem up front.
   */
  default List<PropertyError> validate(ObjectNode properties) {
    return List.of();
  }

  ProgressEvent create(ResourceRequest request);

  ProgressEvent delete(ResourceRequest request);

  /**
   * Which properties {@link #update} changes in place and at what cost, known without any cloud
   * call (change sets are computed from it); the default replaces the resource on any change.
   */
  default UpdateRules updateRules() {
    return UpdateRules.REPLACE_ALL;
  }

  /** In-place update; the default asks the engine to replace the resource instead. */
  default ProgressEvent update(ResourceRequest request) {
    return ProgressEvent.failed(ErrorCode.NOT_UPDATABLE,
        request.type() + " cannot be updated in place; it must be replaced");
  }

  /**
   * Changes only the engine's own tags on an existing resource, with tag calls alone: for {@link
   * ResourceRequest.Action#RETAG} to what a create would give it now (its DeletionPolicy changed), for {@link
   * ResourceRequest.Action#RELEASE} without those that make it the stack's (it is retained, no longer the stack's), so
   * that {@code delete-stack --by-tags} treats it as the stack now says. Answers SUCCESS with the request's physical id
   * and attributes. The default: a resource the handler does not tag has no tags to change.
   */
  default ProgressEvent retag(ResourceRequest request) {
    return ProgressEvent.success(request.physicalId(), request.attributes() == null ? java.util.Map.of()
        : request.attributes());
  }

  /**
   * Finds an existing resource that a create whose outcome is unknown may have made (for example
   * by the stack's tags), so that a retry never makes a duplicate. Returns SUCCESS with the found
   * resource, or FAILED with {@link ErrorCode#NOT_FOUND}.
   */
  default ProgressEvent read(ResourceRequest request) {
    return ProgressEvent.failed(ErrorCode.NOT_FOUND, "lookup is not supported for " + request.type());
  }

  /**
   * The resource's properties as they are in the cloud now, for drift detection: the request's
   * properties are the expected (resolved template) ones, its physical id and attributes those
   * recorded. Read-only and short (list calls, no job). The default cannot read them.
   */
  default ActualState readActual(ResourceRequest request) {
    return new ActualState.NotChecked(request.type() + " does not read its properties back from the cloud");
  }
}
