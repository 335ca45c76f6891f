package org.stacktician.template.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.template.ParameterDefinition;
import org.stacktician.template.ParameterType;
import org.stacktician.template.Plan;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;

/** Parameter types, every constraint with CloudFormation's messages, defaults, missing and unknown names. */
class ParametersTest {

  private static List<String> planErrors(String parameters, Map<String, String> values) {
    Template t = TemplateFixtures.load("Parameters:\n" + parameters + "\nResources:\n  R: {Type: A::B}\n");
    return TemplateFixtures.planErrors(t, values).stream().map(TemplateError::message).toList();
  }

  private static Plan plan(String parameters, Map<String, String> values) {
    Template t = TemplateFixtures.load("Parameters:\n" + parameters + "\nResources:\n  R: {Type: A::B}\n");
    return TemplateFixtures.plan(t, values);
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void typesParse() {
    assertThat(ParameterTypes.parse("String")).isEqualTo(
        new ParameterType("String", ParameterType.Base.STRING, false, java.util.Optional.empty()));
    assertThat(ParameterTypes.parse("Number").base()).isEqualTo(ParameterType.Base.NUMBER);
    assertThat(ParameterTypes.parse("List<Number>").isList()).isTrue();
    assertThat(ParameterTypes.parse("CommaDelimitedList").isList()).isTrue();
    assertThat(ParameterTypes.parse("List<String>").isList()).isTrue();
    assertThat(ParameterTypes.parse("AWS::EC2::KeyPair::KeyName").cloudStack()).isEmpty();
    assertThat(ParameterTypes.parse("List<AWS::EC2::Subnet::Id>").isList()).isTrue();
    ParameterType zone = ParameterTypes.parse("CloudStack::Zone::Name");
    assertThat(zone.cloudStack()).contains(new ParameterType.CloudStackReference("Zone", ParameterType.IdOrName.NAME));
    ParameterType offerings = ParameterTypes.parse("List<CloudStack::ServiceOffering::Id>");
    assertThat(offerings.isList()).isTrue();
    assertThat(offerings.cloudStack()).contains(
        new ParameterType.CloudStackReference("ServiceOffering", ParameterType.IdOrName.ID));
    for (String t : List.of("CloudStack::Template::Id", "CloudStack::Template::Name", "CloudStack::Network::Id",
        "CloudStack::Network::Name", "CloudStack::ServiceOffering::Name", "CloudStack::Zone::Id")) {
      assertThat(ParameterTypes.parse(t).cloudStack()).as(t).isPresent();
    }
    assertThatThrownBy(() -> ParameterTypes.parse("Strin")).hasMessage(
        "Template format error: Unrecognized parameter type: Strin");
    assertThatThrownBy(() -> ParameterTypes.parse("AWS::SSM::Parameter::Value<String>"))
        .hasMessageContaining("not supported on CloudStack");
    assertThatThrownBy(() -> ParameterTypes.parse("CloudStack::Zone::Uuid")).hasMessageContaining("Unrecognized");
  }

  @Test
  void valuesAndDefaultsBecomeStringsOrLists() {
    Plan p = plan("""
          S: {Type: String, Default: hello}
          N: {Type: Number, Default: 42}
          L: {Type: CommaDelimitedList, Default: " a , b,,c "}
          LN: {Type: List<Number>, Default: [1, 2.5]}
          Z: {Type: CloudStack::Zone::Name}
          E: {Type: String, Default: ""}
        """, Map.of("Z", "zone-1"));
    assertThat(p.parameters().get("S").value().asText()).isEqualTo("hello");
    assertThat(p.parameters().get("N").value().asText()).isEqualTo("42");
    assertThat(p.parameters().get("L").value().toString()).isEqualTo("[\"a\",\"b\",\"\",\"c\"]");
    assertThat(p.parameters().get("LN").value().toString()).isEqualTo("[\"1\",\"2.5\"]");
    assertThat(p.parameters().get("Z").value().asText()).isEqualTo("zone-1");
    assertThat(p.parameters().get("E").value().asText()).isEmpty();
    assertThat(plan("  L: {Type: CommaDelimitedList, Default: \"\"}", Map.of()).parameters().get("L").value().size())
        .isZero();
  }

  @Test
  void missingAndUnknownParametersAreReportedTogether() {
    assertThat(planErrors("""
          A: {Type: String}
          B: {Type: Number}
          C: {Type: String, Default: x}
        """, ordered("Nope", "1", "Other", "2"))).containsExactly(
        "Parameters: [Nope, Other] do not exist in the template",
        "Parameters: [A, B] must have values");
  }

  @Test
  void numberRules() {
    String p = "  N: {Type: Number, MinValue: 1, MaxValue: 10.5}";
    assertThat(planErrors(p, Map.of("N", "not-a-number"))).containsExactly("Parameter 'N' must be a number.");
    assertThat(planErrors(p, Map.of("N", "0"))).containsExactly("Parameter 'N' must be a number not less than 1");
    assertThat(planErrors(p, Map.of("N", "11"))).containsExactly("Parameter 'N' must be a number not greater than 10.5");
    assertThat(plan(p, Map.of("N", "10.5")).parameters().get("N").value().asText()).isEqualTo("10.5");
    assertThat(plan(p, Map.of("N", "1e0")).parameters()).containsKey("N");
    assertThat(planErrors("  L: {Type: List<Number>}", Map.of("L", "1,x"))).containsExactly(
        "Parameter 'L' must be a list of numbers.");
    assertThat(planErrors("  L: {Type: List<Number>, MaxValue: 5}", Map.of("L", "1,9"))).containsExactly(
        "Parameter 'L' must be a number not greater than 5");
  }

  @Test
  void stringRules() {
    String p = "  S: {Type: String, MinLength: 2, MaxLength: 4, AllowedPattern: '[a-z]+'}";
    assertThat(planErrors(p, Map.of("S", "a"))).containsExactly("Parameter 'S' must contain at least 2 characters");
    assertThat(planErrors(p, Map.of("S", "abcde"))).containsExactly("Parameter 'S' must contain at most 4 characters");
    assertThat(planErrors(p, Map.of("S", "ab1"))).containsExactly("Parameter 'S' must match pattern [a-z]+");
    // the whole value must match, not a part of it
    assertThat(planErrors("  S: {Type: String, AllowedPattern: '[a-z]'}", Map.of("S", "abc"))).hasSize(1);
    assertThat(plan(p, Map.of("S", "abcd")).parameters()).containsKey("S");
    assertThat(planErrors("  S: {Type: String, AllowedValues: [a, b]}", Map.of("S", "c"))).containsExactly(
        "Parameter 'S' must be one of AllowedValues");
    assertThat(planErrors("  S: {Type: String, AllowedValues: [1, 2]}", Map.of("S", "3"))).hasSize(1);
    assertThat(plan("  S: {Type: Number, AllowedValues: [1, 2]}", Map.of("S", "2")).parameters()).containsKey("S");
  }

  @Test
  void constraintDescriptionReplacesTheGenericMessage() {
    String p = "  S: {Type: String, AllowedPattern: '[a-z]+', MaxLength: 3, ConstraintDescription: lower-case letters}";
    assertThat(planErrors(p, Map.of("S", "ABCDE"))).containsExactly(
        "Parameter 'S' failed to satisfy constraint: lower-case letters");
  }

  @Test
  void listMembersAreCheckedOneByOne() {
    String p = "  L: {Type: CommaDelimitedList, AllowedValues: [a, b]}";
    assertThat(plan(p, Map.of("L", "a, b")).parameters()).containsKey("L");
    assertThat(planErrors(p, Map.of("L", "a,c"))).containsExactly("Parameter 'L' must be one of AllowedValues");
  }

  @Test
  void defaultsMustSatisfyTheConstraintsToo() {
    assertThat(planErrors("  S: {Type: String, Default: zz, AllowedValues: [a]}", Map.of())).containsExactly(
        "Parameter 'S' must be one of AllowedValues");
  }

  @Test
  void messagesNeverContainTheValue() {
    List<String> errors = planErrors("  Pw: {Type: String, NoEcho: true, MinLength: 30, AllowedPattern: '[0-9]+'}",
        Map.of("Pw", "hunter2secret"));
    assertThat(errors).hasSize(2).noneMatch(m -> m.contains("hunter2secret"));
    assertThat(plan("  Pw: {Type: String, NoEcho: 'true'}", Map.of("Pw", "x")).parameters().get("Pw").noEcho()).isTrue();
  }

  @Test
  void valuesOverTheSizeLimitAreRejected() {
    assertThat(planErrors("  S: {Type: String}", Map.of("S", "x".repeat(5000)))).containsExactly(
        "Parameter 'S' is longer than the limit of 4096 bytes");
  }

  @Test
  void definitionErrorsAreAllReported() {
    List<TemplateError> errors = TemplateFixtures.errors("""
        Parameters:
          NoType: {Default: x}
          BadType: {Type: Strng}
          BadAttr: {Type: String, Colour: red}
          BadPattern: {Type: String, AllowedPattern: '[a-'}
          BadLength: {Type: String, MinLength: -1, MaxLength: many}
          BadValue: {Type: Number, MinValue: low}
          BadAllowed: {Type: String, AllowedValues: notalist}
          BadDefault: {Type: String, Default: {a: 1}}
          BadNoEcho: {Type: String, NoEcho: maybe}
          WrongKind: {Type: String, MinValue: 1}
          not-alnum: {Type: String}
          Dup: {Type: String}
        Resources:
          Dup: {Type: A::B}
        """);
    assertThat(errors).extracting(TemplateError::message).containsExactly(
        "Template format error: Every Parameters object must contain a Type member.",
        "Template format error: Unrecognized parameter type: Strng",
        "Invalid template parameter property 'Colour'",
        "AllowedPattern of parameter BadPattern is not a valid regular expression: Illegal character range",
        "MinLength must be a whole number of zero or more",
        "MaxLength must be a whole number of zero or more",
        "MinValue must be a number",
        "AllowedValues of parameter BadAllowed must be a list",
        "Template format error: Every Default member must be a string.",
        "NoEcho of parameter BadNoEcho must be true or false",
        "MinValue and MaxValue apply to Number parameters; WrongKind is a String",
        "Template format error: Parameter name not-alnum is non alphanumeric.",
        "Template format error: Dup is both a parameter and a resource; logical names must be unique");
    assertThat(errors.get(0).path()).isEqualTo("Parameters/NoType");
    assertThat(errors.get(0).line()).isEqualTo(2);
    assertThat(errors.get(1).path()).isEqualTo("Parameters/BadType/Type");
  }

  @Test
  void definitionKeepsEveryAttribute() {
    Template t = TemplateFixtures.load("""
        Parameters:
          P:
            Type: String
            Default: abc
            NoEcho: true
            Description: a parameter
            AllowedValues: [abc, def]
            AllowedPattern: '[a-z]+'
            MinLength: 1
            MaxLength: 5
            ConstraintDescription: letters
        Resources:
          R: {Type: A::B}
        """);
    ParameterDefinition p = t.parameters().get("P");
    assertThat(p.defaultValue().asText()).isEqualTo("abc");
    assertThat(p.noEcho()).isTrue();
    assertThat(p.description()).isEqualTo("a parameter");
    assertThat(p.allowedValues()).containsExactly("abc", "def");
    assertThat(p.allowedPattern()).isEqualTo("[a-z]+");
    assertThat(p.minLength()).isEqualTo(1);
    assertThat(p.maxLength()).isEqualTo(5);
    assertThat(p.constraintDescription()).isEqualTo("letters");
  }
}
