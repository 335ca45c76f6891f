package org.stacktician.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.change.UpdateRequest.ParameterValue;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * Update-stack against the real HTTP simulator and a real H2 state file: each kind of change (in place with and
 * without interruption, replacement, add, remove, parameter only, none), and a cloud failure at each step of an
 * update rolling the stack back to exactly the inventory it had before.
 */
class SimulatorUpdateTest extends SimulatedEngineTest {
  /** A security group with a rule, and a VM in it whose display name and offering come from parameters. */
  static final String T1 = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"}, "Label": {"Type": "String", "Default": "one"}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
         "Http": {"Type": "CloudStack::SecurityGroupIngress", "Properties": {"securitygroupid": {"Ref": "Sg"},
                  "protocol": "tcp", "startport": 80, "endport": 80, "cidrlist": "0.0.0.0/0"}},
         "Vm": {"Type": "CloudStack::VirtualMachine", "DependsOn": "Http", "Properties": {
                  "zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
                  "serviceofferingid": {"Ref": "OfferingId"}, "securitygroupids": {"Ref": "Sg"},
                  "displayname": {"Ref": "Label"}, "tags": [{"Key": "tier", "Value": "web"}]}}},
       "Outputs": {"VmId": {"Value": {"Ref": "Vm"}}, "Label": {"Value": {"Ref": "Label"}}}}
      """;

  Map<String, String> params;

  @BeforeEach
  void start() {
    params = cloud.machineParameters();
  }

  private StackEngine engine() {
    return local.engine();
  }

  private StackRecord create(String template) throws Exception {
    StackRecord s = engine().createStack(CreateStackRequest.of("web", template, params));
    StackRecord done = engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    return done;
  }

  private StackRecord update(String template, Map<String, String> values) throws Exception {
    Map<String, ParameterValue> given = new LinkedHashMap<>();
    values.forEach((k, v) -> given.put(k, ParameterValue.parse(v)));
    StackRecord s = engine().updateStack("web", new UpdateRequest(template, given));
    assertThat(s.status()).isEqualTo(StackStatus.UPDATE_IN_PROGRESS);
    StackRecord done = engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    // The reasons of what failed, for the assertions' messages.
    engine().events(done.stackId(), 0).stream().filter(e -> e.status().endsWith("FAILED")
        || e.status().equals("UPDATE_ROLLBACK_IN_PROGRESS"))
        .forEach(e -> System.out.println("failure: " + e.logicalId() + " " + e.status() + ": " + e.statusReason()));
    return done;
  }

  /** The inventory once the cloud's jobs (tags are not waited for) have ended. */
  private Map<String, String> settledInventory() throws InterruptedException {
    for (int i = 0; i < 100 && cloud.simulator.inventory().pendingJobs() > 0; i++) {
      Thread.sleep(50);
    }
    return inventory();
  }

  private Map<String, String> withParams(String... kv) {
    Map<String, String> m = new LinkedHashMap<>(params);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private JsonNode vm(String id) {
    return cloud.client.list("listVirtualMachines", Map.of("id", id)).getFirst();
  }

  /** How many async jobs of this command class the cloud ran (listAsyncJobs). */
  private long jobs(String cmdClass) {
    return cloud.client.list("listAsyncJobs", Map.of()).stream().filter(j -> j.path("cmd").asText().endsWith(cmdClass))
        .count();
  }

  private String physicalId(StackRecord s, String logicalId) {
    return engine().resources(s.stackId()).stream().filter(r -> r.logicalId().equals(logicalId))
        .map(ResourceRecord::physicalId).findFirst().orElseThrow();
  }

  private List<String> events(StackRecord s) {
    return engine().events(s.stackId(), 0).stream().map(e -> e.logicalId() + " " + e.status()).toList();
  }

  /** Everything of the cloud a stack can change: each resource, and each VM's name, offering, state and tags. */
  private Map<String, String> inventory() {
    Map<String, String> out = new TreeMap<>();
    cloud.simulator.inventory().created().forEach(i -> out.put(i.kind() + " " + i.id(), i.name() + " " + i.state()
        + " " + new TreeMap<>(i.tags())));
    for (JsonNode vm : cloud.client.list("listVirtualMachines", Map.of("listall", "true"))) {
      out.put("VM " + vm.path("id").asText(), vm.path("displayname").asText() + " "
          + vm.path("serviceofferingname").asText() + " " + vm.path("state").asText());
    }
    for (JsonNode sg : cloud.client.list("listSecurityGroups", Map.of("listall", "true"))) {
      List<String> rules = new ArrayList<>();
      sg.path("ingressrule").forEach(r -> rules.add(r.path("protocol").asText() + ":" + r.path("startport").asText()
          + ":" + r.path("cidr").asText()));
      out.put("SG " + sg.path("id").asText(), rules.stream().sorted().toList().toString());
    }
    return out;
  }

  @Test
  void aParameterOnlyChangeUpdatesTheVmInPlaceWithAStopAndStart() throws Exception {
    StackRecord v1 = create(T1);
    String vmId = physicalId(v1, "Vm");

    StackRecord v2 = update(null, withParams("Label", "two"));

    assertThat(v2.status()).as(v2.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(physicalId(v2, "Vm")).as("updated in place").isEqualTo(vmId);
    assertThat(vm(vmId).path("displayname").asText()).isEqualTo("two");
    assertThat(vm(vmId).path("state").asText()).isEqualTo("Running");
    assertThat(v2.outputs()).extracting(StackOutput::key, StackOutput::value).contains(
        org.assertj.core.groups.Tuple.tuple("Label", "two"), org.assertj.core.groups.Tuple.tuple("VmId", vmId));
    List<String> events = events(v2);
    assertThat(events.subList(events.indexOf("web UPDATE_IN_PROGRESS"), events.size())).containsExactly(
        "web UPDATE_IN_PROGRESS", "Vm UPDATE_IN_PROGRESS", "Vm UPDATE_COMPLETE",
        "web UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "web UPDATE_COMPLETE");
    assertThat(jobs("StopVMCmd")).isEqualTo(1);
    assertThat(jobs("DeployVMCmd")).as("nothing created again").isEqualTo(1);
    assertThat(v2.parameters()).anyMatch(p -> p.key().equals("Label") && p.value().equals("two"));
  }

  @Test
  void anOfferingChangeIsInPlaceAndTagsChangeWithoutInterruption() throws Exception {
    StackRecord v1 = create(T1);
    String vmId = physicalId(v1, "Vm");
    String medium = cloud.idOf("listServiceOfferings", "Medium Instance", Map.of());

    StackRecord v2 = update(null, withParams("OfferingId", medium));
    assertThat(v2.status()).as(v2.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(vm(vmId).path("serviceofferingname").asText()).isEqualTo("Medium Instance");
    assertThat(vm(vmId).path("state").asText()).isEqualTo("Running");

    long stops = jobs("StopVMCmd");
    StackRecord v3 = update(T1.replace("\"Value\": \"web\"", "\"Value\": \"front\""), Map.of("OfferingId",
        "UsePreviousValue", "Label", "UsePreviousValue", "ZoneId", "UsePreviousValue", "TemplateId", "UsePreviousValue"));
    assertThat(v3.status()).as(v3.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(jobs("StopVMCmd")).as("tags change without a stop")
        .isEqualTo(stops);
    assertThat(cloud.simulator.inventory().created()).filteredOn(i -> i.id().equals(vmId)).singleElement()
        .satisfies(i -> assertThat(i.tags()).containsEntry("tier", "front"));
    assertThat(vm(vmId).path("serviceofferingname").asText()).as("UsePreviousValue kept it")
        .isEqualTo("Medium Instance");
  }

  @Test
  void aReplacementCreatesTheNewResourceFirstAndDeletesTheOldOneInTheCleanup() throws Exception {
    StackRecord v1 = create(T1);
    String oldRule = physicalId(v1, "Http");

    StackRecord v2 = update(T1.replace("\"cidrlist\": \"0.0.0.0/0\"", "\"cidrlist\": \"10.0.0.0/8\""), params);

    assertThat(v2.status()).as(v2.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(physicalId(v2, "Http")).isNotEqualTo(oldRule);
    assertThat(inventory().values()).anyMatch(v -> v.contains("tcp:80:10.0.0.0/8"))
        .noneMatch(v -> v.contains("0.0.0.0/0"));
    List<String> events = events(v2);
    List<String> update = events.subList(events.indexOf("web UPDATE_IN_PROGRESS"), events.size());
    assertThat(update).containsSubsequence("Http UPDATE_IN_PROGRESS", "Http UPDATE_COMPLETE",
        "web UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "Http DELETE_IN_PROGRESS", "Http DELETE_COMPLETE",
        "web UPDATE_COMPLETE");
    assertThat(engine().events(v2.stackId(), 0)).filteredOn(e -> e.logicalId().equals("Http")
        && e.status().equals("UPDATE_IN_PROGRESS")).first().extracting(StackEvent::statusReason)
        .isEqualTo("Requested update requires the creation of a new physical resource; hence creating one.");
    assertThat(engine().resources(v2.stackId())).extracting(ResourceRecord::logicalId)
        .as("one row per resource is shown").containsExactly("Sg", "Http", "Vm");

    StackRecord deleted = engine().awaitSettled(engine().deleteStack("web").stackId(), Duration.ofSeconds(60));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.simulator.inventory().created()).as("nothing left after delete").isEmpty();
  }

  @Test
  void addedAndRemovedResources() throws Exception {
    create(T1);
    String t2 = T1.replace("\"Http\": {", "\"Https\": {").replace("\"startport\": 80, \"endport\": 80",
        "\"startport\": 443, \"endport\": 443").replace("\"DependsOn\": \"Http\"", "\"DependsOn\": \"Https\"");
    StackRecord v2 = update(t2, params);

    assertThat(v2.status()).as(v2.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(engine().resources(v2.stackId())).extracting(ResourceRecord::logicalId)
        .containsExactlyInAnyOrder("Sg", "Https", "Vm");
    List<String> events = events(v2);
    assertThat(events.subList(events.indexOf("web UPDATE_IN_PROGRESS"), events.size())).containsSubsequence(
        "Https CREATE_IN_PROGRESS", "Https CREATE_COMPLETE", "web UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
        "Http DELETE_IN_PROGRESS", "Http DELETE_COMPLETE", "web UPDATE_COMPLETE");
    assertThat(inventory().values()).anyMatch(v -> v.contains("tcp:443:")).noneMatch(v -> v.contains("tcp:80:"));
  }

  @Test
  void anUpdateThatChangesNothingIsRefusedAndOnlySettledStacksUpdate() throws Exception {
    create(T1);
    assertThatThrownBy(() -> engine().updateStack("web", new UpdateRequest(null, Map.of("ZoneId",
        new ParameterValue.UsePrevious(), "TemplateId", new ParameterValue.UsePrevious(), "OfferingId",
        new ParameterValue.Given(params.get("OfferingId"))))))
        .isInstanceOf(StackOperationException.class).hasMessage("No updates are to be performed.");
    assertThatThrownBy(() -> engine().updateStack("web", new UpdateRequest(T1, Map.of("ZoneId",
        new ParameterValue.UsePrevious(), "TemplateId", new ParameterValue.UsePrevious(), "OfferingId",
        new ParameterValue.UsePrevious())))).hasMessage("No updates are to be performed.");
    assertThatThrownBy(() -> engine().updateStack("nope", new UpdateRequest(null, Map.of())))
        .hasMessageContaining("does not exist");
  }

  @ParameterizedTest(name = "{0} call {1} fails")
  @CsvSource({"stopVirtualMachine,1", "changeServiceForVirtualMachine,1", "startVirtualMachine,1",
      "authorizeSecurityGroupIngress,1", "revokeSecurityGroupIngress,1"})
  void aCloudFailureAtAnyStepOfAnUpdateRollsBackToExactlyTheInventoryBefore(String command, long nth)
      throws Exception {
    create(T1);
    Map<String, String> before = settledInventory();
    String medium = cloud.idOf("listServiceOfferings", "Medium Instance", Map.of());
    cloud.simulator.knobs().faults(command, CommandFaults.failNth(nth, 530));
    // One update that changes the VM in place with a stop and start and replaces the rule.
    StackRecord done = update(T1.replace("\"cidrlist\": \"0.0.0.0/0\"", "\"cidrlist\": \"10.0.0.0/8\""),
        withParams("OfferingId", medium));

    List<String> events = events(done);
    if (command.equals("revokeSecurityGroupIngress")) {
      // The old rule's delete runs in the cleanup, after the update succeeded: as CloudFormation, the stack is
      // updated and the rule it could not delete is reported.
      assertThat(done.status()).as(events.toString()).isEqualTo(StackStatus.UPDATE_COMPLETE);
      return;
    }
    assertThat(done.status()).as(done.statusReason() + " " + events).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(events).contains("web UPDATE_ROLLBACK_IN_PROGRESS", "web UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
    assertThat(settledInventory()).as("the cloud as before the update").isEqualTo(before);
    assertThat(done.parameters()).anyMatch(p -> p.key().equals("OfferingId") && !p.value().equals(medium));

    // The stack can be updated again after its rollback.
    cloud.simulator.knobs().reset();
    StackRecord again = update(null, withParams("Label", "three"));
    assertThat(again.status()).as(again.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
  }

  /** The update of the failure tests with DisableRollback: the rule is replaced, then the VM's start fails. */
  private StackRecord failedUpdateWithoutRollback(Map<String, String> before) throws Exception {
    create(T1);
    before.putAll(settledInventory());
    String medium = cloud.idOf("listServiceOfferings", "Medium Instance", Map.of());
    cloud.simulator.knobs().faults("startVirtualMachine", CommandFaults.failNth(1, 530));
    Map<String, ParameterValue> given = new LinkedHashMap<>();
    withParams("OfferingId", medium).forEach((k, v) -> given.put(k, ParameterValue.parse(v)));
    StackRecord s = engine().updateStack("web", new UpdateRequest(T1.replace("\"cidrlist\": \"0.0.0.0/0\"",
        "\"cidrlist\": \"10.0.0.0/8\""), given, true));
    StackRecord done = engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    cloud.simulator.knobs().reset();
    return done;
  }

  @Test
  void withDisableRollbackAFailedUpdateStopsUpdateFailedWithWhatItChangedThenRollsBackOnRequest() throws Exception {
    Map<String, String> before = new TreeMap<>();
    StackRecord failed = failedUpdateWithoutRollback(before);
    String vmId = physicalId(failed, "Vm");

    assertThat(failed.status()).as(failed.statusReason()).isEqualTo(StackStatus.UPDATE_FAILED);
    assertThat(failed.statusReason()).contains("Vm");
    assertThat(events(failed)).doesNotContain("web UPDATE_ROLLBACK_IN_PROGRESS")
        .doesNotContain("web UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
    assertThat(inventory().values()).as("the new rule made, the old one kept").anyMatch(v -> v.contains("10.0.0.0/8"))
        .anyMatch(v -> v.contains("tcp:80:0.0.0.0/0"));
    assertThat(vm(vmId).path("state").asText()).as("left as the failure found it").isEqualTo("Stopped");
    assertThat(engine().describeStack("web").orElseThrow().disableRollback()).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine().continueUpdateRollback("web", java.util.Set.of()))
        .isInstanceOf(StackOperationException.class).hasMessageContaining("UPDATE_ROLLBACK_FAILED");

    StackRecord rolling = engine().rollbackStack("web");
    assertThat(rolling.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_IN_PROGRESS);
    StackRecord done = engine().awaitSettled(rolling.stackId(), Duration.ofSeconds(60));

    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(physicalId(done, "Vm")).isEqualTo(vmId);
    assertThat(vm(vmId).path("state").asText()).isEqualTo("Running");
    assertThat(vm(vmId).path("serviceofferingname").asText()).isEqualTo("Small Instance");
    assertThat(settledInventory()).isEqualTo(before);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine().rollbackStack("web"))
        .isInstanceOf(StackOperationException.class).hasMessageContaining("only a stack in CREATE_FAILED or UPDATE_FAILED");
  }

  @Test
  void withDisableRollbackAFailedUpdateCanBeTriedAgainWithTheSameTemplate() throws Exception {
    StackRecord failed = failedUpdateWithoutRollback(new TreeMap<>());
    assertThat(failed.status()).as(failed.statusReason()).isEqualTo(StackStatus.UPDATE_FAILED);
    String vmId = physicalId(failed, "Vm");

    Map<String, String> previous = new LinkedHashMap<>();
    failed.parameters().forEach(p -> previous.put(p.key(), "UsePreviousValue"));
    StackRecord done = update(null, previous);

    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(physicalId(done, "Vm")).isEqualTo(vmId);
    assertThat(vm(vmId).path("state").asText()).isEqualTo("Running");
    assertThat(vm(vmId).path("serviceofferingname").asText()).isEqualTo("Medium Instance");
    assertThat(settledInventory().values()).as("the old rule deleted in the cleanup")
        .noneMatch(v -> v.contains("tcp:80:0.0.0.0/0")).anyMatch(v -> v.contains("tcp:80:10.0.0.0/8"));
    assertThat(done.disableRollback()).isFalse();
  }
}
