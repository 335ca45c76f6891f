package org.stacktician.engine.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.stacktician.engine.state.StateStore;

/**
 * A state store that stands for a process killed at one step: every commit is shown to a listener, and from the
 * first commit that {@code dies} picks on, that commit and every later use of the store fail (nothing more is
 * written or read), so the engine that uses it stops making calls; what it did before stays, in the cloud and in
 * the database, as after a SIGKILL right before that commit. A second engine on the same database then resumes.
 */
public final class DyingStore {
  private final StateStore real;
  private final Predicate<StateStore.Changes> dies;
  private final List<StateStore.Changes> seen = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean dead;

  private DyingStore(StateStore real, Predicate<StateStore.Changes> dies) {
    this.real = real;
    this.dies = dies;
  }

  /** A store that dies at the first commit {@code dies} picks ({@code c -> false}: a store that only records). */
  public static DyingStore over(StateStore real, Predicate<StateStore.Changes> dies) {
    return new DyingStore(real, dies);
  }

  /** True once the store died. */
  public boolean dead() {
    return dead;
  }

  /** The commits made through it (the one it died at excluded), in order. */
  public List<StateStore.Changes> commits() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** The store the engine is given. */
  public StateStore store() {
    InvocationHandler h = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(this, args);
      }
      if (!dead && method.getName().equals("commit") && args != null && args.length == 1
          && args[0] instanceof StateStore.Changes c) {
        if (dies.test(c)) {
          dead = true;
        } else {
          seen.add(c);
        }
      }
      if (dead) {
        throw new KilledException();
      }
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class}, h);
  }

  /** What every use of a dead store throws. */
  public static final class KilledException extends RuntimeException {
    KilledException() {
      super("the process was killed (test)", null, false, false);
    }
  }
}
