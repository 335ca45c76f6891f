package org.stacktician.cloudstack.client.catalog;

/** Levenshtein distance, for "did you mean" suggestions on mistyped type and property names. */
public final class EditDistance {
  private EditDistance() {}

  /** The number of single-character insertions, deletions and substitutions that turn a into b. */
  public static int between(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * The candidates closest to {@code wanted} (ignoring case), nearest first, at most {@code max}:
   * those within a third of the name's length (at least 2 edits), for "did you mean" hints.
   */
  public static java.util.List<String> closest(String wanted, java.util.Collection<String> candidates, int max) {
    return closest(wanted, candidates, max, Math.max(2, wanted.length() / 3));
  }

  /** As {@link #closest(String, java.util.Collection, int)}, with at most {@code limit} edits. */
  public static java.util.List<String> closest(String wanted, java.util.Collection<String> candidates, int max,
      int limit) {
    String w = wanted.toLowerCase(java.util.Locale.ROOT);
    return candidates.stream()
        .map(c -> java.util.Map.entry(c, between(w, c.toLowerCase(java.util.Locale.ROOT))))
        .filter(e -> e.getValue() <= limit)
        .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().thenComparing(java.util.Map.Entry.comparingByKey()))
        .limit(max)
        .map(java.util.Map.Entry::getKey)
        .toList();
  }
}
