package org.stacktician.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void smallLatenciesAreExactAndLargeOnesWithinThreePercentAbove() {
    LatencyHistogram h = new LatencyHistogram();
    for (int micros = 1; micros <= 50; micros++) {
      h.record(micros * 1000L);
    }
    assertThat(h.percentile(0.5)).isEqualTo(26_000);
    assertThat(h.percentile(0.0)).isEqualTo(1_000);

    Random random = new Random(7);
    long[] values = new long[200_000];
    LatencyHistogram wide = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.exp(random.nextDouble() * Math.log(5_000_000_000L)); // 1 ns to 5 s, spread by magnitude
      wide.record(values[i]);
    }
    Arrays.sort(values);
    for (double p : new double[] {0.1, 0.5, 0.9, 0.99, 0.999}) {
      double exact = Math.max(1, values[(int) (p * values.length)] / 1000) * 1000.0;
      double got = wide.percentile(p);
      assertThat(got).as("p%s", p).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact * 1.032 + 1000);
    }
    assertThat(wide.count()).isEqualTo(values.length);
  }

  @Test
  void histogramsAddUp() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(10_000);
    b.record(20_000_000);
    a.add(b);
    assertThat(a.count()).isEqualTo(2);
    assertThat((double) a.percentile(0.99)).isCloseTo(20_000_000, within(20_000_000 * 0.032));
    assertThat(new LatencyHistogram().percentile(0.5)).isZero();
  }
}
