package org.stacktician.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
  @Test
  void writesEveryInstantAsInstantToStringDoes() {
    SplittableRandom random = new SplittableRandom(20261207);
    long min = Instant.parse("-0001-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("+10001-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong(min, max);
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant at = Instant.ofEpochSecond(seconds, nano);
      assertThat(IsoInstant.format(at)).isEqualTo(at.toString()).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(at));
    }
  }

  @Test
  void edgesOfTheFourDigitYears() {
    for (String text : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
        "2024-02-29T12:00:00.100Z", "2026-12-07T23:42:57.000001Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
      Instant at = Instant.parse(text);
      assertThat(IsoInstant.format(at)).isEqualTo(at.toString());
    }
    StringBuilder sb = new StringBuilder("at ");
    assertThat(IsoInstant.append(sb, Instant.EPOCH).toString()).isEqualTo("at 1970-01-01T00:00:00Z");
  }
}
