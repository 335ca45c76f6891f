package org.stacktician.template.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.template.Plan;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;

/** Conditions: every condition function, references between conditions, and conditional resources and outputs. */
class ConditionsTest {

  static final String TEMPLATE = """
      Parameters:
        Env: {Type: String, Default: dev}
        Region: {Type: String, Default: us-east-1}
        Count: {Type: Number, Default: "1"}
      Mappings:
        M:
          dev: {Flag: "true"}
          production: {Flag: "false"}
      Conditions:
        IsProd: !Equals [!Ref Env, production]
        IsEast: !Equals [us-east-1, !Ref Region]
        NumberEquals: !Equals [!Ref Count, 1]
        FromMap: !Equals [!FindInMap [M, !Ref Env, Flag], "true"]
        ProdAndEast: !And [!Condition IsProd, !Condition IsEast]
        ProdOrEast: !Or [!Condition IsProd, !Condition IsEast, !Equals [a, b]]
        NotProd: !Not [!Condition IsProd]
        Nested: !And [!Or [!Condition IsProd, !Condition NotProd], !Not [!Equals [!Ref Env, x]]]
        SelectSplit: !Equals [!Select [1, !Split [",", "a,dev"]], !Ref Env]
      Resources:
        Always:
          Type: CloudStack::Network
        ProdOnly:
          Type: CloudStack::Volume
          Condition: IsProd
        UsesConditional:
          Type: CloudStack::VirtualMachine
          Properties:
            volume: !If [IsProd, !Ref ProdOnly, !Ref AWS::NoValue]
            size: !If [NotProd, small, large]
      Outputs:
        ProdVolume:
          Condition: IsProd
          Value: !Ref ProdOnly
        Network:
          Value: !Ref Always
      """;

  private static Plan plan(Map<String, String> params) {
    return TemplateFixtures.plan(TemplateFixtures.load(TEMPLATE), params);
  }

  @Test
  void everyConditionFunctionEvaluates() {
    Map<String, Boolean> c = plan(Map.of()).conditions();
    assertThat(c).containsExactly(
        Map.entry("IsProd", false), Map.entry("IsEast", true), Map.entry("NumberEquals", true),
        Map.entry("FromMap", true), Map.entry("ProdAndEast", false), Map.entry("ProdOrEast", true),
        Map.entry("NotProd", true), Map.entry("Nested", true), Map.entry("SelectSplit", true));
    Map<String, Boolean> prod = plan(Map.of("Env", "production", "Region", "eu")).conditions();
    assertThat(prod.get("IsProd")).isTrue();
    assertThat(prod.get("ProdAndEast")).isFalse();
    assertThat(prod.get("ProdOrEast")).isTrue();
    assertThat(prod.get("NotProd")).isFalse();
  }

  @Test
  void falseConditionExcludesResourcesOutputsAndDependencies() {
    Plan dev = plan(Map.of());
    assertThat(dev.resources().get("ProdOnly").included()).isFalse();
    assertThat(dev.resources().get("UsesConditional").dependsOn()).isEmpty();
    assertThat(dev.resources().get("UsesConditional").properties().toString()).isEqualTo("{\"size\":\"small\"}");
    assertThat(dev.outputs()).containsOnlyKeys("Network");
    assertThat(dev.waves()).containsExactly(List.of("Always", "UsesConditional"));

    Plan prod = plan(Map.of("Env", "production"));
    assertThat(prod.resources().get("ProdOnly").included()).isTrue();
    assertThat(prod.resources().get("UsesConditional").dependsOn()).containsExactly("ProdOnly");
    assertThat(prod.outputs()).containsOnlyKeys("ProdVolume", "Network");
    assertThat(prod.waves()).containsExactly(List.of("Always", "ProdOnly"), List.of("UsesConditional"));
  }

  @Test
  void referenceFromAnIncludedResourceToAnExcludedOneFails() {
    Template t = TemplateFixtures.load("""
        Parameters:
          On: {Type: String, Default: "no"}
        Conditions:
          Enabled: !Equals [!Ref On, "yes"]
        Resources:
          MyTopic:
            Type: CloudStack::Network
            Condition: Enabled
          User:
            Type: CloudStack::VirtualMachine
            Properties:
              network: !Ref MyTopic
        Outputs:
          Out:
            Value: !GetAtt MyTopic.id
        """);
    List<TemplateError> errors = TemplateFixtures.planErrors(t, Map.of());
    assertThat(errors).extracting(TemplateError::message).containsExactly(
        "Template format error: Unresolved resource dependencies [MyTopic] in the Resources block of the template",
        "Unresolved resource dependencies [MyTopic] in the Outputs block of the template");
    assertThat(errors.get(0).path()).isEqualTo("Resources/User/Properties/network/Ref");
    assertThat(errors.get(0).line()).isEqualTo(12);
    assertThat(TemplateFixtures.plan(t, Map.of("On", "yes")).resources().get("User").dependsOn())
        .containsExactly("MyTopic");
  }

