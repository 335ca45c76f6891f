package org.stacktician.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AmzDateTest {
  private static final DateTimeFormatter PATTERN =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Test
  void readsAndWritesAsThePatternDoes() {
    SplittableRandom random = new SplittableRandom(7);
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      Instant at = Instant.ofEpochSecond(random.nextLong(0, max + 1));
      String text = AmzDate.format(at);
      assertThat(text).isEqualTo(PATTERN.format(at));
      assertThat(AmzDate.parse(text)).isEqualTo(at);
    }
    assertThat(AmzDate.format(Instant.parse("2026-12-07T23:42:57.999Z"))).isEqualTo("20261207T234257Z");
  }

  @Test
  void refusesAnythingElse() {
    for (String bad : new String[] {"", "20261207T234257", "20261207T234257ZZ", "2026-12-07T23:42:57Z",
        "20261207 234257Z", "2026120xT234257Z", "20261307T234257Z", "20260230T120000Z", "20261207T246000Z",
        "20261207T235960Z", "+0261207T234257Z", "２0261207T234257Z"}) {
      assertThatThrownBy(() -> AmzDate.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
    }
  }
}
