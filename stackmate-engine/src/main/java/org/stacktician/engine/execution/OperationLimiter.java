package org.stacktician.engine.execution;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the resource operations in progress per cloud account across the stacks this process
 * runs. A permit is held by a (stack, resource) pair from the start of its operation to its end;
 * acquiring a pair that already holds one is free (a resumed operation keeps its permit).
 */
final class OperationLimiter {
  private final int perAccount;
  private final ConcurrentHashMap<String, Set<String>> held = new ConcurrentHashMap<>();

  OperationLimiter(int perAccount) {
    this.perAccount = perAccount;
  }

  /** Takes a permit for a new operation; false when the account is at its bound. */
  boolean tryAcquire(String account, String stackId, String logicalId) {
    Set<String> set = held.computeIfAbsent(key(account), k -> ConcurrentHashMap.newKeySet());
    String op = stackId + "\u0000" + logicalId;
    synchronized (set) {
      if (set.contains(op)) {
        return true;
      }
      if (set.size() >= perAccount) {
        return false;
      }
      set.add(op);
      return true;
    }
  }

  /** Notes an operation already running (resumed after a restart), even beyond the bound. */
  void hold(String account, String stackId, String logicalId) {
    Set<String> set = held.computeIfAbsent(key(account), k -> ConcurrentHashMap.newKeySet());
    synchronized (set) {
      set.add(stackId + "\u0000" + logicalId);
    }
  }

  void release(String account, String stackId, String logicalId) {
    Set<String> set = held.get(key(account));
    if (set != null) {
      synchronized (set) {
        set.remove(stackId + "\u0000" + logicalId);
      }
    }
  }

  int inProgress(String account) {
    Set<String> set = held.get(key(account));
    return set == null ? 0 : set.size();
  }

  private static String key(String account) {
    return account == null ? "" : account;
  }
}
