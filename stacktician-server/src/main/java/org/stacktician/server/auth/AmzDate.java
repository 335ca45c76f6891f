package org.stacktician.server.auth;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Signature Version 4's request time, {@code yyyyMMdd'T'HHmmss'Z'} in UTC, read and written digit by
 * digit: every signed request has one, and a pattern formatter's general machinery cost as much as
 * the rest of checking a signature's text.
 */
final class AmzDate {
  private static final int LENGTH = 16;

  private AmzDate() {}

  /** The instant of {@code text}; refused unless it is exactly that form and a real time (no leap second). */
  static Instant parse(String text) {
    if (text.length() != LENGTH || text.charAt(8) != 'T' || text.charAt(15) != 'Z') {
      throw new DateTimeParseException("not yyyyMMddTHHmmssZ", text, 0);
    }
    try {
      return LocalDateTime.of(number(text, 0, 4), number(text, 4, 2), number(text, 6, 2), number(text, 9, 2),
          number(text, 11, 2), number(text, 13, 2)).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new DateTimeParseException("not a real date and time: " + e.getMessage(), text, 0);
    }
  }

  /** The text of {@code at} (to the second, in UTC). */
  static String format(Instant at) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      throw new DateTimeException("X-Amz-Date has four digits for the year: " + at);
    }
    char[] text = new char[LENGTH];
    digits(text, 0, t.getYear(), 4);
    digits(text, 4, t.getMonthValue(), 2);
    digits(text, 6, t.getDayOfMonth(), 2);
    text[8] = 'T';
    digits(text, 9, t.getHour(), 2);
    digits(text, 11, t.getMinute(), 2);
    digits(text, 13, t.getSecond(), 2);
    text[15] = 'Z';
    return new String(text);
  }

  private static int number(String text, int from, int width) {
    int value = 0;
    for (int i = from; i < from + width; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new DateTimeParseException("not a digit at " + i, text, i);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static void digits(char[] into, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
