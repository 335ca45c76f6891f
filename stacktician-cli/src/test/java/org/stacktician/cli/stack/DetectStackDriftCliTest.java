package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.drift.DriftStore;
import org.stacktician.engine.drift.ResourceDrift;
import org.stacktician.engine.drift.StackDrift;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;

/**
 * detect-stack-drift through the CLI on a real simulator: a stack just created is IN_SYNC; changes
 * made outside the stack through the simulator's CloudStack HTTP API (a machine renamed and given
 * another offering, volumes deleted, a rule added to a security group) are reported as CloudFormation
 * reports them, with NoEcho values masked, and the result is kept as the stack's last detection.
 */
class DetectStackDriftCliTest {
  private static final String SECRET = "drift-secret-2718";
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"},
                      "Secret": {"Type": "String", "NoEcho": true}},
       "Resources": {
         "Vm": {"Type": "CloudStack::VirtualMachine", "Properties": {
                "zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
                "serviceofferingid": {"Ref": "OfferingId"}, "displayname": {"Fn::Sub": "vm-${Secret}"}}},
         "Data": {"Type": "CloudStack::Volume", "Properties": {"name": "data",
                  "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web",
                 "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": "80", "ToPort": "80",
                                           "CidrIp": "0.0.0.0/0"}]}},
         "Logs": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 1}},
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}
      """;

  @TempDir Path tmp;

  @Test
  void outOfBandChangesAreDetectedAndNoEchoValuesMasked() throws Exception {
    try (CliCloud cloud = new CliCloud()) {
      Path state = tmp.resolve("state");
      Path template = Files.writeString(tmp.resolve("drift.json"), TEMPLATE);
      List<String> create = new ArrayList<>(List.of("create-stack", "web", "--template-file", template.toString(),
          "-p", "Secret=" + SECRET, "-p", "DiskOfferingId=" + cloud.idOf("listDiskOfferings", "Small", Map.of())));
      create.addAll(cloud.machineParameters());
      CliRun created = cloud.run(state, create.toArray(String[]::new));
      assertThat(created.exit()).as(created.out() + created.err()).isZero();

      assertThat(CliCloud.local(state, "describe-stacks", "web", "--output", "json").json()
          .at("/Stacks/0/DriftInformation").toString()).isEqualTo("{\"StackDriftStatus\":\"NOT_CHECKED\"}");
      JsonNode before = cloud.run(state, "detect-stack-drift", "web", "--output", "json").json();
      assertThat(before.get("StackDriftStatus").asText()).as(before.toString()).isEqualTo("IN_SYNC");
      assertThat(before.get("DetectionStatus").asText()).isEqualTo("DETECTION_COMPLETE");
      assertThat(status(before, "Vm")).isEqualTo("IN_SYNC");
      assertThat(status(before, "Data")).isEqualTo("IN_SYNC");
      assertThat(status(before, "Web")).isEqualTo("IN_SYNC");
      assertThat(status(before, "Logs")).isEqualTo("IN_SYNC");
      assertThat(status(before, "Handle")).isEqualTo("NOT_CHECKED");

      // Changes made outside the stack, through the cloud's own API.
      String vm = resource(before, "Vm").get("PhysicalResourceId").asText();
      cloud.client.call("updateVirtualMachine", Map.of("id", vm, "displayname", "renamed-by-hand"));
      cloud.client.submitAndAwait("stopVirtualMachine", Map.of("id", vm), Duration.ofSeconds(30));
      String medium = cloud.idOf("listServiceOfferings", "Medium Instance", Map.of());
      cloud.client.call("changeServiceForVirtualMachine", Map.of("id", vm, "serviceofferingid", medium));
      cloud.client.call("deleteVolume", Map.of("id", resource(before, "Data").get("PhysicalResourceId").asText()));
      cloud.client.call("deleteVolume", Map.of("id", resource(before, "Logs").get("PhysicalResourceId").asText()));
      String group = cloud.client.list("listSecurityGroups", Map.of("securitygroupname", "web-Web")).get(0)
          .path("id").asText();
      cloud.client.submitAndAwait("authorizeSecurityGroupIngress", Map.of("securitygroupid", group, "protocol", "tcp",
          "startport", "443", "endport", "443", "cidrlist", "10.0.0.0/8"), Duration.ofSeconds(30));

      CliRun detected = cloud.run(state, "detect-stack-drift", "web", "--output", "json");
      assertThat(detected.exit()).as(detected.err()).isZero();
      JsonNode after = detected.json();
      assertThat(after.get("StackDriftStatus").asText()).isEqualTo("DRIFTED");
      assertThat(after.get("DriftedStackResourceCount").asInt()).isEqualTo(4);
      assertThat(status(after, "Vm")).isEqualTo("MODIFIED");
      assertThat(resource(after, "Vm").get("PropertyDifferences").toString())
          .contains("{\"PropertyPath\":\"/displayname\",\"ExpectedValue\":\"vm-****\","
              + "\"ActualValue\":\"renamed-by-hand\",\"DifferenceType\":\"NOT_EQUAL\"}")
          .contains("\"PropertyPath\":\"/serviceofferingid\"").contains("\"ActualValue\":\"" + medium + "\"");
      assertThat(resource(after, "Vm").get("PropertyDifferences")).hasSize(2);
      assertThat(status(after, "Data")).isEqualTo("DELETED");
      assertThat(status(after, "Web")).isEqualTo("MODIFIED");
      assertThat(resource(after, "Web").get("PropertyDifferences").toString()).isEqualTo("[{\"PropertyPath\":"
          + "\"/SecurityGroupIngress/1\",\"ActualValue\":\"{\\\"IpProtocol\\\":\\\"tcp\\\",\\\"FromPort\\\":443,"
          + "\\\"ToPort\\\":443,\\\"CidrIp\\\":\\\"10.0.0.0/8\\\"}\",\"DifferenceType\":\"ADD\"}]");
      assertThat(status(after, "Handle")).isEqualTo("NOT_CHECKED");
      assertThat(status(after, "Logs")).isEqualTo("DELETED");

      // describe-stacks shows the last detection's status and when it was started.
      JsonNode described = CliCloud.local(state, "describe-stacks", "web", "--output", "json").json();
      assertThat(described.at("/Stacks/0/DriftInformation/StackDriftStatus").asText()).isEqualTo("DRIFTED");
      assertThat(described.at("/Stacks/0/DriftInformation/LastCheckTimestamp").asText())
          .isEqualTo(after.get("Timestamp").asText());

      CliRun text = cloud.run(state, "detect-stack-drift", "web");
      assertThat(text.exit()).as(text.err()).isZero();
      assertThat(text.out()).contains("Stack web: DRIFTED (4 of 5 resources drifted; DETECTION_COMPLETE")
          .contains("/displayname: NOT_EQUAL, expected vm-****, actual renamed-by-hand")
          .containsPattern("Data +CloudStack::Volume +DELETED");
      for (CliRun r : List.of(detected, text)) {
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
      }

      // The last detection is kept with the stack, for the server to answer from.
      try (EngineDatabase db = EngineDatabase.h2File(state)) {
        StackDrift last = StackEngine.lastStackDrift(new JdbiStateStore(db), new DriftStore(db), "web").orElseThrow();
        assertThat(last.stackDriftStatus()).isEqualTo(StackDrift.Status.DRIFTED);
        assertThat(last.resourceDrifts()).extracting(ResourceDrift::logicalResourceId, ResourceDrift::status)
            .contains(org.assertj.core.groups.Tuple.tuple("Data", ResourceDrift.Status.DELETED));
        assertThat(last.toString()).doesNotContain(SECRET);
      }
      byte[] file = Files.readAllBytes(state.resolve("stackmate.mv.db"));
      assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("renamed-by-hand");

      CliRun missing = cloud.run(state, "detect-stack-drift", "nope");
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).contains("error: Stack with id nope does not exist");
    }
  }

  private static JsonNode resource(JsonNode drift, String logicalId) {
    for (JsonNode r : drift.get("StackResourceDrifts")) {
      if (r.get("LogicalResourceId").asText().equals(logicalId)) {
        return r;
      }
    }
    throw new AssertionError(logicalId + " not in " + drift);
  }

  private static String status(JsonNode drift, String logicalId) {
    return resource(drift, logicalId).get("StackResourceDriftStatus").asText();
  }
}
