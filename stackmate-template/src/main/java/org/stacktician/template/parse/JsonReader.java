package org.stacktician.template.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.base.ParserBase;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.List;
import org.stacktician.template.SourceMap;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;

/** Reads JSON text with Jackson's streaming parser into a {@link TreeBuilder}. */
final class JsonReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private JsonReader() {}

  static void read(String text, TemplateLimits limits, TreeBuilder builder, List<TemplateError> errors) {
    try {
      read(factory(limits).createParser(text), builder, errors);
    } catch (IOException e) {
      errors.add(new TemplateError("", 0, 0, "Cannot read the template: " + e.getMessage()));
    }
  }

  private static JsonFactory factory(TemplateLimits limits) {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.nestingDepth() + 1)
            .maxStringLength(limits.stringLength())
            .maxNumberLength(1000)
            .build())
        .build();
  }

  private static void read(JsonParser parser, TreeBuilder builder, List<TemplateError> errors) {
    ParserBase base = parser instanceof ParserBase b ? b : null;
    try (parser) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        long pos;
        if (base != null && token != JsonToken.FIELD_NAME) {
          // ParserBase's column is one past the token's 1-based column
          pos = SourceMap.pack(base.getTokenLineNr(), base.getTokenColumnNr() - 1);
        } else {
          JsonLocation at = parser.currentTokenLocation();
          pos = SourceMap.pack(at.getLineNr(), at.getColumnNr());
        }
        switch (token) {
          case START_OBJECT -> builder.startObject(pos, null);
          case START_ARRAY -> builder.startArray(pos, null);
          case END_OBJECT, END_ARRAY -> builder.end();
          case FIELD_NAME -> builder.key(parser.currentName(), pos);
          case VALUE_STRING -> builder.value(NODES.textNode(parser.getText()), pos, null);
          case VALUE_NUMBER_INT -> builder.value(switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
          }, pos, null);
          case VALUE_NUMBER_FLOAT -> builder.value(NODES.numberNode(parser.getDecimalValue()), pos, null);
          case VALUE_TRUE -> builder.value(NODES.booleanNode(true), pos, null);
          case VALUE_FALSE -> builder.value(NODES.booleanNode(false), pos, null);
          case VALUE_NULL -> builder.value(NODES.nullNode(), pos, null);
          default -> throw new IllegalStateException("unexpected JSON token " + token);
        }
        if (builder.depth() == 0) {
          JsonToken extra = parser.nextToken();
          if (extra != null) {
            JsonLocation x = parser.currentTokenLocation();
            errors.add(new TemplateError("", x.getLineNr(), x.getColumnNr(),
                "Unexpected content after the end of the template"));
          }
          return;
        }
      }
      errors.add(new TemplateError("", 0, 0, "The template ends before it is complete (unclosed object or list)"));
    } catch (StreamConstraintsException e) {
      JsonLocation at = e.getLocation();
      errors.add(new TemplateError(builder.currentPath(), at == null ? 0 : at.getLineNr(),
          at == null ? 0 : at.getColumnNr(), "The template exceeds a size limit: " + e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      errors.add(new TemplateError(builder.currentPath(), at == null ? 0 : at.getLineNr(),
          at == null ? 0 : at.getColumnNr(), MALFORMED + readable(e.getOriginalMessage())));
    } catch (IOException e) {
      errors.add(new TemplateError("", 0, 0, "Cannot read the template: " + e.getMessage()));
    }
  }

  /** How a JSON syntax error's message starts. */
  static final String MALFORMED = "Malformed JSON: ";

  private static final java.util.regex.Pattern SOURCE = java.util.regex.Pattern.compile(
      "\\[Source: [^\\]]*; line: (\\d+), column: (\\d+)\\]");

  /** Jackson's message without parser internals (its source-location settings), in plain words. */
  static String readable(String message) {
    String line = SOURCE.matcher(firstLine(message)).replaceAll("line $1, column $2");
    return line.replaceAll(" ?\\[Source: [^\\]]*\\]", "")
        .replace("(start marker at ", "(opened at ")
        .replace("Unexpected end-of-input", "the template ends too early")
        .replace("expected close marker for Object", "an object is not closed")
        .replace("expected close marker for Array", "a list is not closed");
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
