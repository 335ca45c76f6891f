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

  /**
   * Stores a signal. A signal whose {@code uniqueId} was already recorded under the same stack and
   * key replaces the earlier one (CloudFormation's rule for repeated UniqueIds).
   */
  void record(String stackId, String key, Signal signal);

  /** All signals recorded under the stack and key, in the order they were first received. */
  List<Signal> signals(String stackId, String key);

  /** Drops every signal of a stack (called when the stack is deleted). */
  default void deleteStack(String stackId) {}

  /** The key under which the response to one custom-resource request is stored. */
  static String customResourceKey(String logicalId, String requestId) {
    return logicalId + "#" + requestId;
  }
}
