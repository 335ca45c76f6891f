package org.stacktician.engine.waitcondition;

import java.util.List;

/**
 * Durable store of signals received for wait-condition handles and of custom-resource responses.
 * The engine's state store implements it (signals must survive a restart of the CLI); the callback
 * listener writes, the WaitCondition and custom-resource handlers read on each poll.
 *
 * <p>Keys: for a wait-condition handle, {@code key} is the handle's logical id. For a custom
 * resource, {@code key} is {@link #customResourceKey(String, String)} of the resource's logical id
 * and the request id, so each Create/Update/Delete request has its own answer.
 */
public interface SignalStore {
  /** Most distinct UniqueIds one handle (or one custom-resource request) keeps; more are refused. */
  int MAX_SIGNALS_PER_KEY = 1000;

  /**
   * Stores a signal. A signal whose {@code uniqueId} was already recorded under the same stack and
   * key replaces the earlier one (CloudFormation's rule for repeated UniqueIds).
   *
   * @throws SignalRefusedException (409) when the key already holds {@link #MAX_SIGNALS_PER_KEY}
   *     other UniqueIds
   */
  void record(String stackId, String key, Signal signal);

  /** All signals recorded under the stack and key, in the order they were first received. */
  List<Signal> signals(String stackId, String key);

  /**
   * Refuses a signal for a wait-condition handle that cannot use it: 404 when the stack or the
   * handle does not exist (deleted), 410 when the stack is past the operation that waits (complete,
   * failed, deleting, rolling back) or every wait condition on the handle has finished. Stores that
   * know no stacks accept everything.
   */
  default void checkAccepts(String stackId, String handle) {}

  /**
   * Refuses a custom-resource response nothing will read: 404 when the stack or the resource does
   * not exist (deleted), 410 when no request to the resource is waiting (it finished). Stores that
   * know no stacks accept everything.
   */
  default void checkAcceptsResponse(String stackId, String logicalId) {}

  /** The refusal for one signal too many under a key. */
  static SignalRefusedException tooMany(String key) {
    return new SignalRefusedException(409, "'" + key + "' already holds " + MAX_SIGNALS_PER_KEY
        + " signals with distinct UniqueIds, the most one handle keeps; resend with one of those UniqueIds to replace it");
  }

  /** Drops every signal of a stack (called when the stack is deleted). */
  default void deleteStack(String stackId) {}

  /** The key under which the response to one custom-resource request is stored. */
  static String customResourceKey(String logicalId, String requestId) {
    return logicalId + "#" + requestId;
  }
}
