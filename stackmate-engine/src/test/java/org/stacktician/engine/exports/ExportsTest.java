package org.stacktician.engine.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stacktician.engine.EngineFixture.createAndWait;
import static org.stacktician.engine.EngineFixture.deleteAndWait;

import org.junit.jupiter.api.Test;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.TestCloud;
import org.stacktician.engine.TestCloudEngineTest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/** Export / Fn::ImportValue across stacks of one store, and the refusal to delete a used export. */
class ExportsTest extends TestCloudEngineTest {
  static final String NETWORK = """
      {"Resources": {"Net": {"Type": "Test::Thing"}},
       "Outputs": {"NetId": {"Value": {"Ref": "Net"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-net"}}}}}
      """;
  static final String APP = """
      {"Resources": {"App": {"Type": "Test::Thing", "Properties": {"Net": {"Fn::ImportValue": "network-net"}}}}}
      """;

  @Test
  void importsAnExportAndProtectsItWhileImported() throws Exception {
    StackRecord network = createAndWait(engine, "network", NETWORK);
    assertThat(network.outputs().get(0).exportName()).isEqualTo("network-net");
    StackRecord app = createAndWait(engine, "app", APP);
    assertThat(app.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(engine.resources(app.stackId()).get(0).properties().get("Net").asText())
        .isEqualTo(network.outputs().get(0).value());

    assertThatThrownBy(() -> engine.deleteStack("network"))
        .isInstanceOf(StackOperationException.class)
        .hasMessage("Export network-net cannot be deleted as it is in use by app");

    deleteAndWait(engine, "app");
    assertThat(deleteAndWait(engine, "network").status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(engine.store().listExports(StackRecord.DEFAULT_SCOPE)).isEmpty();
  }

  @Test
  void getStackOutputReadsAnotherStacksOutputWithoutAnExport() throws Exception {
    StackRecord network = createAndWait(engine, "network", NETWORK.replace(
        ", \"Export\": {\"Name\": {\"Fn::Sub\": \"${AWS::StackName}-net\"}}", ""));
    assertThat(network.outputs().get(0).exportName()).isNull();
    String app = """
        AWSTemplateFormatVersion: 2010-09-09
        Resources:
          App:
            Type: Test::Thing
            Properties:
              Net: !GetStackOutput {StackName: network, OutputName: NetId}
        """;
    StackRecord created = createAndWait(engine, "app", app);
    assertThat(created.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(engine.resources(created.stackId()).get(0).properties().get("Net").asText())
        .isEqualTo(network.outputs().get(0).value());
    assertThat(deleteAndWait(engine, "network").status()).as("a weak reference, as in CloudFormation")
        .isEqualTo(StackStatus.DELETE_COMPLETE);

    assertThatThrownBy(() -> engine.createStack(org.stacktician.engine.CreateStackRequest.of("app2", app,
        java.util.Map.of())))
        .isInstanceOf(StackValidationException.class)
        .hasMessageContaining("Fn::GetStackOutput found no output NetId of a stack network in this cloud");
  }

  @Test
  void importingAnUnknownExportIsRejected() {
    assertThatThrownBy(() -> engine.createStack(org.stacktician.engine.CreateStackRequest.of("app", APP,
        java.util.Map.of())))
        .isInstanceOf(StackValidationException.class).hasMessageContaining("network-net");
  }

  @Test
  void aDuplicateExportNameFailsTheSecondStack() throws Exception {
    createAndWait(engine, "network", NETWORK);
    String clash = """
        {"Resources": {"Other": {"Type": "Test::Thing"}},
         "Outputs": {"Same": {"Value": "x", "Export": {"Name": "network-net"}}}}
        """;
    StackRecord second = createAndWait(engine, "clash", clash);
    assertThat(second.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(engine.events(second.stackId(), 0)).filteredOn(e -> e.aboutStack()
        && e.status().equals("ROLLBACK_IN_PROGRESS")).singleElement()
        .satisfies(e -> assertThat(e.statusReason())
            .contains("Export with name network-net is already exported by stack network"));
    assertThat(cloud.inventory().values()).extracting(TestCloud.Item::logicalId).containsExactly("Net");
  }

  @Test
  void stackNamesAndExportsBelongToTheirScope() throws Exception {
    StackRecord a = createAndWait(engine, scoped("alice", "network", NETWORK));
    StackRecord b = createAndWait(engine, scoped("bob", "network", NETWORK));
    assertThat(b.status()).as("the same name and export name in another scope").isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(a.scope()).isEqualTo("alice");
    assertThatThrownBy(() -> engine.createStack(scoped("alice", "network", NETWORK)))
        .isInstanceOf(org.stacktician.engine.state.StackAlreadyExistsException.class);
    assertThat(engine.describeStack("alice", "network")).hasValueSatisfying(s -> assertThat(s.stackId()).isEqualTo(a.stackId()));
    assertThat(engine.describeStack("bob", a.stackId())).as("another scope's stack by id").isEmpty();
    assertThat(engine.describeStack("network")).as("the default scope has no network").isEmpty();
    assertThat(engine.store().listExports("bob")).singleElement()
        .satisfies(e -> assertThat(e.stackId()).isEqualTo(b.stackId()));

    assertThatThrownBy(() -> engine.createStack(scoped("carol", "app", APP)))
        .as("another scope's export does not exist").isInstanceOf(StackValidationException.class)
        .hasMessageContaining("network-net");
    StackRecord app = createAndWait(engine, scoped("bob", "app", APP));
    assertThat(engine.resources(app.stackId()).get(0).properties().get("Net").asText())
        .isEqualTo(b.outputs().get(0).value());
    assertThat(engine.deleteStack(a.stackId()).status()).as("bob's app imports bob's export, not alice's")
        .isEqualTo(StackStatus.DELETE_IN_PROGRESS);
    assertThatThrownBy(() -> engine.deleteStack(b.stackId())).isInstanceOf(StackOperationException.class)
        .hasMessage("Export network-net cannot be deleted as it is in use by app");
  }

  private static org.stacktician.engine.CreateStackRequest scoped(String scope, String name, String template) {
    return new org.stacktician.engine.CreateStackRequest(name, template, "template", java.util.Map.of(), false, null,
        null, false, scope);
  }
}
