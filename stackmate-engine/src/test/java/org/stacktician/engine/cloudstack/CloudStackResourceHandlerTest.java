package org.stacktician.engine.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stacktician.engine.testing.SimulatedCloud.drive;
import static org.stacktician.engine.testing.SimulatedCloud.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.testing.SimulatedCloud;

/** Generated CloudStack:: handlers against the simulator over HTTP. */
class CloudStackResourceHandlerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static SimulatedCloud cloud;
  static ProviderRegistry registry;
  static String zoneId;
  static String templateId;
  static String offeringId;

  @BeforeAll
  static void start() {
    cloud = new SimulatedCloud();
    registry = ProviderRegistry.builder(cloud.base).builtIns().build();
    zoneId = cloud.idOf("listZones", "Sandbox-simulator", Map.of());
    templateId = cloud.idOf("listTemplates", "CentOS 5.6 (64-bit) no GUI (Simulator)", Map.of("templatefilter", "executable"));
    offeringId = cloud.idOf("listServiceOfferings", "Small Instance", Map.of());
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  static ResourceHandler handler(String type) {
    return registry.handler(type).orElseThrow(() -> new AssertionError(type + " is not a registered type; have "
        + registry.types().stream().filter(t -> t.startsWith("CloudStack::")).toList()));
  }

  static ProgressEvent.Success created(ProviderContext ctx, String logicalId, String type, ObjectNode props) {
    ProgressEvent e = drive(c -> handler(type).create(request(ctx, logicalId, type, props, null, null, c)));
    assertThat(e).as("create %s", logicalId).isInstanceOf(ProgressEvent.Success.class);
    return (ProgressEvent.Success) e;
  }

  static void deleted(ProviderContext ctx, String logicalId, String type, ProgressEvent.Success s) {
    ProgressEvent e = drive(c -> handler(type).delete(request(ctx, logicalId, type, JSON.createObjectNode(),
        s.physicalId(), s.attributes(), c)));
    assertThat(e).as("delete %s: %s", logicalId, e).isInstanceOf(ProgressEvent.Success.class);
  }

  @Test
  void theSampleStacksTypesAreGenerated() {
    assertThat(registry.types()).contains("CloudStack::VirtualMachine", "CloudStack::SecurityGroup",
        "CloudStack::SecurityGroupIngress", "CloudStack::SecurityGroupEgress", "CloudStack::Network",
        "CloudStack::VPC", "CloudStack::SSHKeyPair", "CloudStack::Volume", "CloudStack::IpAddress",
        "CloudStack::StaticNat");
    assertThat(registry.types()).filteredOn(t -> t.startsWith("CloudStack::"))
        .containsAll(cloud.catalog.types().keySet());
    // The original's names: its generator's (VolumeOps) and its class-name style (StackMate::CloudStackVPC).
    assertThat(registry.canonical("CloudStack::VolumeOps")).isEqualTo("CloudStack::VolumeAttachment");
    assertThat(registry.canonical("StackMate::CloudStackVPC")).isEqualTo("CloudStack::VPC");
    assertThat(registry.canonical("StackMate::CloudStackVirtualMachineOps")).isEqualTo("CloudStack::StartedVirtualMachine");
    assertThat(registry.handler("StackMate::CloudStackVirtualMachine")).containsSame(handler("CloudStack::VirtualMachine"));
    assertThat(registry.types()).contains("CloudStack::VolumeOps").doesNotContain("CloudStack::IpToNic");
  }

  @Test
  void securityGroupRulesAndAVirtualMachineCreateTagAndDeleteCleanly() {
    ProviderContext ctx = cloud.stack("stack-lamp-1", "lamp");
    ProgressEvent.Success sg = created(ctx, "WebServerSecurityGroup", "CloudStack::SecurityGroup",
        JSON.createObjectNode().put("name", "Enable HTTP access via port 80"));
    assertThat(sg.attributes().get("name").asText()).isEqualTo("lamp-Enable HTTP access via port 80");
    assertThat(sg.physicalId()).isEqualTo(sg.attributes().get("id").asText());

    ProgressEvent.Success rule = created(ctx, "SecurityGroupIngress1", "CloudStack::SecurityGroupIngress",
        JSON.createObjectNode().put("securitygroupid", sg.physicalId()).put("protocol", "tcp")
            .put("startport", "80").put("endport", 80).put("cidrlist", "0.0.0.0/0"));
    assertThat(rule.physicalId()).isNotEqualTo(sg.physicalId());

    ObjectNode vmProps = JSON.createObjectNode().put("templateid", templateId).put("serviceofferingid", offeringId)
        .put("zoneid", zoneId).put("securitygroupids", sg.physicalId()).put("userdata", "#!/bin/sh\necho hi\n")
        .put("displayname", "web");
    vmProps.putArray("tags").addObject().put("Key", "Name").put("Value", "web server");
    ProgressEvent.Success vm = created(ctx, "WebServer", "CloudStack::VirtualMachine", vmProps);
    assertThat(vm.physicalId()).isEqualTo(vm.attributes().get("id").asText());
    JsonNode ip = vm.attributes().get("nic.0.ipaddress");
    assertThat(ip.asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(vm.attributes().get("PrivateIp")).isEqualTo(ip);
    assertThat(vm.attributes().get("zoneid").asText()).isEqualTo(zoneId);
    assertThat(vm.attributes().get("nic").isArray()).isTrue();

    SimulatedCloud.eventually(() -> {
      var tagged = cloud.simulator.inventory().taggedWith(StackTags.STACK_ID, "stack-lamp-1");
      assertThat(tagged).extracting(i -> i.tags().get(StackTags.LOGICAL_ID))
          .contains("WebServer", "WebServerSecurityGroup");
      assertThat(tagged).filteredOn(i -> i.id().equals(vm.physicalId())).singleElement()
          .satisfies(i -> assertThat(i.tags()).containsEntry("Name", "web server")
              .containsEntry(StackTags.STACK_NAME, "lamp").containsEntry(StackTags.TYPE, "CloudStack::VirtualMachine"));
    });

    ProgressEvent found = handler("CloudStack::VirtualMachine").read(
        request(ctx, "WebServer", "CloudStack::VirtualMachine", JSON.createObjectNode(), null, null, null));
    assertThat(found).isInstanceOfSatisfying(ProgressEvent.Success.class, s -> {
      assertThat(s.physicalId()).isEqualTo(vm.physicalId());
      assertThat(s.attributes().get("PrivateIp")).isEqualTo(ip);
      assertThat(s.attributes()).containsKey(CloudStackResourceHandler.DELETE_CALLS_ATTRIBUTE);
    });

    deleted(ctx, "WebServer", "CloudStack::VirtualMachine", vm);
    deleted(ctx, "SecurityGroupIngress1", "CloudStack::SecurityGroupIngress", rule);
    deleted(ctx, "WebServerSecurityGroup", "CloudStack::SecurityGroup", sg);
    assertThat(cloud.simulator.inventory().created()).noneMatch(i -> i.id().equals(vm.physicalId())
        || i.id().equals(sg.physicalId()));
    assertThat(cloud.simulator.inventory().taggedWith(StackTags.STACK_ID, "stack-lamp-1")).isEmpty();

    // Deleting again finds nothing: that counts as deleted.
    deleted(ctx, "WebServerSecurityGroup", "CloudStack::SecurityGroup", sg);
    ProgressEvent notFound = handler("CloudStack::VirtualMachine").read(
        request(ctx, "Nothing", "CloudStack::VirtualMachine", JSON.createObjectNode(), null, null, null));
    assertThat(notFound).isInstanceOf(ProgressEvent.Failed.class);
  }

  @Test
  void propertiesAreCheckedBeforeAnyCallWithMessagesNamingThem() {
    ResourceHandler vm = handler("CloudStack::VirtualMachine");
    ObjectNode props = JSON.createObjectNode().put("templateid", templateId).put("startvm", "maybe")
        .put("serviceoffering", "x");
    assertThat(vm.validate(props)).map(Object::toString).contains(
        "property 'startvm' must be true or false, got \"maybe\"",
        "property 'serviceoffering' is not a parameter of deployVirtualMachine; did you mean 'serviceofferingid'?",
        "property 'zoneid' is required by deployVirtualMachine (uuid)");
    ProviderContext ctx = cloud.stack("stack-bad", "bad");
    long before = cloud.simulator.inventory().created().size();
    ProgressEvent e = vm.create(request(ctx, "Web", "CloudStack::VirtualMachine", props, null, null, null));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> assertThat(f.message())
        .startsWith("Web (CloudStack::VirtualMachine): property 'startvm' must be true or false"));
    assertThat(cloud.simulator.inventory().created()).hasSize((int) before);

    // Case-insensitive names as in the original; unresolved expressions pass validation.
    ObjectNode mixed = JSON.createObjectNode().put("TemplateId", templateId).put("ServiceOfferingId", offeringId);
    mixed.set("ZoneId", JSON.createObjectNode().put("Ref", "ZoneParameter"));
    assertThat(vm.validate(mixed)).isEmpty();
  }

  @Test
  void aFailedDeployRemovesTheVmCloudStackLeftSoTheGroupCanGo() {
    ProviderContext ctx = cloud.stack("stack-left", "left");
    ProgressEvent.Success sg = created(ctx, "Sg", "CloudStack::SecurityGroup", JSON.createObjectNode());
    cloud.simulator.knobs().faults("deployVirtualMachine", CommandFaults.failNth(1, 530));
    try {
      ObjectNode props = JSON.createObjectNode().put("templateid", templateId).put("serviceofferingid", offeringId)
          .put("zoneid", zoneId).put("securitygroupids", sg.physicalId());
      ProgressEvent e = drive(c -> handler("CloudStack::VirtualMachine").create(
          request(ctx, "Web", "CloudStack::VirtualMachine", props, null, null, c)));
      assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> assertThat(f.message())
          .startsWith("Web: deployVirtualMachine failed: ").contains("530")
          .endsWith("(what was created was removed)"));
    } finally {
      cloud.simulator.knobs().faults("deployVirtualMachine", CommandFaults.NONE);
    }
    deleted(ctx, "Sg", "CloudStack::SecurityGroup", sg);
    assertThat(cloud.simulator.inventory().created()).noneMatch(i -> i.id().equals(sg.physicalId()));
  }

  @Test
  void untaggableNamedResourcesAreFoundByTheirStackPrefixedName() {
    ProviderContext ctx = cloud.stack("stack-keys", "keys");
    ObjectNode props = JSON.createObjectNode().put("name", "deploy");
    ProgressEvent.Success key = created(ctx, "Key", "CloudStack::SSHKeyPair", props);
    assertThat(key.physicalId()).isEqualTo("keys-deploy");
    ProgressEvent found = handler("CloudStack::SSHKeyPair").read(
        request(ctx, "Key", "CloudStack::SSHKeyPair", props, null, null, null));
    assertThat(found).isInstanceOfSatisfying(ProgressEvent.Success.class,
        s -> assertThat(s.physicalId()).isEqualTo("keys-deploy"));
    deleted(ctx, "Key", "CloudStack::SSHKeyPair", key);
    assertThat(handler("CloudStack::SSHKeyPair").read(request(ctx, "Key", "CloudStack::SSHKeyPair", props, null, null, null)))
        .isInstanceOf(ProgressEvent.Failed.class);
  }

  @Test
  void successOnlyCreatesUseTheirParametersAsIdentity() {
    ProviderContext ctx = cloud.stack("stack-nat", "nat");
    ProgressEvent.Success network = created(ctx, "Net", "CloudStack::Network", JSON.createObjectNode()
        .put("name", "net").put("displaytext", "isolated").put("zoneid", zoneId)
        .put("networkofferingid", cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService", Map.of())));
    ProgressEvent.Success vm = created(ctx, "Vm", "CloudStack::VirtualMachine", JSON.createObjectNode()
        .put("templateid", templateId).put("serviceofferingid", offeringId).put("zoneid", zoneId)
        .put("networkids", network.physicalId()));
    ProgressEvent.Success ip = created(ctx, "Ip", "CloudStack::IpAddress", JSON.createObjectNode()
        .put("networkid", network.physicalId()));
    assertThat(ip.attributes().get("ipaddress").asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    // enableStaticNat answers only {"success":true}: its Ref is the address id it was given.
    ProgressEvent.Success nat = created(ctx, "Nat", "CloudStack::StaticNat", JSON.createObjectNode()
        .put("ipaddressid", ip.physicalId()).put("virtualmachineid", vm.physicalId()));
    assertThat(nat.physicalId()).isEqualTo(ip.physicalId());
    assertThat(cloud.client.list("listPublicIpAddresses", Map.of("id", ip.physicalId())).get(0)
        .path("isstaticnat").asBoolean()).isTrue();

    // A second address with a load balancer rule and its member: removeFromLoadBalancerRule needs
    // both the rule id and the VM ids, taken from the assignment's own parameters.
    ProgressEvent.Success lbIp = created(ctx, "LbIp", "CloudStack::IpAddress", JSON.createObjectNode()
        .put("networkid", network.physicalId()));
    ProgressEvent.Success rule = created(ctx, "Web", "CloudStack::LoadBalancerRule", JSON.createObjectNode()
        .put("name", "web").put("algorithm", "roundrobin").put("publicport", 80).put("privateport", 8080)
        .put("publicipid", lbIp.physicalId()));
    assertThat(rule.attributes().get("name").asText()).isEqualTo("nat-web");
    ProgressEvent.Success member = created(ctx, "Member", "CloudStack::LoadBalancerRuleAssignment", JSON.createObjectNode()
        .put("id", rule.physicalId()).put("virtualmachineids", vm.physicalId()));
    assertThat(cloud.client.list("listLoadBalancerRuleInstances", Map.of("id", rule.physicalId()))).hasSize(1);
    deleted(ctx, "Member", "CloudStack::LoadBalancerRuleAssignment", member);
    assertThat(cloud.client.list("listLoadBalancerRuleInstances", Map.of("id", rule.physicalId()))).isEmpty();
    deleted(ctx, "Web", "CloudStack::LoadBalancerRule", rule);
    deleted(ctx, "LbIp", "CloudStack::IpAddress", lbIp);

    deleted(ctx, "Nat", "CloudStack::StaticNat", nat);
    assertThat(cloud.client.list("listPublicIpAddresses", Map.of("id", ip.physicalId())).get(0)
        .path("isstaticnat").asBoolean()).isFalse();
    deleted(ctx, "Ip", "CloudStack::IpAddress", ip);
    deleted(ctx, "Vm", "CloudStack::VirtualMachine", vm);
    deleted(ctx, "Net", "CloudStack::Network", network);
    assertThat(cloud.simulator.inventory().created()).noneMatch(i -> List.of(network.physicalId(), vm.physicalId(),
        ip.physicalId()).contains(i.id()));
  }

  @Test
  void aVmWhoseDeployAnswerWasLostIsFoundByItsHostNameBeforeItIsTagged() {
    ProviderContext ctx = cloud.stack("stack-lost", "lost");
    // What a deploy sent by this handler leaves when the process dies before recording anything.
    String id = cloud.client.submit("deployVirtualMachine", Map.of("templateid", templateId,
        "serviceofferingid", offeringId, "zoneid", zoneId, "name", "lost-Web")).resourceId();
    SimulatedCloud.eventually(() -> assertThat(handler("CloudStack::VirtualMachine").read(request(ctx, "Web",
        "CloudStack::VirtualMachine", JSON.createObjectNode(), null, null, null)))
        .isInstanceOfSatisfying(ProgressEvent.Success.class, s -> assertThat(s.physicalId()).isEqualTo(id)));
    SimulatedCloud.eventually(() -> assertThat(registry.handler("AWS::EC2::Instance").orElseThrow().read(request(ctx, "Web",
        "AWS::EC2::Instance", JSON.createObjectNode(), null, null, null)))
        .isInstanceOfSatisfying(ProgressEvent.Success.class, s -> assertThat(s.physicalId()).isEqualTo(id)));
    ProgressEvent.Success found = (ProgressEvent.Success) handler("CloudStack::VirtualMachine").read(request(ctx, "Web",
        "CloudStack::VirtualMachine", JSON.createObjectNode(), null, null, null));
    deleted(ctx, "Web", "CloudStack::VirtualMachine", found);
  }

  @Test
  void aNetworkAclItemWhoseCreateAnswerWasLostIsFoundByWhatItIsOnItsTierAndNeverOnAGuess() {
    ProviderContext ctx = cloud.stack("stack-acl", "acl");
    ProgressEvent.Success vpc = created(ctx, "Vpc", "CloudStack::VPC", JSON.createObjectNode().put("name", "vpc")
        .put("displaytext", "vpc").put("cidr", "10.0.0.0/16").put("zoneid", zoneId)
        .put("vpcofferingid", cloud.idOf("listVPCOfferings", "Default VPC offering", Map.of())));
    String tierOffering = cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingForVpcNetworks", Map.of());
    List<ProgressEvent.Success> tierResources = new java.util.ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      tierResources.add(created(ctx, "Tier" + i, "CloudStack::Network", JSON.createObjectNode().put("name", "tier" + i)
          .put("displaytext", "tier").put("vpcid", vpc.physicalId()).put("gateway", "10.0." + i + ".1")
          .put("netmask", "255.255.255.0").put("networkofferingid", tierOffering).put("zoneid", zoneId)));
    }
    List<String> tiers = tierResources.stream().map(ProgressEvent.Success::physicalId).toList();
    // What createNetworkACL calls whose answers were lost leave: untagged items (listed with protocol "all").
    java.util.function.Function<String, String> lostItem = tier -> cloud.client.submit("createNetworkACL",
        Map.of("networkid", tier, "protocol", "ALL")).resourceId();
    String lost = lostItem.apply(tiers.get(0));
    lostItem.apply(tiers.get(1));
    lostItem.apply(tiers.get(1));

    ObjectNode onTier1 = JSON.createObjectNode().put("networkid", tiers.get(0)).put("protocol", "ALL");
    ProgressEvent found = handler("CloudStack::NetworkACL").read(request(ctx, "Acl", "CloudStack::NetworkACL", onTier1,
        null, null, null));
    assertThat(found).as("the one untagged item of its tier").isInstanceOfSatisfying(ProgressEvent.Success.class,
        s -> assertThat(s.physicalId()).isEqualTo(lost));
    ObjectNode tcpOnTier1 = onTier1.deepCopy().put("protocol", "tcp").put("startport", 22).put("endport", 22);
    assertThat(handler("CloudStack::NetworkACL").read(request(ctx, "Ssh", "CloudStack::NetworkACL", tcpOnTier1, null,
        null, null))).as("not an item of another protocol").isInstanceOfSatisfying(ProgressEvent.Failed.class,
            f -> assertThat(f.code()).isEqualTo(org.stacktician.engine.provider.ErrorCode.NOT_FOUND));
    ObjectNode onTier2 = onTier1.deepCopy().put("networkid", tiers.get(1));
    assertThat(handler("CloudStack::NetworkACL").read(request(ctx, "Acl2", "CloudStack::NetworkACL", onTier2, null,
        null, null))).as("two alike: neither is taken").isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> {
          assertThat(f.code()).isNotEqualTo(org.stacktician.engine.provider.ErrorCode.NOT_FOUND);
          assertThat(f.message()).contains("2 untagged CloudStack::NetworkACL resources");
        });

    for (JsonNode item : cloud.client.list("listNetworkACLs", Map.of("listall", "true"))) {
      cloud.client.await(cloud.client.submit("deleteNetworkACL", Map.of("id", item.path("id").asText())),
          java.time.Duration.ofSeconds(30));
    }
    for (int i = 0; i < 2; i++) {
      deleted(ctx, "Tier" + (i + 1), "CloudStack::Network", tierResources.get(i));
    }
    deleted(ctx, "Vpc", "CloudStack::VPC", vpc);
  }

  @Test
  void aFailedJobReportsCloudStacksError() {
    ProviderContext ctx = cloud.stack("stack-fail", "fail");
    ObjectNode props = JSON.createObjectNode().put("templateid", "00000000-0000-0000-0000-000000000000")
        .put("serviceofferingid", offeringId).put("zoneid", zoneId);
    ProgressEvent e = drive(c -> handler("CloudStack::VirtualMachine").create(
        request(ctx, "Web", "CloudStack::VirtualMachine", props, null, null, c)));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> assertThat(f.message())
        .startsWith("Web: deployVirtualMachine failed: ").contains("CloudStack error 431"));
  }
}
