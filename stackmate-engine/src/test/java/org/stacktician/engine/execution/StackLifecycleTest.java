package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stacktician.engine.EngineFixture.createAndWait;
import static org.stacktician.engine.EngineFixture.deleteAndWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.EngineFixture;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.TestCloud;
import org.stacktician.engine.TestCloudEngineTest;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StackAlreadyExistsException;
import org.stacktician.engine.state.StateStore;

/** Create, outputs, events, validation and delete on a real H2 file with real db-scheduler. */
class StackLifecycleTest extends TestCloudEngineTest {
  static final String CHAIN = """
      {
        "Parameters": {"Greeting": {"Type": "String", "Default": "hello"},
                       "Secret": {"Type": "String", "NoEcho": true, "Default": "s3cret-value"}},
        "Resources": {
          "A": {"Type": "Test::Thing", "Properties": {"Echo": {"Ref": "Greeting"}, "Password": {"Ref": "Secret"}}},
          "B": {"Type": "Test::Thing", "Properties": {"Parent": {"Ref": "A"}, "Echo": {"Fn::GetAtt": ["A", "Echo"]}}},
          "C": {"Type": "Test::Thing", "DependsOn": "B", "Properties": {"Echo": {"Fn::Join": ["-", [{"Ref": "B"}, "c"]]}}}
        },
        "Outputs": {
          "AId": {"Value": {"Ref": "A"}, "Description": "first"},
          "CEcho": {"Value": {"Fn::GetAtt": ["C", "Echo"]}},
          "Pw": {"Value": {"Ref": "Secret"}}
        }
      }
      """;

  @Test
  void createsInDependencyOrderWithOutputsAndCloudFormationEvents() throws Exception {
    StackRecord done = createAndWait(engine, "chain", CHAIN);

    assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(cloud.log()).containsSubsequence("create A", "create B", "create C");
    List<ResourceRecord> resources = engine.resources(done.stackId());
    assertThat(resources).extracting(ResourceRecord::logicalId).containsExactly("A", "B", "C");
    ResourceRecord a = resources.get(0);
    ResourceRecord b = resources.get(1);
    assertThat(b.properties().get("Parent").asText()).isEqualTo(a.physicalId());
    assertThat(b.properties().get("Echo").asText()).isEqualTo("hello");
    assertThat(done.outputs()).extracting(o -> o.key() + "=" + o.displayValue())
        .containsExactly("AId=" + a.physicalId(), "CEcho=" + resources.get(1).physicalId() + "-c", "Pw=****");

    List<StackEvent> events = engine.events(done.stackId(), 0);
    assertThat(events).extracting(e -> e.logicalId() + " " + e.status()).containsExactly(
        "chain CREATE_IN_PROGRESS",
        "A CREATE_IN_PROGRESS", "A CREATE_COMPLETE",
        "B CREATE_IN_PROGRESS", "B CREATE_COMPLETE",
        "C CREATE_IN_PROGRESS", "C CREATE_COMPLETE",
        "chain CREATE_COMPLETE");
    assertThat(events.get(0).statusReason()).isEqualTo("User Initiated");
    assertThat(events).allSatisfy(e -> assertThat(e.timestamp()).isNotNull());
    assertThat(events).extracting(StackEvent::properties).filteredOn(p -> p != null)
        .noneMatch(p -> p.contains("s3cret-value"));
  }

