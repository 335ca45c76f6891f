package org.stacktician.engine.provider;

/**
 * Create, read, update and delete one resource type, in the style of CloudFormation's resource
 * provider handlers: every call is short and never blocks waiting on the cloud. A call that starts
 * long work returns {@link ProgressEvent.InProgress} with a small callback context (for example
 * {@code {"jobid":"..."}}); the engine persists that context and calls the same operation again,
 * on any node, after the delay.
 */
public interface ResourceHandler {
  ProgressEvent create(ResourceRequest request);

  ProgressEvent delete(ResourceRequest request);

  /** In-place update; the default asks the engine to replace the resource instead. */
  default ProgressEvent update(ResourceRequest request) {
    return ProgressEvent.failed(ErrorCode.NOT_UPDATABLE,
        request.type() + " cannot be updated in place; it must be replaced");
  }

  /**
   * Finds an existing resource that a create whose outcome is unknown may have made (for example
   * by the stack's tags), so that a retry never makes a duplicate. Returns SUCCESS with the found
   * resource, or FAILED with {@link ErrorCode#NOT_FOUND}.
   */
  default ProgressEvent read(ResourceRequest request) {
    return ProgressEvent.failed(ErrorCode.NOT_FOUND, "lookup is not supported for " + request.type());
  }
}
