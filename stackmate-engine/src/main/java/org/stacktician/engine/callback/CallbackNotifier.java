package org.stacktician.engine.callback;

/**
 * Told after the listener stored a signal or a custom-resource response, so the engine can run
 * the waiting resource's next poll at once instead of at its scheduled delay.
 */
@FunctionalInterface
public interface CallbackNotifier {
  /**
   * @param stackId the stack the URL was signed for
   * @param key the {@link org.stacktician.engine.waitcondition.SignalStore} key that changed
   */
  void received(String stackId, String key);

  /** Tells nobody. */
  CallbackNotifier NONE = (stackId, key) -> {};
}
