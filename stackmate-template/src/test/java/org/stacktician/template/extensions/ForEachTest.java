package org.stacktician.template.extensions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.template.Plan;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;

/**
 * Fn::ForEach under AWS::LanguageExtensions, with the examples of CloudFormation's documentation
 * ("Fn::ForEach examples") rewritten for CloudStack types.
 */
class ForEachTest {
  /** The documentation's "Replicate a resource", with a network per name. */
  static final String NETWORKS = """
      AWSTemplateFormatVersion: 2010-09-09
      Transform: AWS::LanguageExtensions
      Resources:
        Fn::ForEach::Networks:
          - Name
          - [Web, App, Db]
          - Net${Name}:
              Type: CloudStack::Network
              Properties:
                name: !Ref Name
                displaytext: !Sub "network ${Name} of ${AWS::StackName}"
                zoneid: zone-1
                networkofferingid: offering-1
      Outputs:
        Fn::ForEach::Ids:
          - Name
          - [Web, App, Db]
          - Fn::ForEach::Attributes:
              - Attribute
              - [Id, Name]
              - Net${Name}${Attribute}:
                  Value: !GetAtt [!Sub "Net${Name}", !Ref Attribute]
      """;

  @Test
  void resourcesAndNestedOutputLoopsExpandWithTheirItems() {
    Template t = TemplateFixtures.load(NETWORKS);
    assertThat(t.resources()).containsOnlyKeys("NetWeb", "NetApp", "NetDb");
    Plan plan = TemplateFixtures.plan(t, Map.of());
    assertThat(plan.resources().get("NetApp").properties().get("name").asText()).isEqualTo("App");
    assertThat(plan.resources().get("NetDb").properties().get("displaytext").asText())
        .isEqualTo("network Db of test");
    assertThat(plan.outputs()).containsOnlyKeys("NetWebId", "NetWebName", "NetAppId", "NetAppName", "NetDbId",
        "NetDbName");
    assertThat(plan.outputs().get("NetAppName").value().toString())
        .isEqualTo("{\"Fn::GetAtt\":[\"NetApp\",\"Name\"]}");
  }

  @Test
  void anErrorInAnExpandedResourcePointsAtTheFragmentsLine() {
    List<TemplateError> errors = TemplateFixtures.errors(NETWORKS.replace("zoneid: zone-1", "zoneid: !Ref Nowhere"));
    assertThat(errors).hasSize(3).allSatisfy(e -> {
      assertThat(e.line()).isEqualTo(12);
      assertThat(e.message()).contains("Nowhere");
    });
    assertThat(errors.get(0).path()).isEqualTo("Resources/NetWeb/Properties/zoneid/Ref");
  }

  @Test
  void ampersandKeysDropNonAlphanumericCharacters() {
    Template t = TemplateFixtures.load("""
        Transform: AWS::LanguageExtensions
        Resources:
          Fn::ForEach::Rules:
            - Cidr
            - ["10.0.2.0/24", "10.0.3.0/24"]
            - Allow&{Cidr}:
                Type: CloudStack::FirewallRule
                Properties:
                  ipaddressid: ip-1
                  protocol: tcp
                  cidrlist: !Ref Cidr
        """);
    Plan plan = TemplateFixtures.plan(t, Map.of());
    assertThat(plan.resources()).containsOnlyKeys("Allow1002024", "Allow1003024");
    assertThat(plan.resources().get("Allow1003024").properties().get("cidrlist").asText()).isEqualTo("10.0.3.0/24");
  }

  @Test
  void theCollectionComesFromAListParameterWithTheStacksValue() {
    Template t = TemplateFixtures.load("""
        Transform: AWS::LanguageExtensions
        Parameters:
          Tiers:
            Type: CommaDelimitedList
            Default: web,app
        Resources:
          Fn::ForEach::Vms:
            - Tier
            - !Ref Tiers
            - Vm${Tier}:
                Type: CloudStack::VirtualMachine
                Properties:
                  name: !Sub "${Tier}-vm"
                  serviceofferingid: small
                  templateid: tpl
                  zoneid: zone-1
        """);
    assertThat(t.resources()).containsOnlyKeys("Vmweb", "Vmapp");
    Plan plan = TemplateFixtures.plan(t, Map.of("Tiers", "a, b,c"));
    assertThat(plan.resources()).containsOnlyKeys("Vma", "Vmb", "Vmc");
    assertThat(plan.template().resources()).containsOnlyKeys("Vma", "Vmb", "Vmc");
    assertThat(plan.resources().get("Vmb").properties().get("name").asText()).isEqualTo("b-vm");
    assertThat(plan.waves()).containsExactly(List.of("Vma", "Vmb", "Vmc"));
  }

