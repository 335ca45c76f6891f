package org.stacktician.template.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.stacktician.template.SourceMap;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;

/** JSON and YAML parsing: short forms, scalars, positions, duplicate keys and malformed input. */
class TemplateParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ParsedDocument parse(String text) {
    return TemplateParser.parse(text, TemplateLimits.defaults());
  }

  private static JsonNode tree(String text) {
    ParsedDocument d = parse(text);
    assertThat(d.errors()).isEmpty();
    return d.root();
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "!Ref Name                       | {\"Ref\":\"Name\"}",
      "!Condition IsProd               | {\"Condition\":\"IsProd\"}",
      "!Sub 'a-${X}'                   | {\"Fn::Sub\":\"a-${X}\"}",
      "!Sub ['${A}', {A: b}]           | {\"Fn::Sub\":[\"${A}\",{\"A\":\"b\"}]}",
      "!GetAtt Vm.ipaddress            | {\"Fn::GetAtt\":[\"Vm\",\"ipaddress\"]}",
      "!GetAtt Db.Endpoint.Address     | {\"Fn::GetAtt\":[\"Db\",\"Endpoint.Address\"]}",
      "!GetAtt [Vm, ip]                | {\"Fn::GetAtt\":[\"Vm\",\"ip\"]}",
      "!If [C, a, b]                   | {\"Fn::If\":[\"C\",\"a\",\"b\"]}",
      "!Join [',', [a, b]]             | {\"Fn::Join\":[\",\",[\"a\",\"b\"]]}",
      "!Select [0, !GetAZs '']         | {\"Fn::Select\":[0,{\"Fn::GetAZs\":\"\"}]}",
      "!Split [',', 'a,b']             | {\"Fn::Split\":[\",\",\"a,b\"]}",
      "!FindInMap [M, k, v]            | {\"Fn::FindInMap\":[\"M\",\"k\",\"v\"]}",
      "!Base64 text                    | {\"Fn::Base64\":\"text\"}",
      "!GetAZs ''                      | {\"Fn::GetAZs\":\"\"}",
      "!Cidr [10.0.0.0/16, 4, 8]       | {\"Fn::Cidr\":[\"10.0.0.0/16\",4,8]}",
      "!ImportValue shared             | {\"Fn::ImportValue\":\"shared\"}",
      "!Equals [a, b]                  | {\"Fn::Equals\":[\"a\",\"b\"]}",
      "!And [!Condition A, !Condition B] | {\"Fn::And\":[{\"Condition\":\"A\"},{\"Condition\":\"B\"}]}",
      "!Or [!Condition A, !Condition B]  | {\"Fn::Or\":[{\"Condition\":\"A\"},{\"Condition\":\"B\"}]}",
      "!Not [!Condition A]             | {\"Fn::Not\":[{\"Condition\":\"A\"}]}",
      "!Length [1, 2]                  | {\"Fn::Length\":[1,2]}",
      "!ToJsonString {a: 1}            | {\"Fn::ToJsonString\":{\"a\":1}}",
      "!Ref 123                        | {\"Ref\":\"123\"}",
  })
  void yamlShortFormsBecomeLongForms(String yaml, String expected) throws Exception {
    assertThat(tree("v: " + yaml).get("v")).isEqualTo(json(expected));
  }

  @Test
  void yamlScalarsResolveLikeCloudFormationExpects() throws Exception {
    JsonNode t = tree("""
        version: 2010-09-09
        int: 42
        neg: -7
        float: 1.5
        hex: 0x1F
        bool: true
        upper: TRUE
        yes: yes
        off: Off
        quoted: "42"
        single: 'true'
        nothing: ~
        empty:
        tagged: !!str 12
        big: 123456789012345678901234567890
        block: |
          line one
          line two
        """);
    assertThat(t.get("version").isTextual()).isTrue();
    assertThat(t.get("version").asText()).isEqualTo("2010-09-09");
    assertThat(t.get("int").intValue()).isEqualTo(42);
    assertThat(t.get("neg").intValue()).isEqualTo(-7);
    assertThat(t.get("float").decimalValue()).isEqualByComparingTo("1.5");
    assertThat(t.get("hex").intValue()).isEqualTo(31);
    assertThat(t.get("bool").booleanValue()).isTrue();
    assertThat(t.get("upper").booleanValue()).isTrue();
    assertThat(t.get("yes").asText()).isEqualTo("yes");
    assertThat(t.get("off").isTextual()).isTrue();
    assertThat(t.get("quoted").isTextual()).isTrue();
    assertThat(t.get("single").isTextual()).isTrue();
    assertThat(t.get("nothing").isNull()).isTrue();
    assertThat(t.get("empty").isNull()).isTrue();
    assertThat(t.get("tagged")).isEqualTo(json("\"12\""));
    assertThat(t.get("big").isBigInteger()).isTrue();
    assertThat(t.get("block").asText()).isEqualTo("line one\nline two\n");
  }

  @Test
  void jsonKeepsNumbersExactly() throws Exception {
    JsonNode t = tree("{\"a\": 1.10, \"b\": 9999999999, \"c\": 1e3, \"d\": [true, null]}");
    assertThat(t.get("a").decimalValue().toPlainString()).isEqualTo("1.10");
    assertThat(t.get("b").longValue()).isEqualTo(9999999999L);
    assertThat(t.get("d")).isEqualTo(json("[true,null]"));
  }

  @Test
  void positionsAreKeptForEveryNode() {
    ParsedDocument d = parse("""
        {
          "Resources": {
            "Web": {
              "Type": "CloudStack::VirtualMachine",
              "Properties": {"list": ["a", {"Ref": "X"}]}
            }
          }
        }
        """);
    SourceMap map = d.sourceMap();
    assertThat(map.position("Resources/Web/Type")).isEqualTo(new SourceMap.Position(4, 7));
    assertThat(map.position("Resources/Web/Properties/list/1/Ref").line()).isEqualTo(5);
    assertThat(map.position("Resources/Web/Properties/list/1").column()).isEqualTo(36);
    // a path that goes past what exists falls back to the deepest known node
    assertThat(map.position("Resources/Web/Nope/deeper").line()).isEqualTo(3);
  }

  @Test
  void yamlPositionsIncludeShortForms() {
    ParsedDocument d = parse("""
        Resources:
          Web:
            Type: CloudStack::VirtualMachine
            Properties:
              name: !Sub '${AWS::StackName}-web'
              ip: !GetAtt Other.ip
        """);
    assertThat(d.sourceMap().position("Resources/Web/Type")).isEqualTo(new SourceMap.Position(3, 5));
    assertThat(d.sourceMap().position("Resources/Web/Properties/name/Fn::Sub")).isEqualTo(new SourceMap.Position(5, 13));
    assertThat(d.sourceMap().position("Resources/Web/Properties/ip/Fn::GetAtt/1").line()).isEqualTo(6);
  }

  @Test
  void duplicateKeysAreErrorsWithBothPositions() {
    List<TemplateError> json = parse("{\n \"a\": 1,\n \"b\": {\"x\": 1, \"x\": 2},\n \"a\": 3\n}").errors();
    assertThat(json).extracting(TemplateError::toString).containsExactly(
        "b/x (3:16): Duplicate key 'x'; it is already defined at line 3, column 8",
        "a (4:2): Duplicate key 'a'; it is already defined at line 2, column 2");
    List<TemplateError> yaml = parse("Resources:\n  A: 1\n  B: 2\n  A: 3\n").errors();
    assertThat(yaml).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("Resources/A");
      assertThat(e.line()).isEqualTo(4);
      assertThat(e.message()).isEqualTo("Duplicate key 'A'; it is already defined at line 2, column 3");
    });
  }

  @Test
  void malformedJsonAndYamlSayWhere() {
    TemplateError json = parse("{\"a\": [1, 2,, 3]}").errors().get(0);
    assertThat(json.message()).startsWith("Malformed JSON: ");
    assertThat(json.line()).isEqualTo(1);
    assertThat(json.column()).isEqualTo(13);
    assertThat(parse("{\"a\": 1").errors().get(0).message()).startsWith("Malformed JSON");
    assertThat(parse("{\"a\": 1} {}").errors().get(0).message()).contains("after the end");
    assertThat(parse("{\"a\": 1} trailing").errors().get(0).message()).startsWith("Malformed JSON");
    TemplateError yaml = parse("a: [1, 2\nb: 3\n").errors().get(0);
    assertThat(yaml.message()).startsWith("Malformed YAML: ");
    assertThat(yaml.line()).isPositive();
    TemplateError indent = parse("a:\n  b: 1\n c: 2\n").errors().get(0);
    assertThat(indent.line()).isEqualTo(3);
  }

  @Test
  void unsupportedYamlFeaturesAreRejectedClearly() {
    assertThat(parse("a: &x {k: v}\nb: *x\n").errors().get(0).message()).contains("aliases (*x) are not supported");
    assertThat(parse("a: {k: v}\nb:\n  <<: {k: w}\n").errors().get(0).message()).contains("merge keys");
    assertThat(parse("a: !Foo x\n").errors().get(0).message()).startsWith("Unsupported YAML tag !Foo");
    assertThat(parse("a: !!binary aGVsbG8=\n").errors().get(0).message()).startsWith("Unsupported YAML tag !!binary");
    assertThat(parse("a: 1\n---\nb: 2\n").errors().get(0).message()).contains("single YAML document");
    assertThat(parse("? [a, b]\n: c\n").errors().get(0).message()).contains("key must be a string");
    assertThat(parse("   \n").errors().get(0).message()).isEqualTo("The template is empty");
  }

  @Test
  void byteOrderMarkIsSkipped() {
    byte[] bom = "\uFEFF{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
    assertThat(TemplateParser.parse(bom, TemplateLimits.defaults()).errors()).isEmpty();
    assertThat(TemplateParser.parse("\uFEFFa: 1", TemplateLimits.defaults()).errors()).isEmpty();
  }
}
