package org.stacktician.engine.waitcondition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SignalStore} held in memory: for tests and for embedding where signals need not
 * survive a restart. Thread-safe.
 */
public final class InMemorySignalStore implements SignalStore {
  private final Map<String, LinkedHashMap<String, Signal>> byKey = new ConcurrentHashMap<>();

  @Override
  public void record(String stackId, String key, Signal signal) {
    LinkedHashMap<String, Signal> signals =
        byKey.computeIfAbsent(stackId + "\u0000" + key, k -> new LinkedHashMap<>());
    synchronized (signals) {
      if (!signals.containsKey(signal.uniqueId()) && signals.size() >= MAX_SIGNALS_PER_KEY) {
        throw SignalStore.tooMany(key);
      }
      signals.put(signal.uniqueId(), signal);
    }
  }

  @Override
  public List<Signal> signals(String stackId, String key) {
    LinkedHashMap<String, Signal> signals = byKey.get(stackId + "\u0000" + key);
    if (signals == null) {
      return List.of();
    }
    synchronized (signals) {
      return List.copyOf(new ArrayList<>(signals.values()));
    }
  }

  @Override
  public void deleteStack(String stackId) {
    byKey.keySet().removeIf(k -> k.startsWith(stackId + "\u0000"));
  }
}
