package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.inventory.InventoryItem;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * A create that CloudStack carried out but never answered (the connection dropped): the rollback
 * finds the new resource by its name and deletes it, and never takes a same-named resource that
 * belongs to someone else (here: one a previous stack of the same name retained).
 */
class UnansweredCreateTest extends SimulatedEngineTest {
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "DiskOfferingId": {"Type": "String"}},
       "Resources": {
         "Data": {"Type": "CloudStack::Volume", "DeletionPolicy": "RetainExceptOnCreate", "Properties": {"name": "data",
                  "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}}}}
      """;

  Map<String, String> params;

  @BeforeEach
  void start() {
    params = cloud.volumeParameters();
  }

  private StackRecord create(String name) throws Exception {
    return create(name, TEMPLATE);
  }

  private StackRecord create(String name, String template) throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of(name, template, params));
    return local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
  }

  private List<InventoryItem> volumes() {
    return cloud.simulator.inventory().created().stream().filter(i -> i.kind().equals("VOLUME")).toList();
  }

  /** Waits until a volume carries this stack-id tag. */
  private void awaitTagged(String stackId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (volumes().stream().noneMatch(v -> stackId.equals(v.tags().get(StackTags.STACK_ID)))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the volume of " + stackId + " was never tagged: " + volumes());
      }
      Thread.sleep(20);
    }
  }

  @Test
  void untaggedNamesakesAreNotGuessedBetweenTheRollbackFailsAndSaysWhatToDo() throws Exception {
    // The first stack's tags never land: the cloud refuses them (and, when the delete retains the volume, its mark).
    cloud.simulator.knobs().faults("createTags", CommandFaults.errorRate(1.0, 431));
    StackRecord first = create("app");
    assertThat(first.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(local.engine().awaitSettled(local.engine().deleteStack("app").stackId(), Duration.ofSeconds(60)).status())
        .isEqualTo(StackStatus.DELETE_COMPLETE);
    String retained = volumes().get(0).id();
    assertThat(volumes().get(0).tags()).isEmpty();

    cloud.simulator.knobs().reset();
    cloud.simulator.knobs().faults("createVolume", CommandFaults.dropNth(1, false));
    StackRecord second = create("app", TEMPLATE.replace("\"DeletionPolicy\": \"RetainExceptOnCreate\", ", ""));
    assertThat(second.status()).isEqualTo(StackStatus.ROLLBACK_FAILED);
    assertThat(second.statusReason()).contains("[Data]");
    assertThat(local.engine().resources(second.stackId())).singleElement().satisfies(r -> {
      assertThat(r.status().name()).isEqualTo("DELETE_FAILED");
      assertThat(r.statusReason()).contains("2 CloudStack::Volume resources are named app-data").contains("stacktician:stack-id=none");
    });
    assertThat(volumes()).as("neither was deleted on a guess").hasSize(2);

    cloud.simulator.knobs().reset();
    cloud.client.call("createTags", Map.of("resourceids", retained, "resourcetype", "Volume",
        "tags[0].key", StackTags.STACK_ID, "tags[0].value", "none"));
    awaitTagged("none"); // the tag job
    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack(second.stackId()).stackId(),
        Duration.ofSeconds(60));
    assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(volumes()).as(local.engine().events(second.stackId(), 0).stream()
        .map(e -> e.logicalId() + " " + e.status() + " " + e.statusReason()).toList() + " " + volumes())
        .extracting(InventoryItem::id).containsExactly(retained);
  }

  /** A VPC tier with an ACL item: the item has neither a name nor, until its create is answered, tags. */
  static final String ACL_ITEM = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "VpcOfferingId": {"Type": "String"},
                      "TierOfferingId": {"Type": "String"}},
       "Resources": {
         "Vpc": {"Type": "CloudStack::VPC", "Properties": {"name": "vpc", "displaytext": "vpc", "cidr": "10.0.0.0/16",
                 "vpcofferingid": {"Ref": "VpcOfferingId"}, "zoneid": {"Ref": "ZoneId"}}},
         "Tier": {"Type": "CloudStack::Network", "Properties": {"name": "tier", "displaytext": "tier",
                  "vpcid": {"Ref": "Vpc"}, "gateway": "10.0.1.1", "netmask": "255.255.255.0",
                  "networkofferingid": {"Ref": "TierOfferingId"}, "zoneid": {"Ref": "ZoneId"}}},
         "Acl": {"Type": "CloudStack::NetworkACL", "Properties": {"networkid": {"Ref": "Tier"}, "protocol": "ALL"}}}}
      """;

  @Test
  void anUnansweredNetworkAclItemIsFoundByWhatItIsAndGoesWithItsStack() throws Exception {
    params = Map.of("ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()),
        "VpcOfferingId", cloud.idOf("listVPCOfferings", "Default VPC offering", Map.of()),
        "TierOfferingId", cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingForVpcNetworks", Map.of()));
    cloud.simulator.knobs().faults("createNetworkACL", CommandFaults.dropNth(1, false)); // runs, answer lost
    StackRecord s = create("acl", ACL_ITEM);
    List<String> events = local.engine().events(s.stackId(), 0).stream()
        .map(e -> e.logicalId() + " " + e.status() + (e.statusReason() == null ? "" : " (" + e.statusReason() + ")"))
        .toList();
    assertThat(s.status()).as(events.toString()).isIn(StackStatus.CREATE_COMPLETE, StackStatus.ROLLBACK_COMPLETE);

    cloud.simulator.knobs().reset();
    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack(s.stackId()).stackId(),
        Duration.ofSeconds(60));
    assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.simulator.inventory().created()).as("nothing of the stack is left; events: " + events)
        .noneMatch(i -> i.kind().equals("NETWORK_ACL") || i.kind().equals("NETWORK") || i.kind().equals("VPC"));
  }

  @Test
  void theUnansweredCreateIsRolledBackAndTheRetainedNamesakeIsLeftAlone() throws Exception {
    StackRecord first = create("web");
    assertThat(first.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("web").stackId(), Duration.ofSeconds(60));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    // Retained, it is no longer the stack's: marked so (once its create's tags came), as no stack's.
    awaitTagged(org.stacktician.engine.cloudstack.StackRetag.RETAINED_PREFIX + first.stackId());
    List<InventoryItem> retained = volumes();
    assertThat(retained).singleElement().satisfies(v -> assertThat(v.name()).isEqualTo("web-data"));

    cloud.simulator.knobs().faults("createVolume", CommandFaults.dropNth(1, false)); // runs, answer lost
    StackRecord second = create("web");

    assertThat(second.status()).as(second.statusReason()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(volumes()).as("the retained volume of the first stack is still there, the new one is gone")
        .extracting(InventoryItem::id).containsExactly(retained.get(0).id());
  }
}
