package org.stacktician.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.faults.Latency;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * The whole engine against the real HTTP simulator: security group, ingress rules, two VMs whose
 * boot scripts signal a wait condition through the callback listener, outputs, delete, and a
 * complete rollback for a cloud failure at each step.
 */
public class SimulatorStackTest extends SimulatedEngineTest {
  /** Also run under random faults by FaultyCloudStacksTest. */
  public static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
         "Http": {"Type": "CloudStack::SecurityGroupIngress", "Properties": {"securitygroupid": {"Ref": "Sg"},
                  "protocol": "tcp", "startport": 80, "endport": 80, "cidrlist": "0.0.0.0/0"}},
         "Vm1": {"Type": "CloudStack::VirtualMachine", "DependsOn": "Http", "Properties": {
                  "zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
                  "serviceofferingid": {"Ref": "OfferingId"}, "securitygroupids": {"Ref": "Sg"},
                  "userdata": {"Fn::Base64": {"Fn::Join": ["", ["#!/bin/bash\\ncfn-signal -e 0 -d vm1-up '",
                               {"Ref": "Handle"}, "'\\n"]]}}}},
         "Vm2": {"Type": "CloudStack::VirtualMachine", "DependsOn": "Http", "Properties": {
                  "zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
                  "serviceofferingid": {"Ref": "OfferingId"}, "securitygroupids": {"Ref": "Sg"},
                  "userdata": {"Fn::Base64": {"Fn::Join": ["", ["#!/bin/bash\\ncfn-signal -e 0 -d vm2-up '",
                               {"Ref": "Handle"}, "'\\n"]]}}}},
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
         "Ready": {"Type": "AWS::CloudFormation::WaitCondition", "DependsOn": ["Vm1", "Vm2"],
                   "Properties": {"Handle": {"Ref": "Handle"}, "Count": 2, "Timeout": 60}}},
       "Outputs": {"Ip1": {"Value": {"Fn::GetAtt": ["Vm1", "PrivateIp"]}},
                   "Signals": {"Value": {"Fn::GetAtt": ["Ready", "Data"]}}}}
      """;

  Map<String, String> params;

  @BeforeEach
  void start() {
    params = cloud.machineParameters();
  }

  private StackRecord run(String name) throws Exception {
    StackEngine engine = local.engine();
    StackRecord s = engine.createStack(CreateStackRequest.of(name, TEMPLATE, params));
    return engine.awaitSettled(s.stackId(), Duration.ofSeconds(60));
  }

  @Test
  void createsSignalsOutputsAndDeletesLeavingNothing() throws Exception {
    StackRecord done = run("web");

    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    Map<String, String> outputs = new LinkedHashMap<>();
    done.outputs().forEach(o -> outputs.put(o.key(), o.value()));
    assertThat(outputs.get("Ip1")).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(outputs.get("Signals")).contains("vm1-up").contains("vm2-up");
    assertThat(cloud.simulator.inventory().taggedWith("stacktician:stack-name", "web")).isNotEmpty();

    StackRecord deleted = local.engine().deleteStack("web");
    deleted = local.engine().awaitSettled(deleted.stackId(), Duration.ofSeconds(60));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.simulator.inventory().created()).as("nothing of the stack is left").isEmpty();
  }

  @ParameterizedTest(name = "{0} call {1} fails")
  @CsvSource({"createSecurityGroup,1", "authorizeSecurityGroupIngress,1", "deployVirtualMachine,1",
      "deployVirtualMachine,2"})
  void aCloudFailureAtAnyStepRollsBackCompletely(String command, long nth) throws Exception {
    cloud.simulator.knobs().faults(command, CommandFaults.failNth(nth, 530));
    StackRecord done = run("faulty");

    List<StackEvent> events = local.engine().events(done.stackId(), 0);
    assertThat(done.status()).as(() -> events.stream().map(e -> e.logicalId() + " " + e.status() + " "
        + e.statusReason()).toList().toString()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(events).filteredOn(e -> e.status().equals("CREATE_FAILED")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.statusReason()).isNotBlank());
    assertThat(cloud.simulator.inventory().created()).as("nothing of the stack is left").isEmpty();
  }

  @Test
  void independentVmsAreDeployedAtTheSameTime() throws Exception {
    cloud.simulator.knobs().jobLatency(Latency.fixed(600));
    long start = System.nanoTime();
    StackRecord done = run("timed");
    assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    List<StackEvent> events = local.engine().events(done.stackId(), 0);
    StackEvent vm1 = events.stream().filter(e -> e.logicalId().equals("Vm1") && e.status().equals("CREATE_IN_PROGRESS"))
        .findFirst().orElseThrow();
    StackEvent vm2 = events.stream().filter(e -> e.logicalId().equals("Vm2") && e.status().equals("CREATE_IN_PROGRESS"))
        .findFirst().orElseThrow();
    StackEvent vm1Done = events.stream().filter(e -> e.logicalId().equals("Vm1") && e.status().equals("CREATE_COMPLETE"))
        .findFirst().orElseThrow();
    assertThat(vm2.timestamp()).as("Vm2 starts before Vm1 ends").isBefore(vm1Done.timestamp());
    assertThat(vm1.timestamp()).isBefore(vm1Done.timestamp());
  }
}
