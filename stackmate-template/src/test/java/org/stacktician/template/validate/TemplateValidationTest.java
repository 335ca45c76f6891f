package org.stacktician.template.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stacktician.template.OutputDefinition;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;

/** Structural validation of every section, with CloudFormation's messages where AWS has recorded them. */
class TemplateValidationTest {

  private static List<String> messages(String text) {
    return TemplateFixtures.errors(text).stream().map(TemplateError::message).toList();
  }

  @Test
  void allSectionsAreRead() {
    Template t = TemplateFixtures.load("""
        AWSTemplateFormatVersion: 2010-09-09
        Description: everything
        Metadata: {Owner: me}
        Transform: AWS::LanguageExtensions
        Parameters:
          P: {Type: String, Default: x}
        Mappings:
          M: {k: {v: "1"}}
        Conditions:
          C: !Equals [!Ref P, x]
        Resources:
          Handle:
            Type: AWS::CloudFormation::WaitConditionHandle
          Wait:
            Type: AWS::CloudFormation::WaitCondition
            DependsOn: [Handle]
            Condition: C
            DeletionPolicy: Retain
            UpdateReplacePolicy: Snapshot
            CreationPolicy:
              ResourceSignal: {Count: 2, Timeout: PT15M}
            UpdatePolicy: {AutoScalingReplacingUpdate: {WillReplace: true}}
            Metadata: {AWS::CloudFormation::Init: {config: {}}}
            Properties:
              Handle: !Ref Handle
              Timeout: "300"
        Outputs:
          Url:
            Value: !Ref Handle
            Description: the handle
            Condition: C
            Export: {Name: !Sub "${AWS::StackName}-url"}
        """);
    assertThat(t.formatVersion()).isEqualTo("2010-09-09");
    assertThat(t.description()).isEqualTo("everything");
    assertThat(t.metadata().get("Owner").asText()).isEqualTo("me");
    assertThat(t.mappings().at("/M/k/v").asText()).isEqualTo("1");
    assertThat(t.conditions()).containsOnlyKeys("C");
    ResourceDefinition wait = t.resources().get("Wait");
    assertThat(wait.type()).isEqualTo("AWS::CloudFormation::WaitCondition");
    assertThat(wait.dependsOn()).containsExactly("Handle");
    assertThat(wait.condition()).isEqualTo("C");
    assertThat(wait.deletionPolicy()).isEqualTo("Retain");
    assertThat(wait.updateReplacePolicy()).isEqualTo("Snapshot");
    assertThat(wait.creationPolicy().at("/ResourceSignal/Count").asInt()).isEqualTo(2);
    assertThat(wait.updatePolicy()).isNotNull();
    assertThat(wait.metadata().has("AWS::CloudFormation::Init")).isTrue();
    assertThat(wait.properties().get("Timeout").asText()).isEqualTo("300");
    assertThat(t.resources().get("Handle").properties()).isEmpty();
    OutputDefinition url = t.outputs().get("Url");
    assertThat(url.description()).isEqualTo("the handle");
    assertThat(url.condition()).isEqualTo("C");
    assertThat(url.exportName().has("Fn::Sub")).isTrue();
    assertThat(t.resources().keySet()).containsExactly("Handle", "Wait");
  }

  @Test
  void resourceTypesOnlyNeedTheVendorServiceTypeShape() {
    Template t = TemplateFixtures.load("""
        Resources:
          A: {Type: CloudStack::VirtualMachine}
          B: {Type: AWS::EC2::Instance}
          C: {Type: Custom::MyThing}
          D: {Type: StackMate::WaitCondition}
          E: {Type: Acme::Plugin::Widget::V2}
          F: {Type: AWS::CloudFormation::CustomResource}
        """);
    assertThat(t.resources()).hasSize(6);
    assertThat(messages("Resources:\n  A: {Type: VirtualMachine}\n  B: {Type: 'A::B::'}\n  C: {Type: 7}\n"))
        .hasSize(3).allSatisfy(m -> assertThat(m).containsAnyOf("Invalid resource type", "must be a string"));
  }

