package org.stacktician.template.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stacktician.template.Plan;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateFixtures;

/**
 * The engine's path: walk the waves, resolve each resource's properties with what has been created
 * so far, "create" it (record a physical id and attributes), and finish the outputs. Every
 * expression resolves exactly when its dependencies exist, and Deferred names what it waits on.
 */
class RunTimeResolutionTest {

  static final String TEMPLATE = """
      Parameters:
        Zone: {Type: CloudStack::Zone::Name}
        Secret: {Type: String, NoEcho: true}
      Resources:
        Group:
          Type: CloudStack::SecurityGroup
          Properties:
            name: !Sub "${AWS::StackName}-sg"
        Handle:
          Type: AWS::CloudFormation::WaitConditionHandle
        Vm:
          Type: CloudStack::VirtualMachine
          Metadata:
            AWS::CloudFormation::Init:
              config:
                commands:
                  signal: {command: !Sub "cfn-signal ${Handle} --data ${Group.id}"}
          Properties:
            zonename: !Ref Zone
            securitygroupids: [!GetAtt Group.id]
            userdata: !Base64
              Fn::Join: ["", ["#!/bin/sh\\n", "url=", !Ref Handle, "\\npw=", !Ref Secret]]
        Wait:
          Type: AWS::CloudFormation::WaitCondition
          DependsOn: Vm
          Properties:
            Handle: !Ref Handle
            Timeout: "600"
      Outputs:
        Ip:
          Value: !Join [":", [!GetAtt Vm.ipaddress, "22"]]
        Data:
          Value: !GetAtt Wait.Data
      """;

  /** A tiny stand-in for the engine's state: what has been created so far. */
  static final class Created implements ResourceValues {
    final Map<String, JsonNode> ids = new HashMap<>();
    final Map<String, Map<String, JsonNode>> attributes = new HashMap<>();

    void create(String id, String physicalId, Map<String, String> attrs) {
      ids.put(id, TextNode.valueOf(physicalId));
      Map<String, JsonNode> a = new HashMap<>();
      attrs.forEach((k, v) -> a.put(k, TextNode.valueOf(v)));
      attributes.put(id, a);
    }

    @Override
    public Optional<JsonNode> ref(String logicalId) {
      return Optional.ofNullable(ids.get(logicalId));
    }

    @Override
    public Optional<JsonNode> getAtt(String logicalId, String attribute) {
      return Optional.ofNullable(attributes.getOrDefault(logicalId, Map.of()).get(attribute));
    }
  }

  @Test
  void resourcesResolveWaveByWaveAsTheirDependenciesAreCreated() {
    Template t = TemplateFixtures.load(TEMPLATE);
    Plan plan = TemplateFixtures.plan(t, Map.of("Zone", "zone-1", "Secret", "pw123456"));
    assertThat(plan.waves()).containsExactly(List.of("Group", "Handle"), List.of("Vm"), List.of("Wait"));
    assertThat(plan.resources().get("Vm").dependsOn()).containsExactlyInAnyOrder("Group", "Handle");
    assertThat(plan.resources().get("Wait").dependsOn()).containsExactly("Vm", "Handle");

    Created created = new Created();
    // before anything exists, Vm's properties wait on Group and Handle
    Resolution early = plan.evaluator().resolve(t.resources().get("Vm").properties(), "Resources/Vm/Properties", created);
    assertThat(early).isInstanceOf(Resolution.Deferred.class);
    assertThat(((Resolution.Deferred) early).waitingOn()).containsExactlyInAnyOrder("Group", "Handle");
    assertThat(((Resolution.Deferred) early).partial().get("zonename").asText()).isEqualTo("zone-1");

    created.create("Group", "sg-1", Map.of("id", "sg-1"));
    Resolution half = plan.evaluator().resolve(t.resources().get("Vm").properties(), "Resources/Vm/Properties", created);
    assertThat(((Resolution.Deferred) half).waitingOn()).containsExactly("Handle");
    assertThat(((Resolution.Deferred) half).partial().get("securitygroupids").toString()).isEqualTo("[\"sg-1\"]");

    created.create("Handle", "https://stacktician/wait/abc", Map.of());
    Resolution done = plan.evaluator().resolve(t.resources().get("Vm").properties(), "Resources/Vm/Properties", created);
    assertThat(done).isInstanceOf(Resolution.Resolved.class);
    JsonNode vm = ((Resolution.Resolved) done).value();
    assertThat(new String(java.util.Base64.getDecoder().decode(vm.get("userdata").asText())))
        .isEqualTo("#!/bin/sh\nurl=https://stacktician/wait/abc\npw=pw123456");
    Resolution metadata = plan.evaluator().resolve(t.resources().get("Vm").metadata(), "Resources/Vm/Metadata", created);
    assertThat(((Resolution.Resolved) metadata).value().at("/AWS::CloudFormation::Init/config/commands/signal/command")
        .asText()).isEqualTo("cfn-signal https://stacktician/wait/abc --data sg-1");

    created.create("Vm", "vm-7", Map.of("ipaddress", "10.1.1.7"));
    Resolution ip = plan.evaluator().resolve(t.outputs().get("Ip").value(), "Outputs/Ip/Value", created);
    assertThat(ip).isEqualTo(new Resolution.Resolved(TextNode.valueOf("10.1.1.7:22")));
    Resolution data = plan.evaluator().resolve(t.outputs().get("Data").value(), "Outputs/Data/Value", created);
    assertThat(((Resolution.Deferred) data).waitingOn()).containsExactly("Wait");

    created.create("Wait", "arn:wait", Map.of("Data", "{\"Signal1\":\"done\"}"));
    assertThat(plan.evaluator().resolve(t.outputs().get("Data").value(), "Outputs/Data/Value", created))
        .isEqualTo(new Resolution.Resolved(TextNode.valueOf("{\"Signal1\":\"done\"}")));
  }

