package org.stacktician.server.api;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as both APIs write them: ISO-8601 in UTC, exactly as {@link DateTimeFormatter#ISO_INSTANT}
 * (and so {@link Instant#toString}) does — a fraction of 3, 6 or 9 digits only when there is one —
 * written digit by digit. A list page writes hundreds of them, and the formatter's general
 * machinery cost more than the rest of writing a page's XML.
 */
public final class IsoInstant {
  private static final long MIN_SECONDS = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
  private static final long MAX_SECONDS = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

  private IsoInstant() {}

  /** The text of {@code at}, as {@link Instant#toString}. */
  public static String format(Instant at) {
    return append(new StringBuilder(30), at).toString();
  }

  /** Appends the text of {@code at}, as {@link Instant#toString}, to {@code sb}. */
  public static StringBuilder append(StringBuilder sb, Instant at) {
    long seconds = at.getEpochSecond();
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
      // Years outside 0000-9999 take a sign or more digits: the formatter knows those rules.
      return sb.append(DateTimeFormatter.ISO_INSTANT.format(at));
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    digits(sb, t.getYear(), 4).append('-');
    digits(sb, t.getMonthValue(), 2).append('-');
    digits(sb, t.getDayOfMonth(), 2).append('T');
    digits(sb, t.getHour(), 2).append(':');
    digits(sb, t.getMinute(), 2).append(':');
    digits(sb, t.getSecond(), 2);
    int nano = at.getNano();
    if (nano != 0) {
      sb.append('.');
      if (nano % 1_000_000 == 0) {
        digits(sb, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        digits(sb, nano / 1_000, 6);
      } else {
        digits(sb, nano, 9);
      }
    }
    return sb.append('Z');
  }

  /** {@code value} (0 or more) in exactly {@code width} digits, zeros first. */
  private static StringBuilder digits(StringBuilder sb, int value, int width) {
    for (int div = pow10(width - 1); div > 0; div /= 10) {
      sb.append((char) ('0' + value / div % 10));
    }
    return sb;
  }

  private static int pow10(int n) {
    int p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10;
    }
    return p;
  }
}
