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
    assertThat(engine.store().listExports()).isEmpty();
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
}
