package org.stacktician.engine.stack;

/**
 * Renders text that may come from outside (signal reasons and ids, CloudStack's error texts,
 * custom-resource answers, names) for a terminal or a log line: control characters (C0 such as
 * ESC, BEL, CR and LF, DEL, C1) and the invisible bidirectional controls that reorder what is
 * shown are replaced by visible escapes ({@code \x1b}, {@code \r}, {@code \u202e}), so a value
 * cannot colour the output, set the terminal's title, move the cursor or print lines of its own.
 * Everything else, backslashes included, is kept. JSON output keeps values intact (its encoder
 * escapes control characters itself); HTML is escaped where it is rendered.
 */
public final class TerminalText {
  private TerminalText() {}

  /** One line: every control character escaped, line breaks too. Null stays null. */
  public static String safe(String text) {
    return render(text, false);
  }

  /** Several lines (a message that lists problems): as {@link #safe} but line feeds kept. */
  public static String lines(String text) {
    return render(text, true);
  }

  private static String render(String text, boolean keepLineFeeds) {
    if (text == null) {
      return null;
    }
    int i = 0;
    while (i < text.length() && !escaped(text.charAt(i), keepLineFeeds)) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!escaped(c, keepLineFeeds)) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x80) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  private static boolean escaped(char c, boolean keepLineFeeds) {
    if (c == '\n') {
      return !keepLineFeeds;
    }
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || bidiControl(c) || c == '\u2028' || c == '\u2029';
  }

  /** The Unicode bidirectional formatting characters (marks, embeddings, overrides, isolates). */
  private static boolean bidiControl(char c) {
    return c == '\u061c' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
