package org.stacktician.engine.cloudstack;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to poll an async job next. Handlers never block, so each poll is one scheduled call; too
 * few polls make a stack late, too many load the cloud (a thousand stacks in flight). The first
 * poll of a command comes at 95% of how long its jobs took lately (a moving average per command,
 * learnt from the polls themselves); after that the gap is an eighth of the time waited (a job is
 * seen at most ~12% after it ended), or a twentieth once the expected time is near (~5%), from
 * 50 ms to 5 s. With a steady job latency L a job costs about two polls and is seen within ~1.05 L.
 * A job already finished at its first poll ended at some unknown time before it, so such a poll
 * counts as half the expected time: the estimate falls by 15% a time until a first poll comes too
 * early (and the later poll that sees the job finished raises it again), which lets a cloud whose jobs end within 20 ms be polled right after the submit (in the same
 * step) instead of at a floor. Only a command never seen before waits the fixed 100 ms.
 *
 * <p>One instance belongs to one engine (its base {@link
 * org.stacktician.engine.provider.ProviderContext#jobTimings()}), so one cloud's job latencies never
 * change the polls of another engine in the same process.
 */
public final class JobTimings {
  private static final long MIN_MILLIS = 50;
  private static final long FIRST_UNKNOWN_MILLIS = 100;
  private static final long IMMEDIATE_BELOW_MILLIS = 20;
  private static final long MAX_MILLIS = 5000;
  private static final double WEIGHT = 0.3;

  private final Map<String, Double> expected = new ConcurrentHashMap<>();

  /** Fresh timings that know no command yet. */
  public JobTimings() {}

  /** The delay before the first poll of a job of {@code command}. */
  public Duration firstPoll(String command) {
    Double e = expected.get(command);
    if (e == null) {
      return Duration.ofMillis(FIRST_UNKNOWN_MILLIS);
    }
    // Jobs that end sooner than a step takes to reschedule are polled right after the submit is
    // recorded, in the same step.
    long millis = e < IMMEDIATE_BELOW_MILLIS ? 0 : (long) (e * 0.95);
    return Duration.ofMillis(Math.min(MAX_MILLIS, millis));
  }

  /** The delay before the next poll of a job of {@code command} still pending after {@code elapsedMillis}. */
  public Duration nextPoll(String command, long elapsedMillis) {
    Double e = expected.get(command);
    long gap = e != null && elapsedMillis >= e * 0.9 && elapsedMillis <= e * 1.5 ? elapsedMillis / 20 : elapsedMillis / 8;
    return Duration.ofMillis(Math.max(MIN_MILLIS, Math.min(MAX_MILLIS, gap)));
  }

  /** Records that a job of {@code command} was seen finished {@code elapsedMillis} after submission. */
  public void finished(String command, long elapsedMillis) {
    if (elapsedMillis < 0) {
      return;
    }
    expected.merge(command, (double) elapsedMillis, (old, now) -> old + WEIGHT * (now - old));
  }

  /** Records that a job of {@code command} was already finished at its first poll. */
  public void finishedAtFirstPoll(String command) {
    Double e = expected.get(command);
    finished(command, e == null ? 0 : (long) (e / 2));
  }
}
