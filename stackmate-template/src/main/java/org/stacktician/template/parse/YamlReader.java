package org.stacktician.template.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.stacktician.template.SourceMap;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads YAML with SnakeYAML's event parser (no object construction, so no alias expansion) into a
 * {@link TreeBuilder}. CloudFormation's short forms ({@code !Ref}, {@code !GetAtt A.B}, ...) become
 * the long-form function objects. Like CloudFormation, aliases, merge keys and the binary, set,
 * omap, pairs and timestamp types are not supported (dates stay strings). Plain scalars resolve
 * with YAML 1.2's core schema: only true/false are booleans, so {@code DependsOn: Off} or a
 * resource named {@code No} stay strings (YAML 1.1 would turn them into booleans).
 */
final class YamlReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  /** Short-form tags and the function each stands for. */
  static final Map<String, String> SHORT_FORMS = Map.ofEntries(
      Map.entry("!Ref", "Ref"),
      Map.entry("!Condition", "Condition"),
      Map.entry("!Sub", "Fn::Sub"),
      Map.entry("!GetAtt", "Fn::GetAtt"),
      Map.entry("!If", "Fn::If"),
      Map.entry("!Join", "Fn::Join"),
      Map.entry("!Select", "Fn::Select"),
      Map.entry("!Split", "Fn::Split"),
      Map.entry("!FindInMap", "Fn::FindInMap"),
      Map.entry("!Base64", "Fn::Base64"),
      Map.entry("!GetAZs", "Fn::GetAZs"),
      Map.entry("!Cidr", "Fn::Cidr"),
      Map.entry("!ImportValue", "Fn::ImportValue"),
      Map.entry("!GetStackOutput", "Fn::GetStackOutput"),
      Map.entry("!Contains", "Fn::Contains"),
      Map.entry("!EachMemberEquals", "Fn::EachMemberEquals"),
      Map.entry("!EachMemberIn", "Fn::EachMemberIn"),
      Map.entry("!RefAll", "Fn::RefAll"),
      Map.entry("!ValueOf", "Fn::ValueOf"),
      Map.entry("!ValueOfAll", "Fn::ValueOfAll"),
      Map.entry("!Equals", "Fn::Equals"),
      Map.entry("!And", "Fn::And"),
      Map.entry("!Or", "Fn::Or"),
      Map.entry("!Not", "Fn::Not"),
      Map.entry("!Length", "Fn::Length"),
      Map.entry("!ToJsonString", "Fn::ToJsonString"),
      Map.entry("!Transform", "Fn::Transform"),
      Map.entry("!ForEach", "Fn::ForEach"),
      Map.entry("!Lookup", "Fn::Lookup"));

  private static final String STD = "tag:yaml.org,2002:";
  private static final Pattern BOOL_TRUE = Pattern.compile("true|True|TRUE");
  private static final Pattern BOOL_FALSE = Pattern.compile("false|False|FALSE");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
  private static final Pattern HEX = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");
  private static final Pattern OCT = Pattern.compile("[-+]?0[0-7_]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+");

  private YamlReader() {}

  static void read(String text, TemplateLimits limits, TreeBuilder builder, List<TemplateError> errors) {
    if (!linesWithinLimit(text, limits.stringLength(), errors)) {
      return;
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(10);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(limits.nestingDepth());
    options.setCodePointLimit(Math.max(limits.bodyBytes(), 1024) + 16);
    ParserImpl parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
    int documents = 0;
    try {
      while (true) {
        Event event = parser.getEvent();
        if (event == null) {
          break;
        }
        long pos = pack(event.getStartMark());
        switch (event.getEventId()) {
          case StreamStart, StreamEnd, DocumentEnd, Comment -> { }
          case DocumentStart -> {
            documents++;
            if (documents > 1) {
              errors.add(new TemplateError("", line(event), column(event),
                  "A template must be a single YAML document; found a second document here"));
              return;
            }
          }
          case Alias -> {
            errors.add(new TemplateError(builder.currentPath(), line(event), column(event),
                "YAML aliases (*" + ((AliasEvent) event).getAnchor()
                    + ") are not supported, as in CloudFormation; write the value out"));
            return;
          }
          case MappingStart -> {
            String fn = function((CollectionStartEvent) event, builder, errors, "mapping");
            builder.startObject(pos, fn);
          }
          case SequenceStart -> {
            String fn = function((CollectionStartEvent) event, builder, errors, "sequence");
            builder.startArray(pos, fn);
          }
          case MappingEnd, SequenceEnd -> builder.end();
          case Scalar -> scalar((ScalarEvent) event, pos, limits, builder, errors);
          default -> { }
        }
      }
      if (documents == 0 || builder.root() == null) {
        errors.add(new TemplateError("", 0, 0, "The template is empty"));
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      errors.add(new TemplateError(builder.currentPath(), mark == null ? 0 : mark.getLine() + 1,
          mark == null ? 0 : mark.getColumn() + 1, "Malformed YAML: " + describe(e)));
    } catch (YAMLException e) {
      errors.add(new TemplateError(builder.currentPath(), 0, 0, "Malformed YAML: " + JsonReader.firstLine(e.getMessage())));
    }
  }

  /**
   * SnakeYAML scans a very long plain scalar slowly, so a line longer than the string limit (which
   * could only hold an over-long string) is rejected before parsing.
   */
  private static boolean linesWithinLimit(String text, int limit, List<TemplateError> errors) {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - start > limit) {
          errors.add(new TemplateError("", line, 1, "Line " + line + " is " + (i - start)
              + " characters long; a string may be at most " + limit + " characters"));
          return false;
        }
        line++;
        start = i + 1;
      }
    }
    return true;
  }

  private static String describe(MarkedYAMLException e) {
    String problem = e.getProblem();
    String context = e.getContext();
    if (problem == null) {
      return context == null ? "syntax error" : context;
    }
    return context == null ? problem : context + ": " + problem;
  }

  private static void scalar(ScalarEvent event, long pos, TemplateLimits limits, TreeBuilder builder,
      List<TemplateError> errors) {
    String value = event.getValue();
    if (value.length() > limits.stringLength()) {
      errors.add(new TemplateError(builder.currentPath(), line(event), column(event),
          "A string of " + value.length() + " characters is longer than the limit of " + limits.stringLength()));
      throw new TreeBuilder.Abort();
    }
    String tag = event.getTag();
    if (builder.inObject() && isKeyPosition(builder)) {
      if (tag != null && !tag.equals(STD + "str") && !tag.equals("!")) {
        errors.add(new TemplateError(builder.currentPath(), line(event), column(event),
            "A key cannot carry the tag " + tag + "; keys are plain strings"));
      }
      if ("<<".equals(value) && event.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
        errors.add(new TemplateError(builder.currentPath(), line(event), column(event),
            "YAML merge keys (<<) are not supported, as in CloudFormation"));
      }
      builder.key(value, pos);
      return;
    }
    boolean plain = event.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
    if (tag == null || tag.equals("!")) {
      builder.value(plain && tag == null ? resolvePlain(value) : NODES.textNode(value), pos, null);
      return;
    }
    String fn = SHORT_FORMS.get(tag);
    if (fn != null) {
      JsonNode argument = NODES.textNode(value);
      if (fn.equals("Fn::GetAtt")) {
        int dot = value.indexOf('.');
        if (dot > 0 && dot < value.length() - 1) {
          argument = NODES.arrayNode().add(value.substring(0, dot)).add(value.substring(dot + 1));
        }
      }
      builder.value(argument, pos, fn);
      return;
    }
    JsonNode typed = switch (tag) {
      case STD + "str" -> NODES.textNode(value);
      case STD + "int", STD + "float" -> {
        JsonNode n = resolvePlain(value);
        yield n.isNumber() ? n : null;
      }
      case STD + "bool" -> {
        JsonNode n = resolvePlain(value);
        yield n.isBoolean() ? n : null;
      }
      case STD + "null" -> NODES.nullNode();
      default -> null;
    };
    if (typed == null) {
      errors.add(new TemplateError(builder.currentPath(), line(event), column(event), unsupportedTag(tag)));
      typed = NODES.textNode(value);
    }
    builder.value(typed, pos, null);
  }

  private static boolean isKeyPosition(TreeBuilder builder) {
    return builder.awaitingKey();
  }

  private static String function(CollectionStartEvent event, TreeBuilder builder, List<TemplateError> errors,
      String kind) {
    String tag = event.getTag();
    if (builder.inObject() && builder.awaitingKey()) {
      errors.add(new TemplateError(builder.currentPath(), line(event), column(event),
          "A key must be a string, not a " + kind));
      throw new TreeBuilder.Abort();
    }
    if (tag == null || tag.equals("!") || tag.equals(STD + "map") || tag.equals(STD + "seq")) {
      return null;
    }
    String fn = SHORT_FORMS.get(tag);
    if (fn == null) {
      errors.add(new TemplateError(builder.currentPath(), line(event), column(event), unsupportedTag(tag)));
    }
    return fn;
  }

  private static String unsupportedTag(String tag) {
    String shown = tag.startsWith(STD) ? "!!" + tag.substring(STD.length()) : tag;
    return "Unsupported YAML tag " + shown + "; the CloudFormation short forms are !Ref, !Sub, !GetAtt, !If, "
        + "!Join, !Select, !Split, !FindInMap, !Base64, !GetAZs, !Cidr, !ImportValue, !Equals, !And, !Or, "
        + "!Not, !Condition, !Length, !ToJsonString, !GetStackOutput and the rule functions (!Contains, "
        + "!EachMemberEquals, !EachMemberIn, !RefAll, !ValueOf, !ValueOfAll)";
  }

  /** Resolves an untagged plain scalar (YAML 1.2 core schema; 0o/0 octal and 0x hex integers accepted). */
  static JsonNode resolvePlain(String value) {
    if (NULL.matcher(value).matches()) {
      return NODES.nullNode();
    }
    char c = value.charAt(0);
    if (((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') && value.length() <= 1000) {
      try {
        if (INT.matcher(value).matches()) {
          BigInteger big = new BigInteger(value.replace("_", ""));
          return big.bitLength() < 32 ? NODES.numberNode(big.intValue())
              : big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
        }
        if (HEX.matcher(value).matches()) {
          boolean negative = c == '-';
          String digits = value.substring(value.indexOf('x') + 1).replace("_", "");
          BigInteger big = new BigInteger(digits, 16);
          return NODES.numberNode(negative ? big.negate() : big);
        }
        if (OCT.matcher(value).matches()) {
          return NODES.numberNode(new BigInteger(value.replace("_", ""), 8));
        }
        if (FLOAT.matcher(value).matches() && !value.equals(".")) {
          String v = value.replace("_", "");
          if (v.startsWith(".") || v.startsWith("-.") || v.startsWith("+.")) {
            v = v.replaceFirst("\\.", "0.");
          }
          if (v.endsWith(".")) {
            v = v + "0";
          }
          return NODES.numberNode(new BigDecimal(v));
        }
      } catch (NumberFormatException | ArithmeticException e) {
        return NODES.textNode(value);
      }
    }
    if (BOOL_TRUE.matcher(value).matches()) {
      return NODES.booleanNode(true);
    }
    if (BOOL_FALSE.matcher(value).matches()) {
      return NODES.booleanNode(false);
    }
    return NODES.textNode(value);
  }

  private static long pack(Mark mark) {
    return mark == null ? 0L : SourceMap.pack(mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static int line(Event e) {
    return e.getStartMark() == null ? 0 : e.getStartMark().getLine() + 1;
  }

  private static int column(Event e) {
    return e.getStartMark() == null ? 0 : e.getStartMark().getColumn() + 1;
  }
}
