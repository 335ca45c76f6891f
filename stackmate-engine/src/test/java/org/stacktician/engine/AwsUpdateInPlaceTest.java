package org.stacktician.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.change.ChangeSetRecord;
import org.stacktician.engine.change.ChangeSets;
import org.stacktician.engine.change.ResourceChange;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * The {@code AWS::} handlers update in place what they declare updatable, on the real HTTP simulator: a change set
 * says {@code Replacement: False} for such a change, and executing it keeps every physical id, changes the cloud as
 * asked (offering, user data, security groups and rules, volume size and attachments, tags, an elastic IP's
 * instance) and interrupts an instance once (one stop) for all its interrupting changes.
 */
class AwsUpdateInPlaceTest extends SimulatedEngineTest {
  /** An instance in a security group with a data volume; what changes comes from parameters. */
  static final String TEMPLATE = """
      {"Parameters": {"Type": {"Type": "String", "Default": "Small Instance"},
                      "Script": {"Type": "String", "Default": "#!/bin/sh\\necho one"},
                      "Port": {"Type": "Number", "Default": 80}, "Tier": {"Type": "String", "Default": "web"},
                      "Size": {"Type": "Number", "Default": 1}, "Attach": {"Type": "String", "Default": "no"}},
       "Conditions": {"Attached": {"Fn::Equals": [{"Ref": "Attach"}, "yes"]}},
       "Resources": {
         "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"},
                  {"IpProtocol": "tcp", "FromPort": {"Ref": "Port"}, "ToPort": {"Ref": "Port"}, "CidrIp": "0.0.0.0/0"}],
                "Tags": [{"Key": "tier", "Value": {"Ref": "Tier"}}]}},
         "Other": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "other"}},
         "Disk": {"Type": "AWS::EC2::Volume", "Properties": {"Size": {"Ref": "Size"},
                  "Tags": [{"Key": "tier", "Value": {"Ref": "Tier"}}]}},
         "Web": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "Ubuntu 22.04 LTS",
                 "InstanceType": {"Ref": "Type"}, "UserData": {"Fn::Base64": {"Ref": "Script"}},
                 "SecurityGroupIds": [{"Fn::If": ["Attached", {"Fn::GetAtt": ["Other", "GroupId"]},
                                                  {"Fn::GetAtt": ["Sg", "GroupId"]}]}],
                 "Volumes": {"Fn::If": ["Attached", [{"Device": "/dev/sdf", "VolumeId": {"Ref": "Disk"}}],
                                        {"Ref": "AWS::NoValue"}]},
                 "Tags": [{"Key": "tier", "Value": {"Ref": "Tier"}}]}}}}
      """;

