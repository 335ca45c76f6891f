package org.stacktician.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * Drift of network resources read back through the simulator's CloudStack API: a network, an IP
 * address, a firewall rule and a security-group rule are in sync after their create; rules removed
 * outside the stack are DELETED; a read that the cloud fails leaves its resource NOT_CHECKED and the
 * detection DETECTION_FAILED.
 */
class DriftDetectionTest extends SimulatedEngineTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "OfferingId": {"Type": "String"}},
       "Resources": {
         "Net": {"Type": "CloudStack::Network", "Properties": {"name": "net", "displaytext": "isolated",
                 "zoneid": {"Ref": "ZoneId"}, "networkofferingid": {"Ref": "OfferingId"}}},
         "Ip": {"Type": "CloudStack::IpAddress", "Properties": {"networkid": {"Ref": "Net"}}},
         "Fw": {"Type": "CloudStack::FirewallRule", "Properties": {"ipaddressid": {"Ref": "Ip"},
                "protocol": "tcp", "startport": 22, "endport": 22, "cidrlist": "10.0.0.0/8"}},
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": "sg", "description": "ssh"}},
         "Ssh": {"Type": "CloudStack::SecurityGroupIngress", "Properties": {"securitygroupid": {"Ref": "Sg"},
                 "protocol": "tcp", "startport": 22, "endport": 22, "cidrlist": "0.0.0.0/0"}}}}
      """;

  private static Map<String, ResourceDrift.Status> statuses(StackDrift drift) {
    return drift.resourceDrifts().stream().collect(Collectors.toMap(ResourceDrift::logicalResourceId,
        ResourceDrift::status));
  }

  @Test
  void networkResourcesAreReadBackAndRulesRemovedOutsideTheStackAreDeleted() throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of("net", TEMPLATE, Map.of(
        "ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()),
        "OfferingId", cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService",
            Map.of()))));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);

    StackDrift fresh = local.engine().detectStackDrift("net");
    assertThat(fresh.stackDriftStatus()).as(fresh.toString()).isEqualTo(StackDrift.Status.IN_SYNC);
    assertThat(statuses(fresh)).containsOnly(Map.entry("Net", ResourceDrift.Status.IN_SYNC),
        Map.entry("Ip", ResourceDrift.Status.IN_SYNC), Map.entry("Fw", ResourceDrift.Status.IN_SYNC),
        Map.entry("Sg", ResourceDrift.Status.IN_SYNC), Map.entry("Ssh", ResourceDrift.Status.IN_SYNC));

    String fw = physicalId(fresh, "Fw");
    cloud.client.submitAndAwait("deleteFirewallRule", Map.of("id", fw), Duration.ofSeconds(30));
    cloud.client.submitAndAwait("revokeSecurityGroupIngress", Map.of("id", physicalId(fresh, "Ssh")),
        Duration.ofSeconds(30));
    StackDrift after = local.engine().detectStackDrift("net");
    assertThat(after.stackDriftStatus()).isEqualTo(StackDrift.Status.DRIFTED);
    assertThat(statuses(after)).containsEntry("Fw", ResourceDrift.Status.DELETED)
        .containsEntry("Ssh", ResourceDrift.Status.DELETED).containsEntry("Net", ResourceDrift.Status.IN_SYNC)
        .containsEntry("Ip", ResourceDrift.Status.IN_SYNC).containsEntry("Sg", ResourceDrift.Status.IN_SYNC);

    cloud.simulator.knobs().faults("listNetworks", CommandFaults.failNth(1, 530));
    StackDrift failed = local.engine().detectStackDrift("net");
    assertThat(failed.detectionStatus()).isEqualTo(StackDrift.DetectionStatus.DETECTION_FAILED);
    assertThat(failed.detectionStatusReason()).contains("[Net]");
    ResourceDrift net = failed.resourceDrifts().stream().filter(r -> r.logicalResourceId().equals("Net")).findFirst()
        .orElseThrow();
    assertThat(net.status()).isEqualTo(ResourceDrift.Status.NOT_CHECKED);
    assertThat(net.reason()).startsWith("reading it failed: ");
    assertThat(statuses(failed)).containsEntry("Fw", ResourceDrift.Status.DELETED);
    assertThat(local.engine().lastStackDrift("net").orElseThrow().detectionId()).isEqualTo(failed.detectionId());
  }

  @Test
  void aCloudStackResourcesTagsAreReadBackInTheTemplatesShape() throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of("vol", """
        {"Parameters": {"ZoneId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"}},
         "Resources": {"Data": {"Type": "CloudStack::Volume", "Properties": {"name": "data",
           "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"},
           "tags": [{"Key": "tier", "Value": "db"}, {"Key": "env", "Value": "prod"}]}}}}""",
        cloud.volumeParameters()));
    assertThat(local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60)).status())
        .isEqualTo(StackStatus.CREATE_COMPLETE);
    SimulatedCloud.eventually(() -> assertThat(cloud.simulator.inventory().pendingJobs()).isZero());
    StackDrift fresh = local.engine().detectStackDrift("vol");
    assertThat(fresh.stackDriftStatus()).as(fresh.toString()).isEqualTo(StackDrift.Status.IN_SYNC);

    String volume = physicalId(fresh, "Data");
    cloud.client.submitAndAwait("deleteTags", Map.of("resourceids", volume, "resourcetype", "Volume",
        "tags[0].key", "env"), Duration.ofSeconds(30));
    cloud.client.submitAndAwait("createTags", Map.of("resourceids", volume, "resourcetype", "Volume",
        "tags[0].key", "env", "tags[0].value", "test"), Duration.ofSeconds(30));

    ResourceDrift data = local.engine().detectStackDrift("vol").resourceDrifts().getFirst();
    assertThat(data.status()).isEqualTo(ResourceDrift.Status.MODIFIED);
    assertThat(data.propertyDifferences()).containsExactly(new PropertyDifference("/tags/1/Value", "prod", "test",
        PropertyDifference.Type.NOT_EQUAL));
  }

  private static String physicalId(StackDrift drift, String logicalId) {
    return drift.resourceDrifts().stream().filter(r -> r.logicalResourceId().equals(logicalId)).findFirst()
        .orElseThrow().physicalResourceId();
  }
}