  @Test
  void dependsOnAnExcludedResourceFails() {
    Template t = TemplateFixtures.load("""
        Conditions:
          Never: !Equals [a, b]
        Resources:
          Off: {Type: CloudStack::Network, Condition: Never}
          On: {Type: CloudStack::Network, DependsOn: Off}
        """);
    assertThat(TemplateFixtures.planErrors(t, Map.of()).get(0).message())
        .contains("Unresolved resource dependencies [Off]", "condition Never is false");
  }

  @Test
  void circularConditionsAreNamed() {
    List<TemplateError> errors = TemplateFixtures.errors("""
        Conditions:
          A: !And [!Condition B, !Equals [x, x]]
          B: !Not [!Condition C]
          C: !Or [!Condition A, !Equals [y, y]]
        Resources:
          R: {Type: CloudStack::Network}
        """);
    assertThat(errors).extracting(TemplateError::message)
        .containsExactly("Template error: circular condition dependency: A -> B -> C -> A");
    assertThat(errors.get(0).path()).isEqualTo("Conditions/A");
    assertThat(errors.get(0).line()).isEqualTo(2);
  }

  @Test
  void conditionErrorsUseCloudFormationMessages() {
    List<String> messages = TemplateFixtures.errors("""
        Conditions:
          OneArg: !Equals [a]
          TooFew: !And [!Equals [a, a]]
          TooMany: !Or [!Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a]]
          NotTwo: !Not [!Equals [a, a], !Equals [a, a]]
          Missing: !Condition Nowhere
          ResourceRef: !Equals [!Ref R, x]
          NotAFunction: just-a-string
        Resources:
          R: {Type: CloudStack::Network}
          S: {Type: CloudStack::Network, Condition: Undefined}
          T:
            Type: CloudStack::Network
            Properties:
              x: !If [MissingCondition, a, b]
        """).stream().map(TemplateError::message).toList();
    assertThat(messages).containsExactly(
        "Template format error: Unresolved condition dependency Undefined in Resources/S; it is not defined in the "
            + "Conditions section",
        "Template error: every Fn::Equals object requires a list of 2 string parameters.",
        "Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters.",
        "Template error: every Fn::Or object requires a list of at least 2 and at most 10 boolean parameters.",
        "Template error: every Fn::Not object requires a list of 1 boolean parameter.",
        "Template error: unresolved condition dependency Nowhere in Condition",
        "Template error: Conditions can only refer to parameters, pseudo parameters and mappings; 'R' is a resource",
        "Template error: a condition must be one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition",
        "Template error: unresolved condition dependency MissingCondition in Fn::If");
  }

  @Test
  void exportNamesMustBeUnique() {
    Template t = TemplateFixtures.load("""
        Resources:
          R: {Type: A::B}
        Outputs:
          One: {Value: a, Export: {Name: !Sub "${AWS::StackName}-x"}}
          Two: {Value: b, Export: {Name: test-x}}
        """);
    assertThat(TemplateFixtures.planErrors(t, Map.of())).extracting(TemplateError::message).containsExactly(
        "Template error: export name test-x is used by outputs One and Two; export names must be unique");
  }

  @Test
  void conditionNamedLikeAPseudoParameterIsAccepted() {
    Template t = TemplateFixtures.load("""
        Conditions:
          AWS::NoValue: !Equals [a, a]
        Resources:
          R: {Type: CloudStack::Network, Condition: AWS::NoValue}
        """);
    assertThat(TemplateFixtures.plan(t, Map.of()).resources().get("R").included()).isTrue();
  }

  @Test
  void equalsComparesAsStrings() {
    assertThat(ConditionFunctions.sameValue(IntrinsicFunctionsTest.json("1"), IntrinsicFunctionsTest.json("\"1\""))).isTrue();
    assertThat(ConditionFunctions.sameValue(IntrinsicFunctionsTest.json("true"), IntrinsicFunctionsTest.json("\"true\"")))
        .isTrue();
    assertThat(ConditionFunctions.sameValue(IntrinsicFunctionsTest.json("[\"a\",1]"), IntrinsicFunctionsTest.json("[\"a\",\"1\"]")))
        .isTrue();
    assertThat(ConditionFunctions.sameValue(IntrinsicFunctionsTest.json("\"a\""), IntrinsicFunctionsTest.json("\"A\"")))
        .isFalse();
  }
}
