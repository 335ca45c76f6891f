package org.stacktician.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * Drift of the {@code AWS::EC2::} types and of nested stacks, read back through the simulator's CloudStack API over
 * HTTP: everything is in sync after its create; changes made outside the stack through the CloudStack API (an
 * instance's offering, user data and tags, a volume detached, a key pair deleted, a tag added, an address's static NAT
 * moved) show as CloudFormation shows them, with property paths into lists ({@code /Tags/0/Value}); the stack's and
 * resources' DriftInformation follow the last detection, which is DETECTION_IN_PROGRESS while it runs.
 */
class AwsDriftTest {
  static final String TEMPLATE = """
      {"Resources": {
         "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}],
                "Tags": [{"Key": "tier", "Value": "web"}]}},
         "Key": {"Type": "AWS::EC2::KeyPair", "Properties": {"KeyName": {"Fn::Sub": "${AWS::StackName}-key"}}},
         "Disk": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 1, "Tags": [{"Key": "tier", "Value": "web"}]}},
         "Web": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "Ubuntu 22.04 LTS",
                 "InstanceType": "Small Instance", "KeyName": {"Ref": "Key"},
                 "SecurityGroupIds": [{"Fn::GetAtt": ["Sg", "GroupId"]}],
                 "UserData": {"Fn::Base64": "#!/bin/sh\\necho hello"},
                 "Tags": [{"Key": "tier", "Value": "web"}, {"Key": "env", "Value": "prod"}]}},
         "Att": {"Type": "AWS::EC2::VolumeAttachment", "Properties": {"InstanceId": {"Ref": "Web"},
                 "VolumeId": {"Ref": "Disk"}, "Device": "/dev/sdf"}}}}
      """;

