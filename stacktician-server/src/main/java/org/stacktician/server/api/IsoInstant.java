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

  /** The longest text {@link #write} makes ("+1000000000-12-31T23:59:59.999999999Z" and the like). */
  public static final int MAX_LENGTH = 48;

  private IsoInstant() {}

  /** The text of {@code at}, as {@link Instant#toString}. */
  public static String format(Instant at) {
    char[] text = new char[MAX_LENGTH];
    return new String(text, 0, write(text, at));
  }

  /** Appends the text of {@code at}, as {@link Instant#toString}, to {@code sb}. */
  public static StringBuilder append(StringBuilder sb, Instant at) {
    char[] text = new char[MAX_LENGTH];
    return sb.append(text, 0, write(text, at));
  }

  /**
   * Writes the text of {@code at}, as {@link Instant#toString}, at the start of {@code into} (at
   * least {@link #MAX_LENGTH} long); returns its length. ASCII that needs no escaping in JSON or XML.
   */
  public static int write(char[] into, Instant at) {
    long seconds = at.getEpochSecond();
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
      // Years outside 0000-9999 take a sign or more digits: the formatter knows those rules.
      String text = DateTimeFormatter.ISO_INSTANT.format(at);
      text.getChars(0, text.length(), into, 0);
      return text.length();
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    int i = digits(into, 0, t.getYear(), 4);
    into[i++] = '-';
    i = digits(into, i, t.getMonthValue(), 2);
    into[i++] = '-';
    i = digits(into, i, t.getDayOfMonth(), 2);
    into[i++] = 'T';
    i = digits(into, i, t.getHour(), 2);
    into[i++] = ':';
    i = digits(into, i, t.getMinute(), 2);
    into[i++] = ':';
    i = digits(into, i, t.getSecond(), 2);
    int nano = at.getNano();
    if (nano != 0) {
      into[i++] = '.';
      if (nano % 1_000_000 == 0) {
        i = digits(into, i, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        i = digits(into, i, nano / 1_000, 6);
      } else {
        i = digits(into, i, nano, 9);
      }
    }
    into[i++] = 'Z';
    return i;
  }

  /** {@code value} (0 or more) in exactly {@code width} digits, zeros first, from {@code at}; returns the next index. */
  private static int digits(char[] into, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
