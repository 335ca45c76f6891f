package org.stacktician.engine.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Supplier;

/**
 * Undoing what a create of several cloud calls made before it failed (a VM that CloudStack left in
 * Error state, an instance whose volume would not attach): the handler deletes it before it reports
 * the failure, so that nothing half-made holds what the rollback deletes next. The failure waits in
 * the callback context while the delete runs over as many calls as it needs; the create's next
 * call sees {@link #running} and continues the delete with {@link #resume}.
 */
public final class CreateUndo {
  private static final String KEY = "undo";

  private CreateUndo() {}

  /** True when a create's callback context holds an undo in progress. */
  public static boolean running(ObjectNode callbackContext) {
    return callbackContext != null && callbackContext.has(KEY);
  }

  /**
   * Starts undoing after {@code failure}: records it in {@code callbackContext}, runs the delete's
   * first call and reports its outcome as the create's.
   *
   * @param physicalId what is being removed, for the message when removing it fails too
   */
  public static ProgressEvent start(ObjectNode callbackContext, ProgressEvent.Failed failure, String physicalId,
      Supplier<ProgressEvent> delete) {
    ObjectNode undo = callbackContext.putObject(KEY).put("code", failure.code().name()).put("message", failure.message());
    if (physicalId != null) {
      undo.put("physicalId", physicalId);
    }
    return outcome(undo, delete.get());
  }

  /** Continues an undo: runs the delete's next call (with the context it left) and reports its outcome. */
  public static ProgressEvent resume(ObjectNode callbackContext, Supplier<ProgressEvent> delete) {
    ObjectNode undo = (ObjectNode) callbackContext.get(KEY).deepCopy();
    return outcome(undo, delete.get());
  }

  private static ProgressEvent outcome(ObjectNode undo, ProgressEvent delete) {
    ErrorCode code = ErrorCode.valueOf(undo.get("code").asText());
    String message = undo.get("message").asText();
    return switch (delete) {
      case ProgressEvent.InProgress ip -> {
        ObjectNode next = ip.callbackContext().deepCopy();
        next.set(KEY, undo);
        yield ProgressEvent.inProgress(next, ip.delay(), "removing what was created before the failure: " + message);
      }
      case ProgressEvent.Success ok -> ProgressEvent.failed(code, message + " (what was created was removed)");
      case ProgressEvent.Failed f -> {
        JsonNode id = undo.get("physicalId");
        yield ProgressEvent.failed(code, message + "; removing what was created failed too: " + f.message()
            + (id == null ? "" : " (physical id " + id.asText() + ")"));
      }
    };
  }
}