  /** An isolated network with two instances and an address mapped to one, as a nested stack. */
  static final String CHILD = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "OfferingId": {"Type": "String"}},
       "Resources": {
         "Net": {"Type": "CloudStack::Network", "Properties": {"name": "net", "displaytext": "isolated",
                 "zoneid": {"Ref": "ZoneId"}, "networkofferingid": {"Ref": "OfferingId"}}},
         "A": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "Ubuntu 22.04 LTS", "SubnetId": {"Ref": "Net"}}},
         "B": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "Ubuntu 22.04 LTS", "SubnetId": {"Ref": "Net"}}},
         "Ip": {"Type": "AWS::EC2::EIP", "Properties": {"InstanceId": {"Ref": "A"}}}}}
      """;

  @TempDir Path tmp;
  SimulatedCloud cloud;
  LocalEngine local;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud();
    local = cloud.engine(tmp.resolve("state"));
  }

  @AfterEach
  void stop() {
    local.close();
    cloud.close();
  }

  private StackRecord create(String name, String template, Map<String, String> params) throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of(name, template, params));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(90));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    return done;
  }

  private static Map<String, ResourceDrift> byId(StackDrift drift) {
    return drift.resourceDrifts().stream().collect(Collectors.toMap(ResourceDrift::logicalResourceId, d -> d));
  }

  private String physicalId(StackRecord s, String logicalId) {
    return local.engine().resources(s.stackId()).stream().filter(r -> r.logicalId().equals(logicalId)).findFirst()
        .orElseThrow().physicalId();
  }

  private void await(String api, Map<String, String> params) {
    cloud.client.submitAndAwait(api, params, Duration.ofSeconds(30));
  }

  @Test
  void ec2ResourcesReadBackInSyncAndShowOutOfBandChanges() throws Exception {
    StackRecord s = create("web", TEMPLATE, Map.of());
    assertThat(local.engine().driftInformation(s.stackId())).isEqualTo(DriftInformation.NOT_CHECKED);
    SimulatedCloud.eventually(() -> assertThat(cloud.simulator.inventory().pendingJobs()).isZero());

    StackDrift fresh = local.engine().detectStackDrift("web");
    assertThat(fresh.stackDriftStatus()).as(fresh.toString()).isEqualTo(StackDrift.Status.IN_SYNC);
    assertThat(byId(fresh).values()).extracting(ResourceDrift::status).containsOnly(ResourceDrift.Status.IN_SYNC)
        .hasSize(5);

    String vm = physicalId(s, "Web");
    String disk = physicalId(s, "Disk");
    await("stopVirtualMachine", Map.of("id", vm));
    cloud.client.call("changeServiceForVirtualMachine", Map.of("id", vm, "serviceofferingid",
        cloud.idOf("listServiceOfferings", "Medium Instance", Map.of())));
    cloud.client.call("updateVirtualMachine", Map.of("id", vm, "userdata",
        java.util.Base64.getEncoder().encodeToString("#!/bin/sh\necho changed".getBytes())));
    await("startVirtualMachine", Map.of("id", vm));
    await("deleteTags", Map.of("resourceids", vm, "resourcetype", "UserVm", "tags[0].key", "tier"));
    await("createTags", Map.of("resourceids", vm, "resourcetype", "UserVm", "tags[0].key", "tier",
        "tags[0].value", "front"));
    await("createTags", Map.of("resourceids", disk, "resourcetype", "Volume", "tags[0].key", "extra",
        "tags[0].value", "x"));
    await("detachVolume", Map.of("id", disk));
    cloud.client.call("deleteSSHKeyPair", Map.of("name", physicalId(s, "Key")));

    StackDrift after = local.engine().detectStackDrift("web");

    assertThat(after.stackDriftStatus()).isEqualTo(StackDrift.Status.DRIFTED);
    Map<String, ResourceDrift> d = byId(after);
    assertThat(d.get("Att").status()).isEqualTo(ResourceDrift.Status.DELETED);
    assertThat(d.get("Key").status()).isEqualTo(ResourceDrift.Status.DELETED);
    assertThat(d.get("Sg").status()).isEqualTo(ResourceDrift.Status.IN_SYNC);
    assertThat(d.get("Web").propertyDifferences()).containsExactlyInAnyOrder(
        new PropertyDifference("/InstanceType", "Small Instance", "Medium Instance", PropertyDifference.Type.NOT_EQUAL),
        new PropertyDifference("/UserData", java.util.Base64.getEncoder().encodeToString(
            "#!/bin/sh\necho hello".getBytes()), java.util.Base64.getEncoder().encodeToString(
                "#!/bin/sh\necho changed".getBytes()), PropertyDifference.Type.NOT_EQUAL),
        new PropertyDifference("/Tags/0/Value", "web", "front", PropertyDifference.Type.NOT_EQUAL));
    assertThat(d.get("Disk").propertyDifferences()).containsExactly(
        new PropertyDifference("/Tags/1", null, "{\"Key\":\"extra\",\"Value\":\"x\"}", PropertyDifference.Type.ADD));

    DriftInformation info = local.engine().driftInformation(s.stackId());
    assertThat(info.driftStatus()).isEqualTo("DRIFTED");
    assertThat(info.lastCheckTimestamp()).isEqualTo(after.detectedAt());
    assertThat(local.engine().resourceDriftInformation(s.stackId())).containsEntry("Att",
        new DriftInformation("DELETED", after.detectedAt())).containsEntry("Web",
        new DriftInformation("MODIFIED", after.detectedAt())).containsEntry("Sg",
        new DriftInformation("IN_SYNC", after.detectedAt()));
  }

  @Test
  void aNestedStacksDriftIsItsResourcesAndAnAddressMovedOutsideTheStackIsModified() throws Exception {
    Path child = Files.writeString(tmp.resolve("child.json"), CHILD);
    String parent = """
        {"Parameters": {"ZoneId": {"Type": "String"}, "OfferingId": {"Type": "String"}},
         "Resources": {"Inner": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "%s",
           "Parameters": {"ZoneId": {"Ref": "ZoneId"}, "OfferingId": {"Ref": "OfferingId"}}}}}}
        """.formatted(child.toUri());
    StackRecord s = create("outer", parent, Map.of("ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()),
        "OfferingId", cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService",
            Map.of())));
    String childId = physicalId(s, "Inner");
    SimulatedCloud.eventually(() -> assertThat(cloud.simulator.inventory().pendingJobs()).isZero());

    StackDrift fresh = local.engine().detectStackDrift("outer");
    assertThat(fresh.stackDriftStatus()).as(fresh.toString()).isEqualTo(StackDrift.Status.IN_SYNC);
    assertThat(local.engine().lastStackDrift(childId).orElseThrow().stackDriftStatus())
        .as("the nested stack's own detection is kept").isEqualTo(StackDrift.Status.IN_SYNC);

    String ip = local.engine().resources(childId).stream().filter(r -> r.logicalId().equals("Ip")).findFirst()
        .orElseThrow().attributes().get("AllocationId").asText();
    String b = physicalId(local.engine().describeStack(childId).orElseThrow(), "B");
    await("disableStaticNat", Map.of("ipaddressid", ip));
    cloud.client.call("enableStaticNat", Map.of("ipaddressid", ip, "virtualmachineid", b));

    StackDrift after = local.engine().detectStackDrift("outer");

    assertThat(after.stackDriftStatus()).isEqualTo(StackDrift.Status.DRIFTED);
    ResourceDrift inner = byId(after).get("Inner");
    assertThat(inner.status()).isEqualTo(ResourceDrift.Status.MODIFIED);
    assertThat(inner.propertyDifferences()).singleElement().satisfies(p -> {
      assertThat(p.propertyPath()).isEqualTo("/Ip/InstanceId");
      assertThat(p.actualValue()).isEqualTo(b);
      assertThat(p.differenceType()).isEqualTo(PropertyDifference.Type.NOT_EQUAL);
    });
    StackDrift own = local.engine().lastStackDrift(childId).orElseThrow();
    assertThat(byId(own).get("Ip").status()).isEqualTo(ResourceDrift.Status.MODIFIED);
    assertThat(local.engine().driftInformation(childId).driftStatus()).isEqualTo("DRIFTED");
  }

  @Test
  void aDetectionIsInProgressUntilItEndsOneAtATimeAndOneLeftByAStoppedProcessFails() throws Exception {
    StackRecord s = create("key", """
        {"Resources": {"Key": {"Type": "AWS::EC2::KeyPair", "Properties": {"KeyName": "k1"}}}}""", Map.of());

    StackDrift started = local.engine().startStackDriftDetection("key");
    assertThat(started.detectionStatus()).isEqualTo(StackDrift.DetectionStatus.DETECTION_IN_PROGRESS);
    assertThat(started.stackDriftStatus()).isEqualTo(StackDrift.Status.NOT_CHECKED);
    SimulatedCloud.eventually(() -> assertThat(local.engine().lastStackDrift("key").orElseThrow().detectionStatus())
        .isEqualTo(StackDrift.DetectionStatus.DETECTION_COMPLETE));
    StackDrift done = local.engine().lastStackDrift("key").orElseThrow();
    assertThat(done.detectionId()).isEqualTo(started.detectionId());
    assertThat(done.stackDriftStatus()).isEqualTo(StackDrift.Status.IN_SYNC);

    // A detection recorded in progress: the next one is refused; 15 minutes later it counts as failed.
    var db = org.stacktician.engine.state.EngineDatabase.open("jdbc:h2:mem:drift" + System.nanoTime()
        + ";DB_CLOSE_DELAY=-1", "sa", "", 2, true);
    try (db) {
      DriftStore store = new DriftStore(db);
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      DriftDetections now = new DriftDetections(store, java.time.Clock.fixed(t0, java.time.ZoneOffset.UTC));
      StackDrift running = now.begin(s);
      assertThat(now.information(s.stackId(), "key")).isEqualTo(new DriftInformation("NOT_CHECKED", t0));
      assertThatThrownBy(() -> now.begin(s)).isInstanceOf(StackOperationException.class)
          .hasMessageContaining("in progress already").hasMessageContaining(running.detectionId());
      DriftDetections later = new DriftDetections(store, java.time.Clock.fixed(t0.plus(Duration.ofMinutes(16)),
          java.time.ZoneOffset.UTC));
      StackDrift stale = later.last(s.stackId(), "key").orElseThrow();
      assertThat(stale.detectionStatus()).isEqualTo(StackDrift.DetectionStatus.DETECTION_FAILED);
      assertThat(stale.detectionStatusReason()).contains("did not finish");
      assertThat(store.information(List.of(s.stackId(), "other"))).containsOnlyKeys(s.stackId());
    }
  }

  /** A detection runs on the scheduler: one an engine recorded and stopped before running, another engine finishes. */
  @Test
  void aDetectionLeftByAnEngineThatStoppedIsFinishedByAnotherOnTheDatabase() throws Exception {
    create("key", """
        {"Resources": {"Key": {"Type": "AWS::EC2::KeyPair", "Properties": {"KeyName": "k1"}}}}""", Map.of());
    local.close();
    StackDrift started;
    // never started: its scheduler runs nothing, as a process stopped right after it answered DetectStackDrift
    try (org.stacktician.engine.StackEngine stopped = org.stacktician.engine.StackEngine.builder()
        .database(org.stacktician.engine.state.EngineDatabase.h2File(tmp.resolve("state")))
        .providerContext(cloud.base).build()) {
      started = stopped.startStackDriftDetection("key");
      assertThat(started.detectionStatus()).isEqualTo(StackDrift.DetectionStatus.DETECTION_IN_PROGRESS);
      assertThatThrownBy(() -> stopped.startStackDriftDetection("key")).isInstanceOf(StackOperationException.class)
          .hasMessageContaining("in progress already");
    }
    // nothing ran it in the stopped process: it waits in the database
    try (var db = org.stacktician.engine.state.EngineDatabase.h2File(tmp.resolve("state"))) {
      assertThat(new DriftStore(db).last(started.stackId(), "key").orElseThrow().detectionStatus())
          .isEqualTo(StackDrift.DetectionStatus.DETECTION_IN_PROGRESS);
    }
    local = cloud.engine(tmp.resolve("state"));
    SimulatedCloud.eventually(() -> assertThat(local.engine().lastStackDrift("key").orElseThrow().detectionStatus())
        .isEqualTo(StackDrift.DetectionStatus.DETECTION_COMPLETE));
    StackDrift done = local.engine().lastStackDrift("key").orElseThrow();
    assertThat(done.detectionId()).isEqualTo(started.detectionId());
    assertThat(done.stackDriftStatus()).isEqualTo(StackDrift.Status.IN_SYNC);
    assertThat(done.resourceDrifts()).extracting(ResourceDrift::logicalResourceId).containsExactly("Key");
  }

  @Test
  void customResourcesAreNotChecked() {
    var handler = local.engine().registry().handler("Custom::Thing").orElseThrow();
    var state = handler.readActual(null);
    assertThat(state).isInstanceOfSatisfying(org.stacktician.engine.provider.ActualState.NotChecked.class,
        n -> assertThat(n.reason()).contains("custom resources are not checked for drift"));
  }
}
