package org.stacktician.template.parse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;

/**
 * Parses JSON or YAML template text into a tree with positions. Text whose first non-blank
 * character is <code>{</code> is read as JSON (clearer errors); anything else as YAML. Size is checked
 * before parsing and nesting while parsing, so hostile input fails fast in bounded memory.
 */
public final class TemplateParser {
  private TemplateParser() {}

  /** Parses text already decoded. */
  public static ParsedDocument parse(String text, TemplateLimits limits) {
    List<TemplateError> errors = new ArrayList<>();
    if (text == null || text.isBlank()) {
      errors.add(TemplateError.of("", "The template is empty"));
      return new ParsedDocument(null, null, errors);
    }
    long bytes = utf8Length(text, limits.bodyBytes());
    if (bytes > limits.bodyBytes()) {
      errors.add(TemplateError.of("", "The template body is larger than the limit of " + limits.bodyBytes() + " bytes"));
      return new ParsedDocument(null, null, errors);
    }
    String body = text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    TreeBuilder builder = new TreeBuilder(limits.nestingDepth(), errors, body.length());
    try {
      if (firstNonBlank(body) == '{') {
        JsonReader.read(body, limits, builder, errors);
        if (errors.stream().anyMatch(e -> e.message().startsWith(JsonReader.MALFORMED))) {
          // JSON-like flow style is still YAML (a trailing comma, unquoted keys), as CloudFormation reads it
          ParsedDocument yaml = yaml(body, limits);
          if (yaml.errors().isEmpty()) {
            return yaml;
          }
        }
      } else {
        YamlReader.read(body, limits, builder, errors);
      }
    } catch (TreeBuilder.Abort e) {
      // the error is already recorded
    } catch (RuntimeException | StackOverflowError e) {
      errors.add(new TemplateError(builder.currentPath(), 0, 0,
          "The template could not be parsed: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + JsonReader.firstLine(e.getMessage()))));
    }
    if (!errors.isEmpty()) {
      return new ParsedDocument(builder.root(), builder.root() == null ? null : builder.sourceMap(), errors);
    }
    return new ParsedDocument(builder.root(), builder.sourceMap(), errors);
  }

  /** Parses bytes, which must be UTF-8; the first invalid byte is reported with its line and column. */
  public static ParsedDocument parse(byte[] bytes, TemplateLimits limits) {
    if (bytes.length > limits.bodyBytes()) {
      return new ParsedDocument(null, null, List.of(TemplateError.of("",
          "The template body is " + bytes.length + " bytes, larger than the limit of " + limits.bodyBytes() + " bytes")));
    }
    // JSON and YAML alike are decoded here, so that a bad byte gets the same message in both
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      int column = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
          column++;
        }
      }
      return new ParsedDocument(null, null, List.of(new TemplateError("", line, column,
          "The template is not valid UTF-8: invalid byte 0x" + String.format("%02X", bytes[offset] & 0xff)
              + " at byte offset " + offset)));
    }
    out.flip();
    return parse(out.toString(), limits);
  }

  private static ParsedDocument yaml(String body, TemplateLimits limits) {
    List<TemplateError> errors = new ArrayList<>();
    TreeBuilder builder = new TreeBuilder(limits.nestingDepth(), errors, body.length());
    try {
      YamlReader.read(body, limits, builder, errors);
    } catch (RuntimeException | StackOverflowError e) {
      errors.add(TemplateError.of("", "not YAML either")); // only tells the caller to keep the JSON error
    }
    return new ParsedDocument(builder.root(), builder.root() == null ? null : builder.sourceMap(), errors);
  }

  private static char firstNonBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c;
      }
    }
    return ' ';
  }

  /** The UTF-8 length of {@code s}, counting no further than just past {@code stopAfter}. */
  private static long utf8Length(String s, long stopAfter) {
    long n = 0;
    for (int i = 0; i < s.length() && n <= stopAfter; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

}
