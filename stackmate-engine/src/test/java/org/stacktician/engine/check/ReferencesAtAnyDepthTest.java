package org.stacktician.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;

/**
 * The check before creation never refuses a value because something inside it, at any depth, is
 * a reference resolved at run time, for generated, AWS:: and built-in types alike; what is known
 * (literal items, lists inside lists) is still checked, with the path of the item.
 */
class ReferencesAtAnyDepthTest {
  static SimulatedCloud cloud;
  static ProviderRegistry registry;

  @BeforeAll
  static void start() {
    cloud = new SimulatedCloud();
    registry = ProviderRegistry.load(cloud.base, List.of(), null);
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  static final String HEAD = """
      Parameters:
        Zone: {Type: String, Default: z}
        Ids: {Type: CommaDelimitedList, Default: "a,b"}
      Conditions:
        Always: !Equals [1, 1]
      Resources:
        Net: {Type: CloudStack::Network, Properties: {zoneid: !Ref Zone, networkofferingid: o, displaytext: n}}
        Sg: {Type: CloudStack::SecurityGroup, Properties: {name: sg}}
        Key: {Type: CloudStack::SSHKeyPair}
      """;

  static List<TemplateError> check(String resources) {
    LoadResult loaded = TemplateLoader.load(HEAD + resources, "app.yaml");
    assertThat(loaded).as(loaded.toString()).isInstanceOf(LoadResult.Loaded.class);
    PlanResult planned = Planner.plan(((LoadResult.Loaded) loaded).template(), new ParameterInput(Map.of()),
        StackContext.forPlanning("app"));
    assertThat(planned).as(planned.toString()).isInstanceOf(PlanResult.Planned.class);
    Plan plan = ((PlanResult.Planned) planned).plan();
    return PropertyChecks.beforeCreation(registry, plan);
  }

  @ParameterizedTest(name = "networkids: {0}")
  @ValueSource(strings = {"!Ref Net", "[!Ref Net]", "[!GetAtt Net.id]", "[!Sub '${Net}']", "[!Sub '${Net.id}']",
      "[!If [Always, !Ref Net, !GetAtt Net.id]]", "[!Join ['', [!Ref Net]]]", "[!Select [0, [!Ref Net, x]]]",
      "[literal-id, !Ref Net]", "!If [Always, [!Ref Net], !Ref 'AWS::NoValue']", "!Split [',', !Ref Net]",
      "[!Join ['', [!Select [0, [!GetAtt Net.id]], '']]]"})
  void aListOfReferencesPassesAtEveryDepth(String networkids) {
    assertThat(check("""
          Vm:
            Type: CloudStack::VirtualMachine
            Properties:
              zoneid: !Ref Zone
              templateid: t
              serviceofferingid: s
              networkids: %s
              securitygroupids: [!Ref Sg, !GetAtt Sg.id]
              keypairs: [!Ref Key]
              iptonetworklist: [{networkid: !Ref Net, ip: 10.1.1.5}, {networkid: !GetAtt Net.id}]
        """.formatted(networkids))).isEmpty();
  }

  @Test
  void aMapWrittenAsOneObjectWithReferencesPasses() {
    assertThat(check("""
          Vm:
            Type: CloudStack::VirtualMachine
            Properties: {zoneid: !Ref Zone, templateid: t, serviceofferingid: s,
                         iptonetworklist: {networkid: !Ref Net, ip: !Join ['.', ['10', '1', '1', '5']]}}
        """)).isEmpty();
  }

  @Test
  void awsAndBuiltInTypesFollowTheSameRule() {
    assertThat(check("""
          Inst:
            Type: AWS::EC2::Instance
            Properties:
              ImageId: ami
              SecurityGroupIds: [!Ref Sg, !GetAtt Sg.id]
              Volumes: [{Device: /dev/xvdb, VolumeId: !Ref Vol}, !If [Always, {Device: /dev/xvdc, VolumeId: !Ref Vol}, !Ref 'AWS::NoValue']]
              Tags: [{Key: net, Value: !Ref Net}]
          Vol: {Type: AWS::EC2::Volume, Properties: {AvailabilityZone: !Ref Zone, Size: !GetAtt Net.id}}
          Group:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: g
              SecurityGroupIngress: [{IpProtocol: tcp, FromPort: !GetAtt Net.id, ToPort: 80, CidrIp: !Ref Zone}]
          Handle: {Type: AWS::CloudFormation::WaitConditionHandle}
          Wait: {Type: AWS::CloudFormation::WaitCondition, Properties: {Handle: !Ref Handle, Timeout: !GetAtt Net.id}}
        """)).isEmpty();
  }

  @Test
  void whatIsKnownNowIsStillCheckedWithThePathOfTheItem() {
    List<TemplateError> errors = check("""
          Vm:
            Type: CloudStack::VirtualMachine
            Properties:
              zoneid: !Ref Zone
              templateid: t
              serviceofferingid: s
              networkids: [!Ref Net, {not: a-value}]
              securitygroupids: [!Ref Ids]
              sizes: [!Ref Net]
        """);
    assertThat(errors).extracting(TemplateError::path, TemplateError::message).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("Resources/Vm/Properties/networkids/1", "must be a single value, got an object"),
        org.assertj.core.groups.Tuple.tuple("Resources/Vm/Properties/securitygroupids/0",
            "is itself a list; a list's items must be single values (give a list parameter or Fn::Split as the"
                + " whole property, not inside a list)"),
        org.assertj.core.groups.Tuple.tuple("Resources/Vm/Properties/sizes",
            "is not a parameter of deployVirtualMachine; did you mean 'size'?"));
    assertThat(errors.get(0).line()).as("positioned in the template").isPositive();
  }

  @Test
  void anAwsListInsideAListIsRefusedNamingTheProperty() {
    assertThat(check("""
          Inst: {Type: AWS::EC2::Instance, Properties: {ImageId: ami, SecurityGroupIds: [!Ref Sg, !Ref Ids]}}
        """)).extracting(TemplateError::path).containsExactly("Resources/Inst/Properties/SecurityGroupIds/1");
  }
}