  @Test
  void partialPropertiesInThePlanKeepOnlyWhatIsUnknown() {
    Template t = TemplateFixtures.load(TEMPLATE);
    Plan plan = TemplateFixtures.plan(t, Map.of("Zone", "zone-1", "Secret", "pw123456"));
    PlannedResource vm = plan.resources().get("Vm");
    assertThat(vm.properties().get("zonename").asText()).isEqualTo("zone-1");
    assertThat(vm.properties().get("securitygroupids").toString()).isEqualTo("[{\"Fn::GetAtt\":[\"Group\",\"id\"]}]");
    assertThat(vm.properties().at("/userdata/Fn::Base64/Fn::Join/1").toString()).isEqualTo(
        "[\"#!/bin/sh\\n\",\"url=\",{\"Ref\":\"Handle\"},\"\\npw=\",\"pw123456\"]");
    assertThat(plan.resources().get("Group").properties().get("name").asText()).isEqualTo("test-sg");
    assertThat(plan.outputs().get("Ip").value().toString()).isEqualTo(
        "{\"Fn::Join\":[\":\",[{\"Fn::GetAtt\":[\"Vm\",\"ipaddress\"]},\"22\"]]}");
  }

  @Test
  void redactedPlanMasksNoEchoValuesEverywhere() {
    Template t = TemplateFixtures.load(TEMPLATE);
    Plan plan = TemplateFixtures.plan(t, Map.of("Zone", "zone-1", "Secret", "pw123456")).redacted();
    assertThat(plan.parameters().get("Secret").value().asText()).isEqualTo("****");
    assertThat(plan.parameters().get("Zone").value().asText()).isEqualTo("zone-1");
    assertThat(plan.resources().toString()).doesNotContain("pw123456");
    assertThat(plan.resources().get("Vm").properties().at("/userdata/Fn::Base64/Fn::Join/1/4").asText())
        .isEqualTo("****");
    assertThat(plan.waves()).hasSize(3);
  }

  @Test
  void redactionMasksValuesFromSecretsButNotLiteralTextThatContainsThem() {
    Template t = TemplateFixtures.load("""
        Parameters:
          DbUser: {Type: String, NoEcho: true}
        Resources:
          Vm:
            Type: CloudStack::VirtualMachine
            Properties:
              script: !Sub "mysqladmin -u ${DbUser}"
              user: !Ref DbUser
              copy: admin
        """);
    Plan shown = TemplateFixtures.plan(t, Map.of("DbUser", "admin")).redacted();
    assertThat(shown.resources().get("Vm").properties().toString())
        .isEqualTo("{\"script\":\"mysqladmin -u ****\",\"user\":\"****\",\"copy\":\"****\"}");
  }

  @Test
  void unknownAttributeOfACreatedResourceFails() {
    Template t = TemplateFixtures.load(TEMPLATE);
    Plan plan = TemplateFixtures.plan(t, Map.of("Zone", "zone-1", "Secret", "pw123456"));
    Created created = new Created();
    created.create("Vm", "vm-7", Map.of("ipaddress", "10.1.1.7"));
    Resolution r = plan.evaluator().resolve(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set("x",
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("Fn::GetAtt", "Vm.nope")),
        "Resources/Wait/Properties", created);
    assertThat(r).isInstanceOf(Resolution.Failed.class);
    assertThat(((Resolution.Failed) r).errors().get(0).message())
        .isEqualTo("Template error: resource Vm does not support attribute type nope in Fn::GetAtt");
    assertThat(((Resolution.Failed) r).errors().get(0).path()).isEqualTo("Resources/Wait/Properties/x/Fn::GetAtt");
  }
}
