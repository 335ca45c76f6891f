package org.stacktician.engine.nested;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stacktician.engine.EngineFixture.createAndWait;
import static org.stacktician.engine.EngineFixture.deleteAndWait;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.EngineFixture;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.TestCloud;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/** AWS::CloudFormation::Stack: a child stack created, read through Outputs.X, rolled back and deleted. */
class NestedStackTest {
  static final String CHILD = """
      {"Parameters": {"Prefix": {"Type": "String"}},
       "Resources": {"Inner": {"Type": "Test::Thing", "Properties": {"Echo": {"Fn::Sub": "${Prefix}-inner"}}}},
       "Outputs": {"InnerId": {"Value": {"Ref": "Inner"}},
                   "InnerEcho": {"Value": {"Fn::GetAtt": ["Inner", "Echo"]}}}}
      """;

  @TempDir Path dir;
  TestCloud cloud;
  StackEngine engine;
  Path child;

  @BeforeEach
  void start() throws Exception {
    cloud = new TestCloud();
    engine = EngineFixture.start(dir.resolve("state"), cloud);
    child = Files.writeString(dir.resolve("child.json"), CHILD);
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private String parent(String extra) {
    return """
        {"Resources": {
           "Child": {"Type": "AWS::CloudFormation::Stack",
                     "Properties": {"TemplateURL": "%s", "Parameters": {"Prefix": "p"}}},
           "User": {"Type": "Test::Thing", "Properties": {"Echo": {"Fn::GetAtt": ["Child", "Outputs.InnerEcho"]}}}%s},
         "Outputs": {"FromChild": {"Value": {"Fn::GetAtt": ["Child", "Outputs.InnerId"]}}}}
        """.formatted(child.toUri(), extra);
  }

  @Test
  void createsReadsAndDeletesANestedStack() throws Exception {
    StackRecord done = createAndWait(engine, "outer", parent(""));

    assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    StackRecord nested = engine.store().childStacks(done.stackId()).get(0);
    assertThat(nested.stackName()).startsWith("outer-Child-");
    assertThat(nested.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(engine.resources(done.stackId())).filteredOn(r -> r.logicalId().equals("User")).singleElement()
        .satisfies(r -> assertThat(r.properties().get("Echo").asText()).isEqualTo("p-inner"));
    assertThat(done.outputs().get(0).value()).startsWith("thing-");
    assertThat(engine.resources(done.stackId())).filteredOn(r -> r.logicalId().equals("Child")).singleElement()
        .satisfies(r -> assertThat(r.physicalId()).isEqualTo(nested.stackId()));

    StackRecord deleted = deleteAndWait(engine, "outer");
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(engine.describeStack(nested.stackId()).orElseThrow().status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aNestedStackIsUpdatedWithItsParent() throws Exception {
    StackRecord done = createAndWait(engine, "outer", parent(""));
    StackRecord nested = engine.store().childStacks(done.stackId()).get(0);

    StackRecord updating = engine.updateStack("outer", new org.stacktician.engine.change.UpdateRequest(
        parent("").replace("\"Prefix\": \"p\"", "\"Prefix\": \"q\""), java.util.Map.of()));
    StackRecord updated = engine.awaitSettled(updating.stackId(), java.time.Duration.ofSeconds(30));

    assertThat(updated.status()).as(updated.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(engine.describeStack(nested.stackId()).orElseThrow().status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(engine.resources(done.stackId())).filteredOn(r -> r.logicalId().equals("User")).singleElement()
        .satisfies(r -> assertThat(r.properties().get("Echo").asText()).isEqualTo("q-inner"));
    assertThat(engine.resources(done.stackId())).filteredOn(r -> r.logicalId().equals("Child")).singleElement()
        .satisfies(r -> assertThat(r.physicalId()).as("the same nested stack, updated").isEqualTo(nested.stackId()));

    assertThat(deleteAndWait(engine, "outer").status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory()).as("the replaced resources are gone too").isEmpty();
  }

  @Test
  void aNestedStackInFlightWhenTheProcessStopsIsFinishedByTheNextOne() throws Exception {
    Path slowChild = Files.writeString(dir.resolve("slow-child.json"), CHILD.replace(
        "\"Properties\": {\"Echo\"", "\"Properties\": {\"LatencyMs\": 1500, \"Echo\""));
    String template = parent("").replace(child.toUri().toString(), slowChild.toUri().toString());
    String stackId = engine.createStack(org.stacktician.engine.CreateStackRequest.of("interrupted", template,
        java.util.Map.of())).stackId();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (engine.store().childStacks(stackId).isEmpty()
        || engine.store().resources(engine.store().childStacks(stackId).get(0).stackId()).stream()
            .noneMatch(r -> r.callbackContext() != null)) {
      assertThat(System.nanoTime()).as("the child's job never started").isLessThan(deadline);
      Thread.sleep(20);
    }
    engine.close(); // the child's resource is in flight

    engine = EngineFixture.start(dir.resolve("state"), cloud);
    StackRecord done = engine.awaitSettled(stackId, java.time.Duration.ofSeconds(30));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(cloud.createsAccepted()).as("Inner and User, each once").isEqualTo(2);
    assertThat(engine.store().childStacks(stackId)).singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo(StackStatus.CREATE_COMPLETE));
  }

  @Test
  void aFailureInTheParentRollsBackTheNestedStackToo() throws Exception {
    cloud.failCreateOf("Late");
    StackRecord done = createAndWait(engine, "outer2",
        parent(", \"Late\": {\"Type\": \"Test::Thing\", \"DependsOn\": \"User\"}"));

    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    StackRecord nested = engine.store().childStacks(done.stackId()).get(0);
    assertThat(nested.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aFailureInsideTheNestedStackFailsItsResourceAndRollsBackBoth() throws Exception {
    cloud.failCreateOf("Inner");
    StackRecord done = createAndWait(engine, "outer3", parent(""));

    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(engine.events(done.stackId(), 0)).filteredOn(e -> e.logicalId().equals("Child")
        && e.status().equals("CREATE_FAILED")).singleElement()
        .satisfies(e -> assertThat(e.statusReason()).contains("was not successfully created")
            .contains("[Inner]"));
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void templateUrlsMayBeHttpOrAStoredTemplate() throws Exception {
    com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/child.json", exchange -> {
      byte[] body = CHILD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
    try {
      engine.store().storeTemplate("child", CHILD);
      String template = """
          {"Resources": {
             "FromHttp": {"Type": "AWS::CloudFormation::Stack", "Properties": {
                 "TemplateURL": "http://127.0.0.1:%d/child.json", "Parameters": {"Prefix": "h"}}},
             "FromStore": {"Type": "AWS::CloudFormation::Stack", "Properties": {
                 "TemplateURL": "stored:child", "Parameters": {"Prefix": "s"}}}},
           "Outputs": {"H": {"Value": {"Fn::GetAtt": ["FromHttp", "Outputs.InnerEcho"]}},
                       "S": {"Value": {"Fn::GetAtt": ["FromStore", "Outputs.InnerEcho"]}}}}
          """.formatted(http.getAddress().getPort());
      StackRecord done = createAndWait(engine, "sources", template);
      assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(done.outputs()).extracting(o -> o.key() + "=" + o.value()).containsExactly("H=h-inner", "S=s-inner");
      assertThat(deleteAndWait(engine, "sources").status()).isEqualTo(StackStatus.DELETE_COMPLETE);
      assertThat(cloud.inventory()).isEmpty();
    } finally {
      http.stop(0);
    }
  }

  @Test
  void aMissingTemplateUrlTargetFailsWithTheReason() throws Exception {
    Files.delete(child);
    StackRecord done = createAndWait(engine, "outer4", parent(""));
    assertThat(done.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(engine.events(done.stackId(), 0)).filteredOn(e -> e.logicalId().equals("Child")
        && e.status().equals("CREATE_FAILED")).singleElement()
        .satisfies(e -> assertThat(e.statusReason()).contains("cannot read template"));
  }
}