  @Test
  void cloudFormationMessagesForBadResources() {
    assertThat(messages("Description: x\n")).containsExactly(
        "Template format error: At least one Resources member must be defined.");
    assertThat(messages("Resources: {}\n")).containsExactly(
        "Template format error: At least one Resources member must be defined.");
    assertThat(messages("Resources:\n  A: {Properties: {}}\n")).containsExactly(
        "Template format error: [/Resources/A] Every Resources object must contain a Type member.");
    assertThat(messages("Resources:\n  A: {Type: A::B, Invalid: 1}\n")).containsExactly(
        "Invalid template resource property 'Invalid'");
    assertThat(messages("Resources:\n  A: just-a-string\n")).containsExactly(
        "Template format error: Any Resources member must be an object.");
    assertThat(messages("Resources:\n  my-bad-resource-id: {Type: A::B}\n")).containsExactly(
        "Template format error: Resource name my-bad-resource-id is non alphanumeric.");
    assertThat(messages("Resources:\n  AWS::NoValue: {Type: A::B}\n")).containsExactly(
        "Template format error: Resource name AWS::NoValue is non alphanumeric.");
    assertThat(messages("Parameters:\n  AWS::NoValue: {Type: String}\nResources:\n  A: {Type: A::B}\n"))
        .containsExactly("Template format error: Parameter name AWS::NoValue is non alphanumeric.");
  }

  @Test
  void cloudFormationMessagesForBadMappingsAndOutputs() {
    assertThat(messages("Mappings:\n  A: [1]\nResources:\n  R: {Type: A::B}\n")).containsExactly(
        "Template format error: Every Mappings member A must be a map");
    assertThat(messages("Mappings:\n  A: {k: {v: {deeper: x}}}\nResources:\n  R: {Type: A::B}\n")).containsExactly(
        "Template format error: Every Mappings attribute must be a String or a List.");
    assertThat(messages("Mappings:\n  A: {k: {v: !Ref X}}\nResources:\n  R: {Type: A::B}\n")).containsExactly(
        "Template format error: Every Mappings attribute must be a String or a List.");
    assertThat(messages("Resources:\n  R: {Type: A::B}\nOutputs:\n  O: {Description: x}\n")).containsExactly(
        "Template format error: Every Outputs member must contain a Value object");
    assertThat(messages("Resources:\n  R: {Type: A::B}\nOutputs:\n  MyOutput: {Value: null}\n")).containsExactly(
        "[/Outputs/MyOutput/Value] 'null' values are not allowed in templates");
    assertThat(messages("Resources:\n  R: {Type: A::B}\nOutputs:\n  O: {Value: x, Export: {Nom: y}}\n")).singleElement()
        .asString().contains("Export must be an object with one member, Name");
    assertThat(messages("Resources:\n  R: {Type: A::B}\nOutputs:\n  O: {Value: x, Colour: y}\n")).containsExactly(
        "Invalid template output property 'Colour'");
  }

  @Test
  void sectionLevelErrors() {
    assertThat(messages("Resourcez: {}\nResources:\n  R: {Type: A::B}\n")).containsExactly(
        "Template format error: Invalid template property or properties [Resourcez]");
    assertThat(messages("AWSTemplateFormatVersion: '2011-01-01'\nResources:\n  R: {Type: A::B}\n")).singleElement()
        .asString().contains("Unsupported AWSTemplateFormatVersion '2011-01-01'");
    assertThat(messages("Transform: AWS::Serverless-2016-10-31\nResources:\n  R: {Type: A::B}\n")).singleElement()
        .asString().contains("Transform AWS::Serverless-2016-10-31 is not supported");
    assertThat(messages("Description: " + "d".repeat(1025) + "\nResources:\n  R: {Type: A::B}\n")).singleElement()
        .asString().contains("1025 bytes");
    assertThat(messages("Rules: []\nResources:\n  R: {Type: A::B}\n")).singleElement().asString()
        .contains("the Rules section must be an object");
    assertThat(messages("- a\n- b\n")).singleElement().asString().contains("must be a JSON object or YAML mapping");
    assertThat(TemplateFixtures.load("CSTemplateFormatVersion: '1'\nResources:\n  R: {Type: A::B}\n").resources())
        .hasSize(1);
  }