  @Test
  void aListParameterWithoutDefaultIsCheckedWithOneItemUntilItsValueIsGiven() {
    Template t = TemplateFixtures.load("""
        Transform: AWS::LanguageExtensions
        Parameters:
          Names:
            Type: CommaDelimitedList
        Resources:
          Fn::ForEach::Keys:
            - Key
            - !Ref Names
            - Key${Key}:
                Type: CloudStack::SSHKeyPair
                Properties:
                  name: !Ref Key
        """);
    assertThat(t.resources()).containsOnlyKeys("KeyKey");
    assertThat(TemplateFixtures.plan(t, Map.of("Names", "alice,bob")).resources()).containsOnlyKeys("Keyalice",
        "Keybob");
  }

  @Test
  void conditionsLoopsAreExpanded() {
    Template t = TemplateFixtures.load("""
        Transform: AWS::LanguageExtensions
        Parameters:
          Environment:
            Type: String
            Default: production
        Conditions:
          Fn::ForEach::CheckNetworks:
            - Name
            - [Web, Db]
            - IsProduction${Name}: !Equals [!Ref Environment, production]
        Resources:
          Net:
            Type: CloudStack::Network
            Condition: IsProductionDb
            Properties:
              name: n
        """);
    assertThat(t.conditions()).containsOnlyKeys("IsProductionWeb", "IsProductionDb");
    assertThat(TemplateFixtures.plan(t, Map.of()).resources().get("Net").included()).isTrue();
    assertThat(TemplateFixtures.plan(t, Map.of("Environment", "dev")).resources().get("Net").included()).isFalse();
  }

  @Test
  void aLoopWithoutTheTransformIsRefusedNamingIt() {
    List<TemplateError> errors = TemplateFixtures.errors(NETWORKS.replace("Transform: AWS::LanguageExtensions\n", ""));
    assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(e.message())
        .isEqualTo("Template format error: Fn::ForEach needs the AWS::LanguageExtensions transform; add "
            + "'Transform: AWS::LanguageExtensions' to the template"));
    assertThat(errors.get(0).line()).isEqualTo(3);
  }

  @Test
  void aLoopInsideResourcePropertiesProducesTheirMembers() {
    Template t = TemplateFixtures.load("""
        Transform: AWS::LanguageExtensions
        Resources:
          Vm:
            Type: CloudStack::VirtualMachine
            Properties:
              name: web
              details:
                Fn::ForEach::Details:
                  - Key
                  - [cpuNumber, memory]
                  - ${Key}: !Sub "from-${Key}"
        """);
    assertThat(TemplateFixtures.plan(t, Map.of()).resources().get("Vm").properties().get("details").toString())
        .isEqualTo("{\"cpuNumber\":\"from-cpuNumber\",\"memory\":\"from-memory\"}");
  }

  @Test
  void nestedLoopsCannotExplode() {
    String items = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "a" + i)
        .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    List<TemplateError> errors = TemplateFixtures.errors("""
        Transform: AWS::LanguageExtensions
        Resources:
          Fn::ForEach::A:
            - X
            - %1$s
            - Fn::ForEach::B:
                - Y
                - %1$s
                - Fn::ForEach::C:
                    - Z
                    - %1$s
                    - R${X}${Y}${Z}:
                        Type: CloudStack::Network
        """.formatted(items));
    assertThat(errors).extracting(TemplateError::message).containsExactly("Template format error: the Fn::ForEach "
        + "loops produce more than 10000 entries; that is the limit");
  }

  @Test
  void badLoopsAreRefusedClearly() {
    assertThat(TemplateFixtures.errors("""
        Transform: AWS::LanguageExtensions
        Resources:
          Fn::ForEach::Same:
            - Name
            - [a, b]
            - Fixed:
                Type: CloudStack::Network
        """)).extracting(TemplateError::message).containsExactly("Template format error: Fixed is produced more "
            + "than once (by Resources/Fn::ForEach::Same/2/Fixed and Resources/Fn::ForEach::Same/2/Fixed); each "
            + "Fn::ForEach OutputKey must contain ${Identifier} or &{Identifier}");
    assertThat(TemplateFixtures.errors("""
        Transform: AWS::LanguageExtensions
        Resources:
          Fn::ForEach::Bad:
            - Name
            - !Ref NotAList
            - X${Name}:
                Type: CloudStack::Network
        """)).extracting(TemplateError::message).containsExactly("Template format error: the collection of "
            + "Fn::ForEach::Bad refers to NotAList, which is not a CommaDelimitedList or List<...> parameter");
    assertThat(TemplateFixtures.errors("""
        Transform: AWS::LanguageExtensions
        Resources:
          Fn::ForEach::Bad: [Name, [a]]
        """)).extracting(TemplateError::message).containsExactly("Template format error: Fn::ForEach::Bad must be "
            + "a list of three items: an identifier, a collection and a fragment ({OutputKey: OutputValue})");
    assertThat(TemplateFixtures.errors("""
        Transform: AWS::LanguageExtensions
        Parameters:
          Fn::ForEach::P: [a, [b], {c: d}]
        Resources:
          N:
            Type: CloudStack::Network
        """)).extracting(TemplateError::message).contains("Template format error: Fn::ForEach can be used only "
            + "in the Conditions, Resources and Outputs sections");
  }
}
