package org.stacktician.engine.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.stacktician.engine.state.StateStore;

/**
 * A state store that makes one order of two stacks' steps happen: a commit that {@code held} picks waits (at most a
 * minute) until {@code until} holds of the real store, so what that commit records is seen by the other stack only
 * after the other stack did what {@code until} waits for. Everything else goes through at once.
 */
public final class HoldingStore {
  private static final Duration LIMIT = Duration.ofMinutes(1);
  private final StateStore real;
  private final Predicate<StateStore.Changes> held;
  private final Predicate<StateStore> until;
  private final AtomicInteger heldCommits = new AtomicInteger();
  private volatile boolean limitReached;

  private HoldingStore(StateStore real, Predicate<StateStore.Changes> held, Predicate<StateStore> until) {
    this.real = real;
    this.held = held;
    this.until = until;
  }

  /** A store over {@code real} whose commits that {@code held} picks wait until {@code until} holds. */
  public static HoldingStore over(StateStore real, Predicate<StateStore.Changes> held, Predicate<StateStore> until) {
    return new HoldingStore(real, held, until);
  }

  /** How many commits were held until their condition held (not those the limit let go). */
  public int heldCommits() {
    return heldCommits.get();
  }

  /** True when a held commit went on after the limit, its condition still false (the order was not made). */
  public boolean limitReached() {
    return limitReached;
  }

  /** The store the engine is given. */
  public StateStore store() {
    InvocationHandler h = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(this, args);
      }
      if (method.getName().equals("commit") && args != null && args.length == 1
          && args[0] instanceof StateStore.Changes c && held.test(c)) {
        hold();
      }
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class}, h);
  }

  private void hold() throws InterruptedException {
    long end = System.nanoTime() + LIMIT.toNanos();
    while (!until.test(real)) {
      if (System.nanoTime() > end) {
        limitReached = true;
        return;
      }
      Thread.sleep(20);
    }
    heldCommits.incrementAndGet();
  }
}