  /** Two instances in an isolated network and an elastic IP mapped to the one a parameter names. */
  static final String EIP_TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "OfferingId": {"Type": "String"},
                      "Target": {"Type": "String", "Default": "A"}},
       "Conditions": {"ToA": {"Fn::Equals": [{"Ref": "Target"}, "A"]}},
       "Resources": {
         "Net": {"Type": "CloudStack::Network", "Properties": {"name": "net", "displaytext": "isolated",
                 "zoneid": {"Ref": "ZoneId"}, "networkofferingid": {"Ref": "OfferingId"}}},
         "A": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "Ubuntu 22.04 LTS", "SubnetId": {"Ref": "Net"}}},
         "B": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "Ubuntu 22.04 LTS", "SubnetId": {"Ref": "Net"}}},
         "Ip": {"Type": "AWS::EC2::EIP", "Properties": {"InstanceId": {"Fn::If": ["ToA", {"Ref": "A"}, {"Ref": "B"}]},
                "Tags": [{"Key": "to", "Value": {"Ref": "Target"}}]}}}}
      """;


  private StackEngine engine() {
    return local.engine();
  }

  private StackRecord create(String name, String template, Map<String, String> params) throws Exception {
    StackRecord s = engine().createStack(CreateStackRequest.of(name, template, params));
    StackRecord done = engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    return done;
  }

  /** Creates a change set for these parameter values (the rest kept), checks it, executes it and waits. */
  private StackRecord executeChangeSet(String stack, Map<String, String> values, List<String> modified)
      throws Exception {
    Map<String, UpdateRequest.ParameterValue> given = new LinkedHashMap<>();
    engine().describeStack(stack).orElseThrow().parameters()
        .forEach(p -> given.put(p.key(), UpdateRequest.ParameterValue.parse("UsePreviousValue")));
    values.forEach((k, v) -> given.put(k, UpdateRequest.ParameterValue.parse(v)));
    ChangeSetRecord cs = engine().createChangeSet(new ChangeSets.Request(stack, "cs" + System.nanoTime(),
        new UpdateRequest(null, given), null, null));
    assertThat(cs.changeSet().changes()).as("the change set").extracting(ResourceChange::logicalResourceId)
        .containsExactlyInAnyOrderElementsOf(modified);
    assertThat(cs.changeSet().changes()).allSatisfy(c -> assertThat(c.replacement()).as(c.logicalResourceId())
        .isEqualTo(ResourceChange.Replacement.FALSE));
    StackRecord s = engine().executeChangeSet(stack, cs.changeSetName());
    StackRecord done = engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    engine().events(done.stackId(), 0).stream().filter(e -> e.status().endsWith("FAILED"))
        .forEach(e -> System.out.println("failure: " + e.logicalId() + " " + e.status() + ": " + e.statusReason()));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    return done;
  }

  private Map<String, String> physicalIds(StackRecord s) {
    Map<String, String> ids = new LinkedHashMap<>();
    engine().resources(s.stackId()).forEach(r -> ids.put(r.logicalId(), r.physicalId()));
    return ids;
  }

  private String attribute(StackRecord s, String logicalId, String name) {
    return engine().resources(s.stackId()).stream().filter(r -> r.logicalId().equals(logicalId))
        .map(ResourceRecord::attributes).findFirst().orElseThrow().get(name).asText();
  }

  private long jobs(String cmdClass) {
    return cloud.client.list("listAsyncJobs", Map.of()).stream().filter(j -> j.path("cmd").asText().endsWith(cmdClass))
        .count();
  }

  private Map<String, String> tags(String id) {
    for (int i = 0; i < 100 && cloud.simulator.inventory().pendingJobs() > 0; i++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return cloud.simulator.inventory().created().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow()
        .tags();
  }

  private List<String> ingress(String groupId) {
    List<String> rules = new ArrayList<>();
    cloud.client.list("listSecurityGroups", Map.of("id", groupId)).getFirst().path("ingressrule")
        .forEach(r -> rules.add(r.path("startport").asText() + " " + r.path("cidr").asText()));
    return rules;
  }

  @Test
  void instanceSecurityGroupAndVolumeChangeInPlaceAsTheChangeSetSays() throws Exception {
    StackRecord v1 = create("web", TEMPLATE, Map.of());
    Map<String, String> ids = physicalIds(v1);
    String vmId = ids.get("Web");
    String sgId = attribute(v1, "Sg", "GroupId");
    String otherId = attribute(v1, "Other", "GroupId");
    assertThat(ingress(sgId)).containsExactlyInAnyOrder("22 10.0.0.0/8", "80 0.0.0.0/0");
    String rule22 = cloud.client.list("listSecurityGroups", Map.of("id", sgId)).getFirst().path("ingressrule")
        .findValuesAsText("ruleid").get(0);

    StackRecord v2 = executeChangeSet("web", Map.of("Type", "Medium Instance", "Script", "#!/bin/sh\necho two",
        "Port", "443", "Tier", "front", "Size", "2"), List.of("Web", "Sg", "Disk"));

    assertThat(physicalIds(v2)).as("nothing replaced").isEqualTo(ids);
    JsonNode vm = cloud.client.list("listVirtualMachines", Map.of("id", vmId, "userdata", "true")).getFirst();
    assertThat(vm.path("serviceofferingname").asText()).isEqualTo("Medium Instance");
    assertThat(new String(Base64.getDecoder().decode(vm.path("userdata").asText()), StandardCharsets.UTF_8))
        .isEqualTo("#!/bin/sh\necho two");
    assertThat(vm.path("state").asText()).isEqualTo("Running");
    assertThat(jobs("StopVMCmd")).as("one stop for the offering and the user data").isEqualTo(1);
    assertThat(jobs("DeployVMCmd")).as("nothing created again").isEqualTo(1);
    assertThat(ingress(sgId)).as("only the rule that changed").containsExactlyInAnyOrder("22 10.0.0.0/8",
        "443 0.0.0.0/0");
    assertThat(cloud.client.list("listSecurityGroups", Map.of("id", sgId)).getFirst().path("ingressrule")
        .findValuesAsText("ruleid")).as("the unchanged rule kept").contains(rule22);
    assertThat(cloud.client.list("listVolumes", Map.of("id", ids.get("Disk"))).getFirst().path("size").asLong())
        .isEqualTo(2L << 30);
    assertThat(tags(vmId)).containsEntry("tier", "front");
    assertThat(tags(sgId)).containsEntry("tier", "front");
    assertThat(tags(ids.get("Disk"))).containsEntry("tier", "front");
    assertThat(engine().events(v2.stackId(), 0)).noneMatch(e -> e.statusReason() != null
        && e.statusReason().contains("creation of a new physical resource"));

    // The volume attached and the instance moved to the other group (a stop for the groups only).
    StackRecord v3 = executeChangeSet("web", Map.of("Attach", "yes"), List.of("Web"));
    assertThat(physicalIds(v3)).isEqualTo(ids);
    assertThat(cloud.client.list("listVolumes", Map.of("id", ids.get("Disk"))).getFirst()
        .path("virtualmachineid").asText()).isEqualTo(vmId);
    vm = cloud.client.list("listVirtualMachines", Map.of("id", vmId)).getFirst();
    assertThat(vm.path("securitygroup").findValuesAsText("id")).containsExactly(otherId);
    assertThat(vm.path("state").asText()).isEqualTo("Running");
    assertThat(jobs("StopVMCmd")).isEqualTo(2);

    // And back: detached, in the first group again.
    executeChangeSet("web", Map.of("Attach", "no"), List.of("Web"));
    assertThat(cloud.client.list("listVolumes", Map.of("id", ids.get("Disk"))).getFirst()
        .has("virtualmachineid")).isFalse();
    assertThat(cloud.client.list("listVirtualMachines", Map.of("id", vmId)).getFirst().path("securitygroup")
        .findValuesAsText("id")).containsExactly(sgId);
  }

  @Test
  void anElasticIpMovesToAnotherInstanceInPlace() throws Exception {
    Map<String, String> params = Map.of("ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()),
        "OfferingId", cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService", Map.of()));
    StackRecord v1 = create("eip", EIP_TEMPLATE, params);
    Map<String, String> ids = physicalIds(v1);
    String allocation = attribute(v1, "Ip", "AllocationId");

    StackRecord v2 = executeChangeSet("eip", Map.of("Target", "B"), List.of("Ip"));

    assertThat(physicalIds(v2)).isEqualTo(ids);
    JsonNode ip = cloud.client.list("listPublicIpAddresses", Map.of("id", allocation)).getFirst();
    assertThat(ip.path("isstaticnat").asBoolean()).isTrue();
    assertThat(ip.path("virtualmachineid").asText()).isEqualTo(ids.get("B"));
    assertThat(attribute(v2, "Ip", "InstanceId")).isEqualTo(ids.get("B"));
    assertThat(tags(allocation)).containsEntry("to", "B");
  }
}
