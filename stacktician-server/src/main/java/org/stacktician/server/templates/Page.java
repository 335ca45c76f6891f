package org.stacktician.server.templates;

import java.util.List;

/** One page of a list: its items, how many there are in all, and the offset of the next page (null at the end). */
public record Page<T>(List<T> items, long total, int offset, int limit, Integer nextOffset) {
  /** The page of {@code items} (already limited) starting at {@code offset} of {@code total}. */
  public static <T> Page<T> of(List<T> items, long total, int offset, int limit) {
    return new Page<>(items, total, offset, limit, offset + items.size() < total ? offset + items.size() : null);
  }
}
