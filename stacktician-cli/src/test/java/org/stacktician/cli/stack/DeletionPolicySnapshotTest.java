package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;

/**
 * {@code DeletionPolicy: Snapshot} (and Retain, by tags) through the CLI, checked through the CloudStack API of a real
 * simulator.
 */
class DeletionPolicySnapshotTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"}},
       "Resources": {
         "Vm": {"Type": "CloudStack::VirtualMachine", "Properties": {"zoneid": {"Ref": "ZoneId"},
                "templateid": {"Ref": "TemplateId"}, "serviceofferingid": {"Ref": "OfferingId"}}},
         "Data": {"Type": "CloudStack::Volume", "DeletionPolicy": "Snapshot", "Properties": {"name": "data",
                  "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}},
         "Attach": {"Type": "CloudStack::VolumeAttachment", "Properties": {"id": {"Ref": "Data"},
                    "virtualmachineid": {"Ref": "Vm"}}},
         "Spare": {"Type": "AWS::EC2::Volume", "DeletionPolicy": "Snapshot", "Properties": {"Size": 1}}}}
      """;

  @TempDir Path tmp;
  CliCloud cloud;
  CloudStackClient client;

  @BeforeEach
  void start() {
    cloud = new CliCloud();
    client = cloud.client;
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private List<String> parameters() {
    List<String> p = new ArrayList<>(cloud.machineParameters());
    p.addAll(List.of("-p", "DiskOfferingId=" + cloud.idOf("listDiskOfferings", "Small", Map.of())));
    return p;
  }

  @Test
  void aVolumeIsSnapshottedBeforeItIsDeletedAndTheSnapshotIsKept() throws Exception {
    Path template = Files.writeString(tmp.resolve("disk.json"), TEMPLATE);
    Path state = tmp.resolve("state");
    List<String> create = new ArrayList<>(List.of("create-stack", "disks", "--template-file", template.toString()));
    create.addAll(parameters());
    CliRun created = cloud.run(state, create.toArray(String[]::new));
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    String dataVolume = client.list("listVolumes", Map.of("name", "disks-data")).stream().findFirst()
        .or(() -> client.list("listVolumes", Map.of("type", "DATADISK")).stream()
            .filter(v -> v.hasNonNull("virtualmachineid")).findFirst())
        .orElseThrow().path("id").asText();

    CliRun deleted = cloud.run(state, "delete-stack", "disks");
    assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();

    List<JsonNode> snapshots = client.list("listSnapshots", Map.of());
    assertThat(snapshots).as("one snapshot, of the attached volume, kept after the stack is gone").hasSize(1);
    JsonNode snapshot = snapshots.get(0);
    assertThat(snapshot.path("volumeid").asText()).isEqualTo(dataVolume);
    assertThat(snapshot.path("state").asText()).isEqualTo("BackedUp");
    assertThat(snapshot.toString()).contains("stacktician:snapshot-of-stack").contains("disks");
    assertThat(client.list("listVolumes", Map.of("type", "DATADISK"))).as("the volumes themselves are deleted").isEmpty();

    String stackId = CliCloud.newestStackId(state); // a deleted stack is found by its id
    JsonNode events = CliCloud.local(state, "describe-stack-events", stackId, "--output", "json").json()
        .get("StackEvents");
    assertThat(events.toString()).contains("Snapshot " + snapshot.path("id").asText() + " of volume " + dataVolume
        + " was taken before the delete (DeletionPolicy: Snapshot) and is kept")
        .contains("No snapshot taken (DeletionPolicy: Snapshot)").contains("was never attached to a machine");

    // A later delete of a namesake by its tags does not take the kept snapshot either.
    CliRun again = cloud.run(tmp.resolve("other"), "delete-stack", "disks", "--by-tags");
    assertThat(client.list("listSnapshots", Map.of())).as(again.out() + again.err()).hasSize(1);
  }

  @Test
  void aDeleteRunAgainAfterItFailedKeepsTheSnapshotItTookAndTakesNoOther() throws Exception {
    Path template = Files.writeString(tmp.resolve("disk.json"), TEMPLATE);
    Path state = tmp.resolve("state");
    List<String> create = new ArrayList<>(List.of("create-stack", "disks", "--template-file", template.toString()));
    create.addAll(parameters());
    CliRun created = cloud.run(state, create.toArray(String[]::new));
    assertThat(created.exit()).as(created.out() + created.err()).isZero();

    cloud.simulator.knobs().faults("deleteVolume", new CommandFaults(1.0, 431, null, null, null, null, null, null));
    CliRun failed = cloud.run(state, "delete-stack", "disks");
    assertThat(failed.exit()).as(failed.out() + failed.err()).isNotZero();
    assertThat(failed.out() + failed.err()).contains("DELETE_FAILED");
    List<JsonNode> first = client.list("listSnapshots", Map.of());
    assertThat(first).as("the snapshot taken before the failed volume delete").hasSize(1);

    cloud.simulator.knobs().reset();
    CliRun deleted = cloud.run(state, "delete-stack", "disks");
    assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();
    List<JsonNode> after = client.list("listSnapshots", Map.of());
    assertThat(after).as("the second attempt found the first one's snapshot").extracting(n -> n.path("id").asText())
        .containsExactly(first.get(0).path("id").asText());
    assertThat(client.list("listVolumes", Map.of("type", "DATADISK"))).isEmpty();
    String stackId = CliCloud.newestStackId(state);
    JsonNode events = CliCloud.local(state, "describe-stack-events", stackId, "--output", "json").json()
        .get("StackEvents");
    assertThat(events.toString()).contains("Snapshot " + first.get(0).path("id").asText() + " of volume "
        + first.get(0).path("volumeid").asText() + " was taken before the delete (DeletionPolicy: Snapshot) and is kept");
  }

  @Test
  void aDeleteByTagsReadsEachPolicyFromTheTagsSoRetainKeepsAndSnapshotSnapshots() throws Exception {
    Path template = Files.writeString(tmp.resolve("disk.json"), TEMPLATE.replace("\"Resources\": {", """
        "Resources": {
          "Kept": {"Type": "CloudStack::SecurityGroup", "DeletionPolicy": "Retain", "Properties": {"name": "kept"}},
          "Gone": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": "gone"}},"""));
    List<String> create = new ArrayList<>(List.of("create-stack", "disks", "--template-file", template.toString()));
    create.addAll(parameters());
    CliRun created = cloud.run(tmp.resolve("a"), create.toArray(String[]::new));
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    String dataVolume = client.list("listVolumes", Map.of("type", "DATADISK")).stream()
        .filter(v -> v.hasNonNull("virtualmachineid")).findFirst().orElseThrow().path("id").asText();

    // No record here: only the tags in the cloud say what each resource's policy is.
    CliRun deleted = cloud.run(tmp.resolve("b"), "delete-stack", "disks", "--by-tags");
    assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();
    assertThat(deleted.out()).contains("Stack disks: DELETE_COMPLETE")
        .containsPattern("Kept +CloudStack::SecurityGroup +DELETE_SKIPPED +Retained \\(DeletionPolicy: Retain\\)");

    assertThat(client.list("listSecurityGroups", Map.of())).as(deleted.out()).extracting(g -> g.path("name").asText())
        .containsExactlyInAnyOrder("default", "disks-kept");
    assertThat(client.list("listVirtualMachines", Map.of())).as(deleted.out()).isEmpty();
    assertThat(client.list("listVolumes", Map.of("type", "DATADISK"))).as(deleted.out()).isEmpty();
    List<JsonNode> snapshots = client.list("listSnapshots", Map.of());
    assertThat(snapshots).as(deleted.out()).singleElement()
        .satisfies(s -> assertThat(s.path("volumeid").asText()).isEqualTo(dataVolume));
    assertThat(deleted.out()).contains("Snapshot " + snapshots.get(0).path("id").asText() + " of volume " + dataVolume
        + " was taken before the delete (DeletionPolicy: Snapshot) and is kept")
        .contains("No snapshot taken (DeletionPolicy: Snapshot)").contains("was never attached to a machine");
  }

  @Test
  void thePolicyIsRefusedOnATypeThatCannotBeSnapshotted() throws Exception {
    Path template = Files.writeString(tmp.resolve("vm.json"), TEMPLATE.replace(
        "\"Vm\": {\"Type\": \"CloudStack::VirtualMachine\",",
        "\"Vm\": {\"Type\": \"CloudStack::VirtualMachine\", \"DeletionPolicy\": \"Snapshot\","));
    List<String> create = new ArrayList<>(List.of("create-stack", "vm", "--template-file", template.toString()));
    create.addAll(parameters());
    CliRun refused = cloud.run(tmp.resolve("state"), create.toArray(String[]::new));
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("Resources/Vm/DeletionPolicy")
        .contains("DeletionPolicy:Snapshot is not supported for resource type CloudStack::VirtualMachine");
    assertThat(client.list("listVirtualMachines", Map.of())).as("nothing was created").isEmpty();
  }
}
