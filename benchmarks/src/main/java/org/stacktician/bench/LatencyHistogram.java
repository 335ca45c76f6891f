package org.stacktician.bench;

/**
 * Latencies counted in log-linear buckets (as HdrHistogram does): exact below 64 microseconds, then
 * 32 buckets per doubling up to about a day, so a percentile is at most 3.2% above the true value,
 * in a fixed 16 KB whatever the number of requests.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  private static final int MAGNITUDES = 32;

  private final long[] counts = new long[MAGNITUDES * SUB];
  private long count;

  /** Counts one latency in nanoseconds (below a microsecond counts as one). */
  public void record(long nanos) {
    counts[index(Math.max(1, nanos / 1000))]++;
    count++;
  }

  /** Adds another histogram's counts to this one. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
  }

  public long count() {
    return count;
  }

  /** The latency in nanoseconds at or below which a {@code p} share of the counts lie (0 when empty). */
  public long percentile(double p) {
    if (count == 0) {
      return 0;
    }
    long rank = (long) Math.min(count - 1, Math.floor(p * count));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen > rank) {
        return upperMicros(i) * 1000;
      }
    }
    throw new IllegalStateException("counts do not add up to " + count);
  }

  /** Bucket of a latency in microseconds: below {@link #SUB} one per value, above 32 per doubling. */
  static int index(long micros) {
    int magnitude = Math.max(0, 63 - Long.numberOfLeadingZeros(micros) - (SUB_BITS - 1));
    if (magnitude >= MAGNITUDES) {
      return MAGNITUDES * SUB - 1;
    }
    return magnitude * SUB + (int) ((micros >> magnitude) & (SUB - 1));
  }

  /** The largest latency in microseconds a bucket holds. */
  static long upperMicros(int index) {
    int magnitude = index / SUB;
    long sub = index % SUB;
    return ((sub + 1) << magnitude) - 1;
  }
}
