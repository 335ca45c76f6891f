package org.stacktician.engine.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.testing.HeatCfnTools;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * A running stack on the simulator, with the engine's real state store behind the callback
 * listener, driven by Debian's real cfn-get-metadata and cfn-signal as a booting guest would.
 */
class RealClientsAgainstRunningStackTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"}},
       "Resources": {
         "WebServer": {"Type": "CloudStack::VirtualMachine",
           "Metadata": {"AWS::CloudFormation::Init": {"config": {"files": {"/etc/motd": {
               "content": {"Fn::Join": ["", ["welcome to ", {"Ref": "AWS::StackName"}]]}}}}}},
           "Properties": {"zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
             "serviceofferingid": {"Ref": "OfferingId"},
             "userdata": {"Fn::Base64": {"Fn::Join": ["", ["#!/bin/bash\\n",
               "export StackMateApiUrl=", {"Ref": "CloudStack::StackMateApiURL"}, "\\n",
               "cfn-init -s ", {"Ref": "AWS::StackName"}, " -r WebServer\\n"]]}}}},
         "WaitHandle": {"Type": "StackMate::WaitConditionHandle"},
         "WaitCondition": {"Type": "StackMate::WaitCondition", "DependsOn": "WebServer",
           "Properties": {"Handle": {"Ref": "WaitHandle"}, "Timeout": "60"}}},
       "Outputs": {"Data": {"Value": {"Fn::GetAtt": ["WaitCondition", "Data"]}},
                   "Ip": {"Value": {"Fn::GetAtt": ["WebServer", "nic.0.ipaddress"]}}}}
      """;

  @TempDir Path dir;
  SimulatedCloud cloud;
  LocalEngine local;
  Map<String, String> params = new LinkedHashMap<>();

  @BeforeEach
  void start() {
    HeatCfnTools.assumeInstalled();
    cloud = new SimulatedCloud();
    // A real H2 file store of the engine's own schema.
    EngineDatabase db = EngineDatabase.open("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath() + "/stackmate",
        "sa", "", 8, true);
    local = LocalEngine.builder(cloud.client).database(db)
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build();
    params.put("ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()));
    params.put("TemplateId", cloud.idOf("listTemplates", "Ubuntu 22.04 LTS", Map.of("templatefilter", "executable")));
    params.put("OfferingId", cloud.idOf("listServiceOfferings", "Small Instance", Map.of()));
  }

  @AfterEach
  void stop() {
    if (local != null) {
      local.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  /** Waits until the wait condition is waiting (the VM exists and the handle has its URL). */
  private String handleUrlOnceWaiting(StackRecord stack) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < until) {
      Map<String, ResourceRecord> byId = new LinkedHashMap<>();
      local.engine().resources(stack.stackId()).forEach(r -> byId.put(r.logicalId(), r));
      ResourceRecord handle = byId.get("WaitHandle");
      ResourceRecord condition = byId.get("WaitCondition");
      if (handle != null && handle.physicalId() != null && condition != null
          && condition.status().name().equals("CREATE_IN_PROGRESS")) {
        return handle.physicalId();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the wait condition never started waiting: " + local.engine().resources(stack.stackId()));
  }

  @Test
  void guestToolsReadMetadataAndSignalTheStackToCompletion() throws Exception {
    StackRecord stack = local.engine().createStack(CreateStackRequest.of("lamp", TEMPLATE, params));
    String handleUrl = handleUrlOnceWaiting(stack);
    assertThat(handleUrl).startsWith(local.callbackUrl() + "waitcondition/").contains("?signature=");

    try (HeatCfnTools tools = HeatCfnTools.pointAt(local.callbackUrl(), dir)) {
      JsonNode metadata = JSON.readTree(HeatCfnTools.json(tools.run("cfn-get-metadata", "-s", "lamp", "-r", "WebServer",
          "--access-key", "guest", "--secret-key", "unused")));
      assertThat(metadata.at("/AWS::CloudFormation::Init/config/files/~1etc~1motd/content").asText())
          .isEqualTo("welcome to lamp");
      // By stack id too (the original could only look up by name).
      JsonNode byId = JSON.readTree(HeatCfnTools.json(tools.run("cfn-get-metadata", "-s", stack.stackId(),
          "-r", "WebServer", "--access-key", "guest", "--secret-key", "unused", "-k", "AWS::CloudFormation::Init")));
      assertThat(byId.has("config")).isTrue();

      tools.run("cfn-signal", "-e", "0", "-r", "setup complete", "-d", "httpd up", "-i", "web1", handleUrl);
    }
    StackRecord done = local.engine().awaitSettled(stack.stackId(), Duration.ofSeconds(30));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    Map<String, String> outputs = new LinkedHashMap<>();
    done.outputs().forEach(o -> outputs.put(o.key(), o.value()));
    assertThat(JSON.readTree(outputs.get("Data"))).isEqualTo(JSON.readTree("{\"web1\":\"httpd up\"}"));
    assertThat(outputs.get("Ip")).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");

    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("lamp").stackId(), Duration.ofSeconds(30));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.simulator.inventory().created()).isEmpty();
  }

  @Test
  void aFailureSignalFromTheGuestRollsTheStackBackWithItsReason() throws Exception {
    StackRecord stack = local.engine().createStack(CreateStackRequest.of("broken", TEMPLATE, params));
    String handleUrl = handleUrlOnceWaiting(stack);
    try (HeatCfnTools tools = HeatCfnTools.pointAt(local.callbackUrl(), dir)) {
      tools.run("cfn-signal", "-e", "1", "-r", "yum install httpd failed", "-i", "web1", handleUrl);
    }
    StackRecord done = local.engine().awaitSettled(stack.stackId(), Duration.ofSeconds(30));
    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    Optional<ResourceRecord> condition = local.engine().resources(stack.stackId()).stream()
        .filter(r -> r.logicalId().equals("WaitCondition")).findFirst();
    assertThat(local.engine().events(stack.stackId(), 0)).anySatisfy(e -> assertThat(e.statusReason())
        .contains("WaitCondition received failed message: 'yum install httpd failed' for uniqueId: web1"));
    assertThat(condition).isPresent();
    assertThat(cloud.simulator.inventory().created()).isEmpty();
  }
}
