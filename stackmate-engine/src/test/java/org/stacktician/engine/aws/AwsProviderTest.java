package org.stacktician.engine.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stacktician.engine.testing.SimulatedCloud.drive;
import static org.stacktician.engine.testing.SimulatedCloud.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.testing.SimulatedCloud;

/** The AWS:: compatibility types against the simulator over HTTP, with a mapping file. */
class AwsProviderTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MAPPINGS = """
      zone: Sandbox-simulator
      images:
        ami-1b814f72: "CentOS 5.6 (64-bit) no GUI (Simulator)"
      instanceTypes:
        m1.small: "Medium Instance"
      diskOffering: Custom
      availabilityZones:
        us-east-1a: Sandbox-simulator
      zones:
        Sandbox-simulator-2:
          images: { ami-1b814f72: "Ubuntu 22.04 LTS" }
      """;
  static SimulatedCloud cloud;
  static ProviderRegistry registry;
  static ProviderContext base;

  @BeforeAll
  static void start() {
    cloud = new SimulatedCloud();
    base = cloud.base.toBuilder().service(AwsMappings.class, AwsMappings.parse(MAPPINGS, "mappings.yml")).build();
    registry = ProviderRegistry.builder(base).builtIns().build();
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  record Created(String logicalId, String type, ProgressEvent.Success result) {}

  final List<Created> created = new ArrayList<>();

  ProviderContext stack(String id, String name) {
    var ref = new org.stacktician.engine.provider.ResourceRequest.StackRef(id, name);
    return base.withStack(ref, StackTags.forStack(ref));
  }

  ResourceHandler handler(String type) {
    return registry.handler(type).orElseThrow();
  }

  ProgressEvent.Success create(ProviderContext ctx, String logicalId, String type, ObjectNode props) {
    ProgressEvent e = drive(c -> handler(type).create(request(ctx, logicalId, type, props, null, null, c)));
    assertThat(e).as("create %s", logicalId).isInstanceOf(ProgressEvent.Success.class);
    ProgressEvent.Success s = (ProgressEvent.Success) e;
    created.add(new Created(logicalId, type, s));
    return s;
  }

  void deleteAll(ProviderContext ctx) {
    for (int i = created.size() - 1; i >= 0; i--) {
      Created c = created.get(i);
      ProgressEvent e = drive(cb -> handler(c.type()).delete(request(ctx, c.logicalId(), c.type(), JSON.createObjectNode(),
          c.result().physicalId(), c.result().attributes(), cb)));
      assertThat(e).as("delete %s: %s", c.logicalId(), e).isInstanceOf(ProgressEvent.Success.class);
    }
  }

  @Test
  void lampStyleStackCreatesAndDeletesWithNothingLeft() {
    ProviderContext ctx = stack("stack-aws-1", "lamp");
    ObjectNode sgProps = JSON.createObjectNode().put("GroupDescription", "Enable HTTP access via port 80");
    sgProps.putArray("SecurityGroupIngress")
        .add(JSON.createObjectNode().put("IpProtocol", "tcp").put("FromPort", "80").put("ToPort", "80").put("CidrIp", "0.0.0.0/0"))
        .add(JSON.createObjectNode().put("IpProtocol", "icmp").put("FromPort", "-1").put("ToPort", "-1").put("CidrIp", "10.0.0.0/8"));
    ProgressEvent.Success sg = create(ctx, "WebServerSecurityGroup", "AWS::EC2::SecurityGroup", sgProps);
    assertThat(sg.physicalId()).isEqualTo("lamp-WebServerSecurityGroup");
    assertThat(sg.attributes().get("GroupId").asText()).isNotBlank();
    assertThat(sg.attributes().get("ingressrule").size()).isEqualTo(2);

    ProgressEvent.Success rule = create(ctx, "SshFromGroup", "AWS::EC2::SecurityGroupIngress", JSON.createObjectNode()
        .put("GroupName", sg.physicalId()).put("IpProtocol", "tcp").put("FromPort", 22).put("ToPort", 22)
        .put("SourceSecurityGroupName", sg.physicalId()));
    assertThat(rule.physicalId()).isNotBlank();

    ProgressEvent.Success key = create(ctx, "Key", "AWS::EC2::KeyPair", JSON.createObjectNode().put("KeyName", "lamp-key"));
    assertThat(key.physicalId()).isEqualTo("lamp-key");
    assertThat(key.attributes().get("KeyFingerprint").asText()).isNotBlank();

    ProgressEvent.Success volume = create(ctx, "Data", "AWS::EC2::Volume", JSON.createObjectNode().put("Size", "10")
        .put("AvailabilityZone", "us-east-1a"));

    ObjectNode vmProps = JSON.createObjectNode().put("ImageId", "ami-1b814f72").put("InstanceType", "m1.small")
        .put("KeyName", key.physicalId()).put("UserData", "IyEvYmluL2Jhc2gKZWNobyBoaQo=");
    vmProps.putArray("SecurityGroups").add(sg.physicalId());
    vmProps.putArray("Tags").addObject().put("Key", "Role").put("Value", "web");
    vmProps.putArray("Volumes").addObject().put("Device", "/dev/sdf").put("VolumeId", volume.physicalId());
    ProgressEvent.Success vm = create(ctx, "WebServer", "AWS::EC2::Instance", vmProps);
    Map<String, JsonNode> a = vm.attributes();
    assertThat(a.get("PrivateIp").asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(a.get("PublicDnsName").asText()).isEqualTo(a.get("PublicIp").asText());
    assertThat(a.get("AvailabilityZone").asText()).isEqualTo("Sandbox-simulator");
    assertThat(a.get("serviceofferingname").asText()).isEqualTo("Medium Instance");
    assertThat(a.get("templatename").asText()).isEqualTo("CentOS 5.6 (64-bit) no GUI (Simulator)");
    assertThat(a.containsKey("keypairs") ? a.get("keypairs").asText() : a.get("keypair").asText())
        .as("keys %s", a.keySet()).isEqualTo("lamp-key");
    assertThat(a.get("securitygroup.0.name").asText()).isEqualTo(sg.physicalId());

    List<JsonNode> volumes = cloud.client.list("listVolumes", Map.of("id", volume.physicalId()));
    assertThat(volumes.get(0).path("virtualmachineid").asText()).isEqualTo(vm.physicalId());

    ProgressEvent.Success attachment = create(ctx, "Attach", "AWS::EC2::VolumeAttachment", JSON.createObjectNode()
        .put("InstanceId", vm.physicalId()).put("VolumeId", create(ctx, "Logs", "AWS::EC2::Volume",
            JSON.createObjectNode().put("Size", 1)).physicalId()).put("Device", "/dev/sdg"));
    assertThat(attachment.attributes().get("InstanceId").asText()).isEqualTo(vm.physicalId());

    SimulatedCloud.eventually(() -> assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_ID, "stack-aws-1"))
        .extracting(i -> i.tags().get(StackTags.LOGICAL_ID))
        .contains("WebServer", "WebServerSecurityGroup", "Data"));

    // Resume after a create whose outcome was lost: each tagged resource is found again, same Ref.
    SimulatedCloud.eventually(() -> {
      for (Created c : created) {
        if (List.of("WebServer", "WebServerSecurityGroup", "Data").contains(c.logicalId())) {
          ProgressEvent r = handler(c.type()).read(request(ctx, c.logicalId(), c.type(), JSON.createObjectNode(), null, null, null));
          assertThat(r).as("read %s", c.logicalId()).isInstanceOfSatisfying(ProgressEvent.Success.class,
              ok -> assertThat(ok.physicalId()).isEqualTo(c.result().physicalId()));
        }
      }
    });
    assertThat(handler("AWS::EC2::KeyPair").read(request(ctx, "Key", "AWS::EC2::KeyPair", JSON.createObjectNode(), null, null, null)))
        .isInstanceOf(ProgressEvent.Failed.class);

    deleteAll(ctx);
    assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_NAME, "lamp")).isEmpty();
    assertThat(cloud.simulator.inventory().created()).noneMatch(i -> "lamp-key".equals(i.name()));
  }

  @Test
  void elasticIpsGoToInstancesInIsolatedNetworks() {
    ProviderContext ctx = stack("stack-aws-5", "eip");
    String zoneId = cloud.idOf("listZones", "Sandbox-simulator", Map.of());
    ProgressEvent.Success network = create(ctx, "Net", "CloudStack::Network", JSON.createObjectNode()
        .put("name", "net").put("displaytext", "isolated").put("zoneid", zoneId)
        .put("networkofferingid", cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService", Map.of())));
    ProgressEvent.Success vm = create(ctx, "WebServer", "AWS::EC2::Instance", JSON.createObjectNode()
        .put("ImageId", "ami-1b814f72").put("SubnetId", network.physicalId()));
    ProgressEvent.Success other = create(ctx, "Other", "AWS::EC2::Instance", JSON.createObjectNode()
        .put("ImageId", "ami-1b814f72").put("SubnetId", network.physicalId()));
    ProgressEvent.Success eip = create(ctx, "Address", "AWS::EC2::EIP", JSON.createObjectNode().put("InstanceId", vm.physicalId()));
    assertThat(eip.physicalId()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(cloud.client.list("listPublicIpAddresses", Map.of("id", eip.attributes().get("AllocationId").asText()))
        .get(0).path("isstaticnat").asBoolean()).isTrue();

    ProgressEvent.Success second = create(ctx, "Second", "AWS::EC2::EIP", JSON.createObjectNode());
    ProgressEvent.Success assoc = create(ctx, "SecondAssociation", "AWS::EC2::EIPAssociation", JSON.createObjectNode()
        .put("EIP", second.physicalId()).put("InstanceId", other.physicalId()));
    assertThat(assoc.physicalId()).isEqualTo(second.attributes().get("AllocationId").asText());

    SimulatedCloud.eventually(() -> assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_ID, "stack-aws-5"))
        .extracting(i -> i.tags().get(StackTags.LOGICAL_ID)).contains("Address", "Second", "WebServer", "Net"));
    SimulatedCloud.eventually(() -> assertThat(handler("AWS::EC2::EIP").read(request(ctx, "Address", "AWS::EC2::EIP",
        JSON.createObjectNode(), null, null, null))).isInstanceOfSatisfying(ProgressEvent.Success.class, ok -> {
          assertThat(ok.physicalId()).isEqualTo(eip.physicalId());
          assertThat(ok.attributes().get("InstanceId").asText()).isEqualTo(vm.physicalId());
        }));
    deleteAll(ctx);
    assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_ID, "stack-aws-5")).isEmpty();
  }

  @Test
  void aStackFoundOnlyByItsTagsIsDeletedByTheHandlersOfItsTaggedTypes() {
    ProviderContext ctx = stack("stack-aws-6", "orphan");
    String zoneId = cloud.idOf("listZones", "Sandbox-simulator", Map.of());
    ProgressEvent.Success network = create(ctx, "Net", "CloudStack::Network", JSON.createObjectNode()
        .put("name", "net").put("displaytext", "isolated").put("zoneid", zoneId)
        .put("networkofferingid", cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService", Map.of())));
    ProgressEvent.Success vm = create(ctx, "Web", "AWS::EC2::Instance", JSON.createObjectNode()
        .put("ImageId", "ami-1b814f72").put("SubnetId", network.physicalId()));
    create(ctx, "Ip", "AWS::EC2::EIP", JSON.createObjectNode().put("InstanceId", vm.physicalId()));
    create(ctx, "Disk", "AWS::EC2::Volume", JSON.createObjectNode().put("Size", 2));
    create(ctx, "Sg", "AWS::EC2::SecurityGroup", JSON.createObjectNode().put("GroupDescription", "x"));
    SimulatedCloud.eventually(() -> assertThat(org.stacktician.engine.cloudstack.TaggedResources
        .findByStackName(cloud.client, "orphan")).hasSize(5));

    // No record: only what the tags say (type, id), deleted in reverse dependency order by kind.
    var found = new ArrayList<>(org.stacktician.engine.cloudstack.TaggedResources.findByStackName(cloud.client, "orphan"));
    List<String> order = List.of("AWS::EC2::EIP", "AWS::EC2::Instance", "AWS::EC2::Volume", "AWS::EC2::SecurityGroup",
        "CloudStack::Network");
    found.sort(java.util.Comparator.comparingInt(t -> order.indexOf(t.type())));
    for (var t : found) {
      assertThat(t.stackId()).isEqualTo("stack-aws-6");
      ProgressEvent e = drive(cb -> registry.handler(t.type()).orElseThrow().delete(request(ctx, t.logicalId(), t.type(),
          JSON.createObjectNode(), t.resourceId(), Map.of(), cb)));
      assertThat(e).as("delete %s (%s %s): %s", t.logicalId(), t.type(), t.resourceId(), e).isInstanceOf(ProgressEvent.Success.class);
    }
    assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_NAME, "orphan")).isEmpty();
    created.clear();
  }

  @Test
  void missingMappingsAndBadPropertiesGiveClearMessages() {
    ProviderContext ctx = stack("stack-aws-2", "bad");
    ProgressEvent e = handler("AWS::EC2::Instance").create(request(ctx, "Web", "AWS::EC2::Instance",
        JSON.createObjectNode().put("ImageId", "ami-00000000").put("InstanceType", "m1.small"), null, null, null));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> {
      assertThat(f.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(f.message()).isEqualTo("Web (AWS::EC2::Instance): ImageId 'ami-00000000' has no mapping under"
          + " 'images:' in mappings.yml and is not a template name or id in zone Sandbox-simulator");
    });
    e = handler("AWS::EC2::Instance").create(request(ctx, "Web", "AWS::EC2::Instance",
        JSON.createObjectNode().put("ImageId", "ami-1b814f72").put("InstanceType", "x9.huge"), null, null, null));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> assertThat(f.message())
        .contains("InstanceType 'x9.huge' has no mapping under 'instanceTypes:' in mappings.yml"));
    assertThat(registry.validate("AWS::EC2::Instance", JSON.createObjectNode().put("InstanceType", "m1.small")
        .put("IamInstanceProfile", "x"))).map(Object::toString).containsExactly(
        "property 'IamInstanceProfile' is not supported by AWS::EC2::Instance on CloudStack; supported: [AvailabilityZone,"
            + " ImageId, InstanceType, KeyName, SecurityGroupIds, SecurityGroups, SubnetId, Tags, UserData, Volumes]",
        "property 'ImageId' is required by AWS::EC2::Instance");
    ObjectNode sg = JSON.createObjectNode().put("GroupDescription", "x");
    sg.putArray("SecurityGroupIngress").addObject().put("IpProtocol", "gre").put("FromPort", "x");
    assertThat(registry.validate("AWS::EC2::SecurityGroup", sg)).map(Object::toString).containsExactly(
        "property 'SecurityGroupIngress[0].IpProtocol' must be tcp, udp, icmp, -1 or a protocol number, got 'gre'",
        "property 'SecurityGroupIngress[0].FromPort' must be an integer, got \"x\"");
    assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_ID, "stack-aws-2")).isEmpty();
  }

  @Test
  void perZoneMappingsWinOverGlobalOnes() {
    ProviderContext ctx = stack("stack-aws-4", "zoned");
    ObjectNode props = JSON.createObjectNode().put("ImageId", "ami-1b814f72").put("InstanceType", "m1.small")
        .put("AvailabilityZone", "Sandbox-simulator-2");
    ProgressEvent.Success vm = create(ctx, "Web", "AWS::EC2::Instance", props);
    assertThat(vm.attributes().get("templatename").asText()).isEqualTo("Ubuntu 22.04 LTS");
    assertThat(vm.attributes().get("AvailabilityZone").asText()).isEqualTo("Sandbox-simulator-2");
    deleteAll(ctx);
    assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_ID, "stack-aws-4")).isEmpty();
  }

  @Test
  void mappingFilesAreCheckedAndReadTheOriginalsKeys() {
    AwsMappings legacy = AwsMappings.parse("""
        service_offerings: { m1.small: off-1 }
        templates: { ami-1b814f72: tpl-1 }
        zoneid: zone-1
        """, "local.yml");
    assertThat(legacy.image("ami-1b814f72", "z", "n")).contains("tpl-1");
    assertThat(legacy.instanceType("m1.small", "z", "n")).contains("off-1");
    assertThat(legacy.zone()).contains("zone-1");
    AwsMappings m = AwsMappings.parse(MAPPINGS, "m.yml");
    assertThat(m.image("ami-1b814f72", "id-2", "Sandbox-simulator-2")).contains("Ubuntu 22.04 LTS");
    assertThat(m.image("ami-1b814f72", "id-1", "Sandbox-simulator")).contains("CentOS 5.6 (64-bit) no GUI (Simulator)");
    assertThat(m.image("ami-other", "id-1", "Sandbox-simulator")).isEmpty();
    assertThatThrownBy(() -> AwsMappings.parse("imagez: {}", "m.yml"))
        .hasMessageStartingWith("mapping file m.yml: unknown key 'imagez'");
    assertThatThrownBy(() -> AwsMappings.parse("images: [a, b]", "m.yml"))
        .hasMessage("mapping file m.yml: 'images' must be a mapping of names to values");
    assertThatThrownBy(() -> AwsMappings.parse("images: {ami-1: {x: y}}", "m.yml"))
        .hasMessage("mapping file m.yml: 'images.ami-1' must be a name or id");
    assertThatThrownBy(() -> AwsMappings.parse("images: [", "m.yml")).hasMessageContaining("is not valid YAML");
  }

  @Test
  void aFailureAfterTheInstanceExistsRemovesIt() {
    ProviderContext ctx = stack("stack-aws-3", "undo");
    ObjectNode vmProps = JSON.createObjectNode().put("ImageId", "ami-1b814f72");
    vmProps.putArray("Volumes").addObject().put("Device", "/dev/sdf").put("VolumeId", "00000000-0000-0000-0000-000000000001");
    ProgressEvent e = drive(c -> handler("AWS::EC2::Instance").create(request(ctx, "Web", "AWS::EC2::Instance", vmProps, null, null, c)));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f ->
        assertThat(f.message()).contains("attachVolume").endsWith("(what was created was removed)"));
    assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_ID, "stack-aws-3")).isEmpty();
  }
}