  @Test
  void resourceAttributeErrors() {
    assertThat(messages("""
        Resources:
          A:
            Type: A::B
            Properties: [1]
            DependsOn: {x: 1}
            DeletionPolicy: Keep
            UpdateReplacePolicy: RetainExceptOnCreate
            CreationPolicy: {ResourceSignal: {Count: 0, Timeout: 15 minutes}}
            UpdatePolicy: yes-please
            Metadata: [1]
        """)).containsExactly(
        "Template format error: the Properties of resource A must be an object",
        "Template format error: DependsOn must be a resource name or a list of them",
        "Template format error: DeletionPolicy must be one of [Delete, Retain, RetainExceptOnCreate, Snapshot], not \"Keep\"",
        "Template format error: UpdateReplacePolicy must be one of [Delete, Retain, Snapshot], not \"RetainExceptOnCreate\"",
        "ResourceSignal Count must be a whole number of 1 or more, not 0",
        "ResourceSignal Timeout must be an ISO 8601 duration such as PT15M, not \"15 minutes\"",
        "Template format error: UpdatePolicy must be an object",
        "Template format error: the Metadata of resource A must be an object");
  }

  @Test
  void dependsOnTargetsMustExistAndCyclesAreNamed() {
    List<TemplateError> errors = TemplateFixtures.errors("""
        Resources:
          A: {Type: A::B, DependsOn: [B, Ghost]}
          B: {Type: A::B, Properties: {x: !GetAtt C.id}}
          C: {Type: A::B, Properties: {y: !Sub "${A}"}}
          Self: {Type: A::B, Properties: {me: !Ref Self}}
          Free: {Type: A::B}
        """);
    assertThat(errors).extracting(TemplateError::message).containsExactly(
        "Template format error: Unresolved resource dependencies [Ghost] in the Resources block of the template",
        "Template format error: Circular dependency between resources: [A, B, C]",
        "Template format error: Circular dependency between resources: [Self]");
    assertThat(errors.get(0).path()).isEqualTo("Resources/A/DependsOn/1");
    assertThat(errors.get(0).line()).isEqualTo(2);
    assertThat(errors.get(1).path()).isEqualTo("Resources/A");
  }

  @Test
  void referencesInMetadataAndPoliciesCountAsDependencies() {
    List<String> m = messages("""
        Resources:
          A: {Type: A::B, Metadata: {x: !Ref B}}
          B: {Type: A::B, CreationPolicy: {ResourceSignal: {Timeout: !Sub "PT${A}M"}}}
        """);
    assertThat(m).containsExactly("Template format error: Circular dependency between resources: [A, B]");
  }

  @Test
  void everyErrorInOneTemplateIsReported() {
    List<TemplateError> errors = TemplateFixtures.errors("""
        Parameters:
          P: {Type: Nope}
        Resources:
          A: {Type: A::B, Properties: {a: !Ref Missing1, b: !GetAtt Missing2.x, c: !Select [9, [a]]}}
          B: {Type: bad}
        Outputs:
          O: {Value: !Ref Missing3}
        """);
    assertThat(errors).hasSize(6);
    assertThat(errors).allSatisfy(e -> assertThat(e.line()).isPositive());
  }

  @Test
  void nullPropertiesAreErrors() {
    assertThat(messages("Resources:\n  A: {Type: A::B, Properties: {x: null, y: [1, ~]}}\n")).containsExactly(
        "[/Resources/A/Properties/x] 'null' values are not allowed in templates",
        "[/Resources/A/Properties/y/1] 'null' values are not allowed in templates");
  }
}