  @Test
  void deletesInReverseDependencyOrderAndLeavesNothing() throws Exception {
    createAndWait(engine, "chain", CHAIN);
    StackRecord deleted = deleteAndWait(engine, "chain");

    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory()).isEmpty();
    assertThat(cloud.log()).containsSubsequence("delete C", "delete B", "delete A");
    assertThat(engine.describeStack("chain")).as("a deleted stack is found by id only").isEmpty();
    assertThat(engine.describeStack(deleted.stackId())).get().extracting(StackRecord::status)
        .isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(engine.events(deleted.stackId(), 0)).extracting(e -> e.logicalId() + " " + e.status())
        .endsWith("C DELETE_IN_PROGRESS", "C DELETE_COMPLETE", "B DELETE_IN_PROGRESS", "B DELETE_COMPLETE",
            "A DELETE_IN_PROGRESS", "A DELETE_COMPLETE", "chain DELETE_COMPLETE");
  }

  @Test
  void retainedResourcesAreSkippedOnDelete() throws Exception {
    String template = """
        {"Resources": {
          "Kept": {"Type": "Test::Thing", "DeletionPolicy": "Retain"},
          "Gone": {"Type": "Test::Thing", "Properties": {"Other": {"Ref": "Kept"}}}}}
        """;
    createAndWait(engine, "retain", template);
    StackRecord deleted = deleteAndWait(engine, "retain");

    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory().values()).extracting(TestCloud.Item::logicalId).containsExactly("Kept");
    assertThat(engine.events(deleted.stackId(), 0)).extracting(e -> e.logicalId() + " " + e.status())
        .contains("Kept DELETE_SKIPPED", "Gone DELETE_COMPLETE");
  }

  @Test
  void aDeletionPolicyWrittenWithFnIfIsResolvedWithTheStacksParameters() throws Exception {
    String template = """
        {"Transform": "AWS::LanguageExtensions",
         "Parameters": {"Stage": {"Type": "String", "AllowedValues": ["Prod", "Dev"]}},
         "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "Prod"]}},
         "Resources": {
          "Table": {"Type": "Test::Thing", "DeletionPolicy": {"Fn::If": ["IsProd", "Retain", "Delete"]},
                    "UpdateReplacePolicy": {"Fn::If": ["IsProd", "Retain", "Delete"]}}}}
        """;
    StackRecord prod = createAndWait(engine, CreateStackRequest.of("prod", template, Map.of("Stage", "Prod")));
    createAndWait(engine, CreateStackRequest.of("dev", template, Map.of("Stage", "Dev")));
    assertThat(deleteAndWait(engine, "prod").status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(deleteAndWait(engine, "dev").status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory().values()).as("only the Prod stack's table is retained").singleElement()
        .satisfies(i -> assertThat(i.stackId()).isEqualTo(prod.stackId()));
  }

  @Test
  void aFailedDeleteIsReportedWithTheCloudsErrorAndCanBeRetried() throws Exception {
    createAndWait(engine, "stuck", CHAIN);
    cloud.failDeleteOf("B");
    StackRecord failed = deleteAndWait(engine, "stuck");

    assertThat(failed.status()).isEqualTo(StackStatus.DELETE_FAILED);
    assertThat(failed.statusReason()).contains("[B").contains("failed to delete");
    assertThat(engine.resources(failed.stackId())).filteredOn(r -> r.logicalId().equals("B")).singleElement()
        .satisfies(r -> assertThat(r.statusReason()).contains("cloud error 530").contains("in use"));
    assertThat(cloud.inventory().values()).extracting(TestCloud.Item::logicalId)
        .as("A is kept because B, which needs it, could not be deleted").containsExactlyInAnyOrder("A", "B");

    cloud.clearFaults();
    StackRecord retried = deleteAndWait(engine, failed.stackId());
    assertThat(retried.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aFailedDeleteKeepsTheStacksExportsUntilTheDeleteCompletes() throws Exception {
    String exporting = CHAIN.replace("\"AId\": {\"Value\": {\"Ref\": \"A\"}, \"Description\": \"first\"}",
        "\"AId\": {\"Value\": {\"Ref\": \"A\"}, \"Export\": {\"Name\": \"kept-a\"}}");
    assertThat(exporting).contains("kept-a");
    createAndWait(engine, "exporter", exporting);
    cloud.failDeleteOf("B");
    StackRecord failed = deleteAndWait(engine, "exporter");
    assertThat(failed.status()).isEqualTo(StackStatus.DELETE_FAILED);
    assertThat(engine.store().listExports(StackRecord.DEFAULT_SCOPE)).as("the stack and its A still exist")
        .extracting(StateStore.ExportRecord::exportName).containsExactly("kept-a");

    cloud.clearFaults();
    assertThat(deleteAndWait(engine, failed.stackId()).status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(engine.store().listExports(StackRecord.DEFAULT_SCOPE)).isEmpty();
  }

  @Test
  void conditionsAndNoValueAreRespected() throws Exception {
    String template = """
        {"Parameters": {"Env": {"Type": "String", "AllowedValues": ["prod", "dev"]}},
         "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
         "Resources": {
           "Always": {"Type": "Test::Thing", "Properties": {
               "Echo": {"Fn::If": ["IsProd", "big", {"Ref": "AWS::NoValue"}]}}},
           "ProdOnly": {"Type": "Test::Thing", "Condition": "IsProd"}}}
        """;
    StackRecord dev = createAndWait(engine, CreateStackRequest.of("dev", template, Map.of("Env", "dev")));
    assertThat(dev.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(engine.resources(dev.stackId())).extracting(ResourceRecord::logicalId).containsExactly("Always");
    assertThat(engine.resources(dev.stackId()).get(0).properties().has("Echo")).isFalse();

    StackRecord prod = createAndWait(engine, CreateStackRequest.of("prod", template, Map.of("Env", "prod")));
    assertThat(engine.resources(prod.stackId())).extracting(ResourceRecord::logicalId)
        .containsExactly("Always", "ProdOnly");
  }

  @Test
  void invalidInputIsRejectedBeforeAnythingStarts() {
    assertThatThrownBy(() -> engine.createStack(CreateStackRequest.of("bad", """
        {"Resources": {"X": {"Type": "Nope::Missing"}, "Y": {"Type": "Test::Thing", "Properties": {"Size": "big"}}}}
        """, Map.of())))
        .isInstanceOf(StackValidationException.class)
        .hasMessageContaining("Resources/X/Type").hasMessageContaining("Nope::Missing")
        .hasMessageContaining("Resources/Y/Properties/Size");
    assertThatThrownBy(() -> engine.createStack(CreateStackRequest.of("1bad", CHAIN, Map.of())))
        .isInstanceOf(StackValidationException.class).hasMessageContaining("not a valid stack name");
    assertThat(engine.listStacks()).isEmpty();
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void fnForEachCreatesTheExpandedResourcesWithTheStacksListValue() throws Exception {
    String template = """
        Transform: AWS::LanguageExtensions
        Parameters:
          Tiers: {Type: CommaDelimitedList, Default: one}
        Resources:
          Fn::ForEach::Things:
            - Tier
            - !Ref Tiers
            - Thing${Tier}:
                Type: Test::Thing
                Properties: {Echo: !Sub "tier-${Tier}"}
        Outputs:
          Fn::ForEach::Echoes:
            - Tier
            - !Ref Tiers
            - Echo${Tier}: {Value: !GetAtt [!Sub "Thing${Tier}", Echo]}
        """;
    StackRecord done = createAndWait(engine, CreateStackRequest.of("loops", template, Map.of("Tiers", "web,app")));
    assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(engine.resources(done.stackId())).extracting(ResourceRecord::logicalId)
        .containsExactly("Thingweb", "Thingapp");
    assertThat(done.outputs()).extracting(o -> o.key() + "=" + o.value())
        .containsExactly("Echoweb=tier-web", "Echoapp=tier-app");
    assertThat(deleteAndWait(engine, "loops").status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aFalseRuleAssertionRefusesTheCreateWithItsDescription() throws Exception {
    String template = """
        Parameters:
          Environment: {Type: String, AllowedValues: [test, prod]}
          Size: {Type: String}
        Rules:
          prodSize:
            RuleCondition: !Equals [!Ref Environment, prod]
            Assertions:
              - Assert: !Contains [[big, huge], !Ref Size]
                AssertDescription: A production stack must be big or huge
        Resources:
          X: {Type: Test::Thing, Properties: {Echo: !Ref Size}}
        """;
    assertThatThrownBy(() -> engine.createStack(CreateStackRequest.of("rule", template,
        Map.of("Environment", "prod", "Size", "small"))))
        .isInstanceOf(StackValidationException.class)
        .hasMessageContaining("Rules/prodSize/Assertions/0").hasMessageContaining("A production stack must be big or huge");
    assertThat(cloud.inventory()).isEmpty();
    assertThat(createAndWait(engine, CreateStackRequest.of("rule", template,
        Map.of("Environment", "test", "Size", "small"))).status()).isEqualTo(StackStatus.CREATE_COMPLETE);
  }

  @Test
  void aLiveStackNameCannotBeReused() throws Exception {
    createAndWait(engine, "twice", CHAIN);
    assertThatThrownBy(() -> engine.createStack(CreateStackRequest.of("twice", CHAIN, Map.of())))
        .isInstanceOf(StackAlreadyExistsException.class).hasMessage("Stack [twice] already exists");
    deleteAndWait(engine, "twice");
    assertThat(createAndWait(engine, "twice", CHAIN).status()).isEqualTo(StackStatus.CREATE_COMPLETE);
  }

  @Test
  void independentResourcesStartTogetherAndEachStartsWhenItsOwnDependenciesAreDone() throws Exception {
    String template = """
        {"Resources": {
          "Slow": {"Type": "Test::Thing", "Properties": {"LatencyMs": 900}},
          "Fast": {"Type": "Test::Thing", "Properties": {"LatencyMs": 100}},
          "AfterFast": {"Type": "Test::Thing", "Properties": {"LatencyMs": 100, "Parent": {"Ref": "Fast"}}},
          "Last": {"Type": "Test::Thing", "DependsOn": ["Slow", "AfterFast"]}}}
        """;
    StackRecord done = createAndWait(engine, "parallel", template);

    assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(cloud.maxConcurrent()).isGreaterThanOrEqualTo(2);
    assertThat(cloud.log()).as("AfterFast does not wait for the wave that holds Slow")
        .containsSubsequence("done Fast", "create AfterFast", "done AfterFast", "done Slow", "create Last");
  }

  @Test
  void theBoundOnOperationsPerStackHolds() throws Exception {
    engine.close();
    engine = EngineFixture.start(dir, cloud, EngineFixture.fastOptions().withMaxOperationsPerStack(2));
    String template = """
        {"Resources": {
          "R1": {"Type": "Test::Thing", "Properties": {"LatencyMs": 150}},
          "R2": {"Type": "Test::Thing", "Properties": {"LatencyMs": 150}},
          "R3": {"Type": "Test::Thing", "Properties": {"LatencyMs": 150}},
          "R4": {"Type": "Test::Thing", "Properties": {"LatencyMs": 150}},
          "R5": {"Type": "Test::Thing", "Properties": {"LatencyMs": 150}}}}
        """;
    StackRecord done = createAndWait(engine, "bounded", template);
    assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(cloud.maxConcurrent()).isEqualTo(2);
  }

  @Test
  void theBoundOnOperationsPerAccountHoldsAcrossStacks() throws Exception {
    engine.close();
    engine = EngineFixture.start(dir, cloud, EngineFixture.fastOptions().withMaxOperationsPerAccount(3));
    String template = """
        {"Resources": {
          "R1": {"Type": "Test::Thing", "Properties": {"LatencyMs": 150}},
          "R2": {"Type": "Test::Thing", "Properties": {"LatencyMs": 150}},
          "R3": {"Type": "Test::Thing", "Properties": {"LatencyMs": 150}}}}
        """;
    List<String> ids = new java.util.ArrayList<>();
    for (String name : List.of("acct-a", "acct-b", "acct-c")) {
      ids.add(engine.createStack(new CreateStackRequest(name, template, "t.json", Map.of(), false, null, "account-1"))
          .stackId());
    }
    for (String id : ids) {
      assertThat(EngineFixture.await(engine, id).status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    }
    assertThat(cloud.createsAccepted()).isEqualTo(9);
    assertThat(cloud.maxConcurrent()).isEqualTo(3);
  }

  @Test
  void awaitingANonExistentStackSaysSo() {
    assertThatThrownBy(() -> engine.awaitSettled("nope", Duration.ofSeconds(1)))
        .hasMessageContaining("Stack with id nope does not exist");
  }
}
