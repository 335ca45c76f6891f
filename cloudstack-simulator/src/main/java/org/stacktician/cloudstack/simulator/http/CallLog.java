package org.stacktician.cloudstack.simulator.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API calls the simulator has answered (authenticated, known commands), newest last, with the
 * parameters that name resources ({@code id}, {@code ids} and every {@code ...id}): what tests and
 * benchmarks read to count what a client asked of the cloud, and about which resources. Bounded:
 * the oldest calls go past {@value #MAX_CALLS}.
 */
public final class CallLog {
  /** The most calls kept. */
  public static final int MAX_CALLS = 100_000;

  /** One call: its command and the resource-naming parameters it was given. */
  public record Call(String command, Map<String, String> ids) {
    public Call {
      ids = Map.copyOf(ids);
    }

    /** True when one of the call's resource-naming parameters is {@code id}. */
    public boolean names(String id) {
      return ids.values().stream().anyMatch(v -> v.equals(id) || List.of(v.split(",")).contains(id));
    }
  }

  private final Deque<Call> calls = new ArrayDeque<>();

  synchronized void record(String command, Map<String, String> params) {
    Map<String, String> ids = new LinkedHashMap<>();
    params.forEach((k, v) -> {
      String key = k.toLowerCase(Locale.ROOT);
      if (key.equals("id") || key.equals("ids") || key.endsWith("id")) {
        ids.put(k, v);
      }
    });
    calls.addLast(new Call(command, ids));
    if (calls.size() > MAX_CALLS) {
      calls.removeFirst();
    }
  }

  /** The calls kept, oldest first. */
  public synchronized List<Call> calls() {
    return new ArrayList<>(calls);
  }

  /** Forgets every call so far (a test or benchmark counting from here). */
  public synchronized void clear() {
    calls.clear();
  }
}
