package org.stacktician.engine.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.change.UpdateRequest.ParameterValue;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * The counterexamples {@link UpdateConvergencePropertiesTest} found, each as the smallest stack that shows it, on the
 * real simulator: every one failed before its fix.
 */
class ConvergenceDefectsTest extends SimulatedEngineTest {
  Map<String, String> machine;
  Map<String, String> params = Map.of();

  @BeforeEach
  void machine() {
    machine = cloud.machineParameters();
  }

  private StackEngine engine() {
    return local.engine();
  }

  private StackRecord create(String template) throws Exception {
    StackRecord s = engine().createStack(CreateStackRequest.of("conv", template, params));
    StackRecord done = engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    return done;
  }

  private StackRecord update(String template) throws Exception {
    Map<String, ParameterValue> given = new LinkedHashMap<>();
    params.forEach((k, v) -> given.put(k, new ParameterValue.Given(v)));
    StackRecord s = engine().updateStack("conv", new UpdateRequest(template, given));
    return engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
  }

  private String physicalId(StackRecord s, String logicalId) {
    return engine().resources(s.stackId()).stream().filter(r -> r.logicalId().equals(logicalId))
        .map(ResourceRecord::physicalId).findFirst().orElseThrow();
  }

  /** The group's ingress rules as {@code protocol:port logical-id-tag}. */
  private List<String> rules(String groupId) throws InterruptedException {
    for (int i = 0; i < 100 && cloud.simulator.inventory().pendingJobs() > 0; i++) {
      Thread.sleep(20);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode r : cloud.client.list("listSecurityGroups", Map.of("id", groupId)).getFirst().path("ingressrule")) {
      String logical = "";
      for (JsonNode t : r.path("tags")) {
        if (t.path("key").asText().equals("stacktician:logical-id")) {
          logical = t.path("value").asText();
        }
      }
      out.add(r.path("protocol").asText() + ":" + r.path("startport").asText() + " " + logical);
    }
    return out;
  }

  static final String VM_IN_GROUP = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"}, "OfferingId": {"Type": "String"}},
       "Resources": {
         "Blue": {"Type": "CloudStack::SecurityGroup"},
         "Green": {"Type": "CloudStack::SecurityGroup"},
         "Vm": {"Type": "CloudStack::VirtualMachine", "Properties": {
                "zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
                "serviceofferingid": {"Ref": "OfferingId"}, "securitygroupids": [{"Ref": "Blue"}]}}}}
      """;

  /**
   * Found as: a machine whose groups an update changed stayed in its old group (and the old group, removed by the
   * update, could not be deleted). The engine changes them in place with updateVirtualMachine inside a stop and a
   * start, as CloudStack allows; the simulator ignored the parameter.
   */
  @Test
  void anUpdateMovesAMachineToItsNewGroupsInPlace() throws Exception {
    params = machine;
    StackRecord created = create(VM_IN_GROUP);
    String vm = physicalId(created, "Vm");

    StackRecord updated = update(VM_IN_GROUP.replace("[{\"Ref\": \"Blue\"}]", "[{\"Ref\": \"Green\"}]"));

    assertThat(updated.status()).as(updated.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(physicalId(updated, "Vm")).as("updated in place").isEqualTo(vm);
    JsonNode listed = cloud.client.list("listVirtualMachines", Map.of("id", vm)).getFirst();
    assertThat(listed.path("securitygroup")).extracting(g -> g.path("id").asText())
        .containsExactly(physicalId(updated, "Green"));
    assertThat(listed.path("state").asText()).isEqualTo("Running");
  }

  static final String AWS_GROUP = """
      {"Resources": {"Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web",
         "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}}}
      """;

  /**
   * Found as: an update whose replacement of an {@code AWS::EC2::SecurityGroup} failed at its create rolled back by
   * deleting the group it was replacing. Before undoing the replacement, the engine looks up by tags what its create
   * made, leaving out the replaced resource by its physical id; a group's physical id is its name, while the look-up
   * finds ids, so the replaced group was taken for the replacement.
   */
  @Test
  void aReplacementThatFailsAtItsCreateLeavesTheGroupItReplaces() throws Exception {
    StackRecord created = create(AWS_GROUP);
    String groupName = physicalId(created, "Web");
    String groupId = cloud.client.list("listSecurityGroups", Map.of("securitygroupname", groupName)).getFirst()
        .path("id").asText();
    cloud.simulator.knobs().faults("createSecurityGroup",
        org.stacktician.cloudstack.simulator.faults.CommandFaults.failNth(1, 530));

    StackRecord updated = update(AWS_GROUP.replace("\"GroupDescription\": \"web\"", "\"GroupDescription\": \"www\""));

    assertThat(updated.status()).as(updated.statusReason()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(physicalId(updated, "Web")).isEqualTo(groupName);
    assertThat(cloud.client.list("listSecurityGroups", Map.of("id", groupId))).as("the replaced group is kept")
        .singleElement().satisfies(g -> assertThat(g.path("name").asText()).isEqualTo(groupName));
  }

  static final String TWO_RULES = """
      {"Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup"},
         "Tcp": {"Type": "CloudStack::SecurityGroupIngress", "Properties": {"securitygroupid": {"Ref": "Sg"},
                 "protocol": "tcp", "startport": 80, "endport": 80, "cidrlist": "0.0.0.0/0"}},
         "Udp": {"Type": "CloudStack::SecurityGroupIngress", "DependsOn": "Tcp", "Properties": {
                 "securitygroupid": {"Ref": "Sg"}, "protocol": "udp", "startport": 53, "endport": 53,
                 "cidrlist": "0.0.0.0/0"}}}}
      """;

  /**
   * Found as: the second rule of a group tagged (and recorded) as both rules, and removing it revoked both. The
   * simulator's authorize answered every rule of the group where CloudStack answers only the rules the call made,
   * and the rule's delete calls revoke every rule of that answer.
   */
  @Test
  void aGroupsSecondRuleIsOnlyItselfAndRemovingItLeavesTheFirst() throws Exception {
    StackRecord created = create(TWO_RULES);
    String group = physicalId(created, "Sg");
    assertThat(physicalId(created, "Udp")).as("the rule's Ref is its own rule id").doesNotContain(",")
        .isNotEqualTo(physicalId(created, "Tcp"));
    assertThat(rules(group)).containsExactlyInAnyOrder("tcp:80 Tcp", "udp:53 Udp");

    StackRecord updated = update(TWO_RULES.replaceAll("(?s),\\s*\"Udp\": \\{.*\\}\\}\\}\\}", "}}"));
    assertThat(updated.status()).as(updated.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(rules(group)).containsExactly("tcp:80 Tcp");
  }
}
