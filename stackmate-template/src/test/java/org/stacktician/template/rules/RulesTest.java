package org.stacktician.template.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;

/** The Rules section, with the examples of CloudFormation's "Rules" documentation rewritten for CloudStack. */
class RulesTest {
  /** The documentation's "Conditionally verify a parameter value", with service offerings. */
  static final String OFFERINGS = """
      Parameters:
        Environment:
          Type: String
          AllowedValues: [test, prod]
        Offering:
          Type: CloudStack::ServiceOffering::Name
        Zones:
          Type: List<CloudStack::Zone::Name>
          Default: zone-a,zone-b
      Rules:
        testOffering:
          RuleCondition: !Equals [!Ref Environment, test]
          Assertions:
            - Assert: !Contains [[Small Instance], !Ref Offering]
              AssertDescription: For a test environment, the offering must be Small Instance
        prodOffering:
          RuleCondition: !Equals [!Ref Environment, prod]
          Assertions:
            - Assert: !Not [!Contains [[Small Instance, Tiny], !Ref Offering]]
              AssertDescription: For a production environment, the offering must not be Small Instance or Tiny
        knownZones:
          Assertions:
            - Assert: !EachMemberIn [!Ref Zones, [zone-a, zone-b, zone-c]]
              AssertDescription: Zones must be among zone-a, zone-b and zone-c
            - Assert: !Or [!EachMemberEquals [!Ref Zones, zone-a], !Not [!Equals [!Ref Environment, test]]]
        cloudFacts:
          Assertions:
            - Assert: !EachMemberIn [!ValueOfAll [CloudStack::Zone::Name, NetworkType], [Advanced]]
              AssertDescription: decided only with the cloud
      Resources:
        Vm:
          Type: CloudStack::VirtualMachine
          Properties:
            serviceofferingid: !Ref Offering
      """;

  @Test
  void assertionsWhoseRuleConditionHoldsMustBeTrue() {
    Template t = TemplateFixtures.load(OFFERINGS);
    TemplateFixtures.plan(t, Map.of("Environment", "test", "Offering", "Small Instance", "Zones", "zone-a"));
    TemplateFixtures.plan(t, Map.of("Environment", "prod", "Offering", "Large"));
    assertThat(TemplateFixtures.planErrors(t, Map.of("Environment", "test", "Offering", "Large", "Zones", "zone-a")))
        .extracting(TemplateError::toString)
        .containsExactly("Rules/testOffering/Assertions/0 (14:9): For a test environment, the offering must be "
            + "Small Instance");
    assertThat(TemplateFixtures.planErrors(t, Map.of("Environment", "prod", "Offering", "Tiny", "Zones",
        "zone-a,zone-x"))).extracting(TemplateError::message).containsExactly(
            "For a production environment, the offering must not be Small Instance or Tiny",
            "Zones must be among zone-a, zone-b and zone-c");
  }

  @Test
  void anAssertionWithoutDescriptionNamesItsRule() {
    Template t = TemplateFixtures.load(OFFERINGS);
    assertThat(TemplateFixtures.planErrors(t, Map.of("Environment", "test", "Offering", "Small Instance")))
        .extracting(TemplateError::toString).containsExactly("Rules/knownZones/Assertions/1 (25:9): Template "
            + "error: the assertion of rule knownZones is false for these parameter values");
  }

  @Test
  void withoutACloudTheAssertionsThatAskItAreUndecidedAndListed() {
    Template t = TemplateFixtures.load(OFFERINGS);
    TemplateFixtures.plan(t, Map.of("Environment", "prod", "Offering", "Large"));
    assertThat(org.stacktician.template.rules.RuleChecker.needingTheCloud(t)).extracting(TemplateError::toString)
        .containsExactly("Rules/cloudFacts/Assertions/0 (28:9): Fn::ValueOfAll cannot be evaluated offline: needs "
            + "the cloud (the assertion is checked when the stack is created or updated, or planned with a cloud)");
  }

  @Test
  void andNeedsEveryMember() {
    Template t = TemplateFixtures.load("""
        Parameters:
          Users: {Type: CommaDelimitedList}
        Rules:
          both:
            Assertions:
              - Assert: !And [!Contains [!Ref Users, alice], !Contains [!Ref Users, bob]]
                AssertDescription: alice and bob are both needed
        Resources:
          N: {Type: CloudStack::Network}
        """);
    TemplateFixtures.plan(t, Map.of("Users", "bob,alice,carol"));
    assertThat(TemplateFixtures.planErrors(t, Map.of("Users", "alice"))).extracting(TemplateError::message)
        .containsExactly("alice and bob are both needed");
  }

  @Test
  void rulesAreCheckedForShapeWhenTheTemplateIsLoaded() {
    assertThat(TemplateFixtures.errors(OFFERINGS.replace("!Ref Offering]\n", "!Ref Vm]\n")))
        .extracting(TemplateError::message).containsExactly("Template format error: Unresolved dependencies [Vm]. "
            + "Rules can refer only to parameters and pseudo parameters");
    assertThat(TemplateFixtures.errors(OFFERINGS.replace("!Contains [[Small Instance], !Ref Offering]",
        "!If [IsTest, a, b]"))).extracting(TemplateError::message).singleElement().asString()
        .startsWith("Template format error: Fn::If cannot be used in Rules; rule functions are [Fn::And, ");
    assertThat(TemplateFixtures.errors(OFFERINGS.replace("!EachMemberIn [!Ref Zones, [zone-a, zone-b, zone-c]]",
        "!EachMemberIn [!Ref Zones]"))).extracting(TemplateError::message)
        .containsExactly("Template format error: Fn::EachMemberIn requires a list of 2 arguments");
    assertThat(TemplateFixtures.errors(OFFERINGS.replace("CloudStack::Zone::Name, NetworkType",
        "CloudStack::Zone::Nmae, NetworkType"))).extracting(TemplateError::message)
        .containsExactly("Template format error: Unrecognized parameter type: CloudStack::Zone::Nmae (in Fn::ValueOfAll)");
    assertThat(TemplateFixtures.errors(OFFERINGS.replace("!ValueOfAll [CloudStack::Zone::Name, NetworkType]",
        "!RefAll [CloudStack::Zone::Name]"))).extracting(TemplateError::message)
        .containsExactly("Template format error: Fn::RefAll requires a parameter type such as CloudStack::Zone::Name");
    assertThat(TemplateFixtures.errors("""
        Rules:
          Empty: {}
        Resources:
          N: {Type: CloudStack::Network}
        """)).extracting(TemplateError::message).containsExactly("Template format error: rule Empty must have "
            + "Assertions, a list of {Assert, AssertDescription}");
  }
}
