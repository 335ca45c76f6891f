package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cli.CloudCli;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;

/**
 * AWS::EC2::EIP and an instance's PublicIp through create-stack on a simulator, checked through the
 * CloudStack API: refused clearly in the zone's shared network, the static-NAT address in an
 * isolated one, and never the private address.
 */
class ElasticIpCliTest {
  static final String INSTANCE = """
      "Web": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "Ubuntu 22.04 LTS",
              "InstanceType": "Small Instance"%s}}""";
  static final String NETWORK = """
      "Net": {"Type": "CloudStack::Network", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-net"},
              "displaytext": "isolated", "zoneid": {"Ref": "ZoneId"}, "networkofferingid": {"Ref": "OfferingId"}}}""";
  static final String EIP = """
      "Ip": {"Type": "AWS::EC2::EIP", "Properties": {"InstanceId": {"Ref": "Web"}}}""";
  static final String PARAMETERS = """
      "Parameters": {"ZoneId": {"Type": "String"}, "OfferingId": {"Type": "String"}}""";

  @TempDir Path tmp;
  CloudStackSimulator simulator;
  CloudCli cli;
  CloudStackClient client;

  @BeforeEach
  void start() {
    simulator = CloudStackSimulator.start();
    cli = new CloudCli(simulator, tmp.resolve("state"));
    client = cli.client();
  }

  @AfterEach
  void stop() {
    client.close();
    simulator.close();
  }

  private Path template(String name, String... parts) throws Exception {
    return Files.writeString(tmp.resolve(name), "{" + PARAMETERS + ", \"Resources\": {" + String.join(", ", parts)
        + "}, \"Outputs\": {\"WebIp\": {\"Value\": {\"Fn::GetAtt\": [\"Web\", \"PublicIp\"]}},"
        + " \"WebDns\": {\"Value\": {\"Fn::GetAtt\": [\"Web\", \"PublicDnsName\"]}}}}");
  }

  private String id(String command, String name, Map<String, String> filter) {
    return client.list(command, filter).stream().filter(n -> n.path("name").asText().equals(name)).findFirst()
        .orElseThrow().path("id").asText();
  }

  private CliRun create(String stack, Path template) {
    return cli.run("create-stack", stack, "--template-file", template.toString(), "-o", "json",
        "-p", "ZoneId=" + id("listZones", "Sandbox-simulator", Map.of()),
        "-p", "OfferingId=" + id("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService", Map.of()));
  }

  private static Map<String, String> outputs(CliRun run) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    run.json().path("Stack").path("Outputs").forEach(o -> out.put(o.path("OutputKey").asText(),
        o.path("OutputValue").asText()));
    return out;
  }

  @Test
  void anEipForAnInstanceInTheSharedNetworkSaysWhatTheTemplateNeeds() throws Exception {
    CliRun r = create("shared", template("shared.json", INSTANCE.formatted(""), EIP));
    assertThat(r.exit()).isEqualTo(1);
    String said = r.json().path("StackEvents").toString();
    assertThat(said).contains("is in the shared network").contains("which has no static NAT")
        .contains("isolated network").doesNotContain("Can't associate ip");
    assertThat(r.json().path("Stack").path("StackStatus").asText()).isEqualTo("ROLLBACK_COMPLETE");
    assertThat(client.list("listPublicIpAddresses", Map.of("isstaticnat", "true"))).isEmpty();
    assertThat(client.list("listVirtualMachines", Map.of())).isEmpty();
  }

  @Test
  void publicIpIsTheStaticNatAddressOfTheInstancesEip() throws Exception {
    CliRun r = create("nat", template("nat.json", NETWORK, INSTANCE.formatted(", \"SubnetId\": {\"Ref\": \"Net\"}"), EIP));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    Map<String, String> outputs = outputs(r);
    List<JsonNode> vms = client.list("listVirtualMachines", Map.of());
    assertThat(vms).hasSize(1);
    List<JsonNode> nat = client.list("listPublicIpAddresses", Map.of("isstaticnat", "true"));
    assertThat(nat).hasSize(1);
    assertThat(nat.get(0).path("virtualmachineid").asText()).isEqualTo(vms.get(0).path("id").asText());
    assertThat(outputs).containsEntry("WebIp", nat.get(0).path("ipaddress").asText())
        .containsEntry("WebDns", nat.get(0).path("ipaddress").asText());
    assertThat(outputs.get("WebIp")).isNotEqualTo(vms.get(0).path("nic").path(0).path("ipaddress").asText());
  }

  @Test
  void anInstanceWithNoPublicAddressHasNoPublicIpNotItsPrivateOne() throws Exception {
    CliRun r = create("private", template("private.json", NETWORK,
        INSTANCE.formatted(", \"SubnetId\": {\"Ref\": \"Net\"}")));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.json().toString()).contains("Fn::GetAtt Web.PublicIp").contains("has no public address")
        .contains("AWS::EC2::EIP");
    assertThat(client.list("listVirtualMachines", Map.of())).as("rolled back").isEmpty();
  }

  @Test
  void anInstanceInTheSharedNetworkIsReachedAtItsOwnAddress() throws Exception {
    CliRun r = create("flat", template("flat.json", INSTANCE.formatted("")));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonNode vm = client.list("listVirtualMachines", Map.of()).get(0);
    assertThat(vm.path("nic").path(0).path("type").asText()).isEqualTo("Shared");
    assertThat(outputs(r)).containsEntry("WebIp", vm.path("nic").path(0).path("ipaddress").asText());
  }
}
