package org.stacktician.cloudstack.client.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.envelope.AsyncJobResult;
import org.stacktician.cloudstack.client.envelope.ResponseEnvelope;
import org.stacktician.cloudstack.client.AsyncJobStatus;
import org.stacktician.testing.SharedFiles;

/** Types derived from the real 4.18 and 4.11 listApis dumps (counts explained in the README). */
class ResourceTypeCatalogTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ApiCatalog apis418;
  private static ResourceTypeCatalog types418;
  private static ResourceTypeCatalog types411;

  @BeforeAll
  static void derive() {
    apis418 = ApiCatalog.fromFile(SharedFiles.resolve("cloudstack/listApis-4.18.json"));
    types418 = ResourceTypeCatalog.derive(apis418);
    types411 = ResourceTypeCatalog.derive(ApiCatalog.fromFile(SharedFiles.resolve("cloudstack/listApis-4.11.json")));
  }

  private static ResourceTypeDefinition type(String name) {
    return types418.type(name).orElseThrow(() -> new AssertionError("no type " + name));
  }

  @Test
  void countsFromTheReal418And411Dumps() {
    assertThat(types418.types()).hasSize(128);
    assertThat(types418.excluded()).hasSize(453);
    assertThat(types411.types()).hasSize(113);
    assertThat(types411.excluded()).hasSize(367);
    // every API is either part of a type or excluded with a reason
    Set<String> used = new HashSet<>();
    types418.types().values().forEach(t -> {
      used.add(t.createApi().name());
      used.add(t.deleteApi().name());
    });
    Set<String> excluded = types418.excluded().stream().map(ExcludedApi::api).collect(Collectors.toSet());
    assertThat(used).doesNotContainAnyElementsOf(excluded);
    assertThat(used.size() + excluded.size()).isEqualTo(705);
    assertThat(types418.excluded()).allSatisfy(e -> assertThat(e.reason()).isNotBlank());
    // by family: 66 create/delete + createSnapshotPolicy; read-only APIs are all excluded
    assertThat(types418.types().values().stream().filter(t -> t.createApi().name().startsWith("create"))).hasSize(67);
    assertThat(types418.excluded().stream().filter(e -> e.reason().startsWith("read-only"))).hasSize(211);
  }

  @Test
  void everyPairOfTheCuratedPairListIsATypeOrExcludedWithAReason() throws IOException {
    Pattern pair = Pattern.compile("^- (\\w+)\\*? / (\\w+)\\*?(\\s|$)");
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String line : Files.readAllLines(SharedFiles.resolve("cloudstack/listApis-pairs-4.18.txt"))) {
      Matcher m = pair.matcher(line);
      if (m.find()) {
        pairs.put(m.group(1), m.group(2));
      }
    }
    assertThat(pairs).hasSizeGreaterThan(120);
    Map<String, String> reasons = types418.excluded().stream()
        .collect(Collectors.toMap(ExcludedApi::api, ExcludedApi::reason));
    pairs.forEach((create, delete) -> {
      boolean isType = types418.types().values().stream()
          .anyMatch(t -> t.createApi().name().equals(create) && t.deleteApi().name().equals(delete));
      if (!isType) {
        String reason = reasons.getOrDefault(create, reasons.get(delete));
        assertThat(reason).as(create + "/" + delete).isNotNull()
            .containsAnyOf("left out", "another way to remove");
      }
    });
  }

  @Test
  void typeNamesAreUniqueAndNeverOverwritten() {
    // the original lost createAutoScaleVmGroup to enableAutoScaleVmGroup; here both exist
    assertThat(type("CloudStack::AutoScaleVmGroup").createApi().name()).isEqualTo("createAutoScaleVmGroup");
    assertThat(type("CloudStack::EnabledAutoScaleVmGroup").createApi().name()).isEqualTo("enableAutoScaleVmGroup");
    assertThat(type("CloudStack::SSHKeyPair").createApi().name()).isEqualTo("createSSHKeyPair");
    assertThat(type("CloudStack::RegisteredSSHKeyPair").createApi().name()).isEqualTo("registerSSHKeyPair");
    assertThat(type("CloudStack::Template").createApi().name()).isEqualTo("createTemplate");
    assertThat(type("CloudStack::RegisteredTemplate").createApi().name()).isEqualTo("registerTemplate");
    assertThat(type("CloudStack::VolumeAttachment").createApi().name()).isEqualTo("attachVolume");
    assertThat(type("CloudStack::StartedVirtualMachine").deleteApi().name()).isEqualTo("stopVirtualMachine");
    assertThat(types418.types().keySet()).allSatisfy(n -> assertThat(n).matches("CloudStack::[A-Z][A-Za-z0-9]+"));
  }

  @Test
  void deleteApisAreTheRealOnesNotTheOriginalsBrokenNames() {
    assertThat(type("CloudStack::NicIp").deleteApi().name()).isEqualTo("removeIpFromNic");
    assertThat(type("CloudStack::VirtualMachineNic").deleteApi().name()).isEqualTo("removeNicFromVirtualMachine");
    assertThat(type("CloudStack::LoadBalancerRuleAssignment").deleteApi().name()).isEqualTo("removeFromLoadBalancerRule");
    assertThat(type("CloudStack::GlobalLoadBalancerRuleAssignment").deleteApi().name())
        .isEqualTo("removeFromGlobalLoadBalancerRule");
    assertThat(type("CloudStack::SnapshotPolicy").deleteApi().name()).isEqualTo("deleteSnapshotPolicies");
    assertThat(type("CloudStack::StaticNat").deleteApi().name()).isEqualTo("disableStaticNat");
    types418.types().values().forEach(t -> assertThat(apis418.api(t.deleteApi().name())).as(t.typeName()).isPresent());
  }

  @Test
  void virtualMachine() {
    ResourceTypeDefinition vm = type("CloudStack::VirtualMachine");
    assertThat(vm.createApi().name()).isEqualTo("deployVirtualMachine");
    assertThat(vm.deleteApi().name()).isEqualTo("destroyVirtualMachine");
    assertThat(vm.deleteIdParameter()).isEqualTo("id");
    assertThat(vm.idSource()).isEqualTo("id");
    assertThat(vm.responseObjectKey()).isEqualTo("virtualmachine");
    assertThat(vm.taggable()).isTrue();
    assertThat(vm.tagResourceType()).isEqualTo("UserVm");
    assertThat(vm.requiredProperties()).extracting(PropertyDefinition::name)
        .containsExactly("serviceofferingid", "templateid", "zoneid");
    assertThat(vm.property("userdata").orElseThrow().length()).isEqualTo(1048576);
    assertThat(vm.attributes()).extracting(AttributeDefinition::name).contains("nic", "state", "id")
        .doesNotContain("jobid", "jobstatus");
    assertThat(types418.type("virtualmachine")).contains(vm);
  }

  @Test
  void irregularDeleteParametersAndResultKeys() {
    ResourceTypeDefinition keyPair = type("CloudStack::SSHKeyPair");
    assertThat(keyPair.deleteIdParameter()).isEqualTo("name");
    assertThat(keyPair.responseObjectKey()).isEqualTo("keypair");
    assertThat(keyPair.taggable()).isFalse();

    assertThat(type("CloudStack::LoadBalancerRule").responseObjectKey()).isEqualTo("loadbalancer");
    assertThat(type("CloudStack::IpAddress").responseObjectKey()).isEqualTo("ipaddress");
    assertThat(type("CloudStack::IpAddress").tagResourceType()).isEqualTo("PublicIpAddress");
    assertThat(type("CloudStack::EgressFirewallRule").responseObjectKey()).isEqualTo("firewallrule");
    assertThat(type("CloudStack::VMSnapshot").deleteIdParameter()).isEqualTo("vmsnapshotid");
    assertThat(type("CloudStack::RemoteAccessVpn").deleteIdParameter()).isEqualTo("publicipid");
    assertThat(type("CloudStack::RemoteAccessVpn").idSource()).isEqualTo("param:publicipid");

    ResourceTypeDefinition staticNat = type("CloudStack::StaticNat");
    assertThat(staticNat.createApi().async()).isFalse();
    assertThat(staticNat.deleteApi().async()).isTrue();
    assertThat(staticNat.responseObjectKey()).isNull();
    assertThat(staticNat.deleteCalls(null, Map.of("ipaddressid", "ip-1", "virtualmachineid", "vm-1")))
        .containsExactly(Map.of("ipaddressid", "ip-1"));
  }

  @Test
  void securityGroupRulesAreRevokedRuleByRule() throws IOException {
    ResourceTypeDefinition ingress = type("CloudStack::SecurityGroupIngress");
    assertThat(ingress.deleteApi().name()).isEqualTo("revokeSecurityGroupIngress");
    assertThat(ingress.idSource()).isEqualTo("ingressrule[*].ruleid");
    assertThat(ingress.responseObjectKey()).isEqualTo("securitygroup");
    assertThat(ingress.tagResourceType()).isEqualTo("SecurityGroupRule");
    JsonNode group = JSON.readTree("{\"id\":\"sg\",\"ingressrule\":[{\"ruleid\":\"r1\"},{\"ruleid\":\"r2\"}]}");
    assertThat(ingress.deleteCalls(group, Map.of("securitygroupid", "sg")))
        .containsExactly(Map.of("id", "r1"), Map.of("id", "r2"));
  }

  @Test
  void multiParameterDeletes() throws IOException {
    ResourceTypeDefinition members = type("CloudStack::LoadBalancerRuleAssignment");
    assertThat(members.deleteCalls(null, Map.of("id", "lb", "virtualmachineids", "a,b")))
        .containsExactly(Map.of("id", "lb", "virtualmachineids", "a,b"));

    ResourceTypeDefinition tags = type("CloudStack::Tags");
    assertThat(tags.deleteCalls(null, Map.of("resourceids", "vm", "resourcetype", "UserVm",
        "tags[0].key", "k", "tags[0].value", "v")))
        .containsExactly(Map.of("resourceids", "vm", "resourcetype", "UserVm", "tags[0].key", "k", "tags[0].value", "v"));

    ResourceTypeDefinition nic = type("CloudStack::VirtualMachineNic");
    JsonNode vm = JSON.readTree("{\"id\":\"vm\",\"nic\":[{\"id\":\"n1\",\"networkid\":\"net1\"},"
        + "{\"id\":\"n2\",\"networkid\":\"net2\"}]}");
    assertThat(nic.deleteCalls(vm, Map.of("virtualmachineid", "vm", "networkid", "net2")))
        .containsExactly(Map.of("nicid", "n2", "virtualmachineid", "vm"));

    ResourceTypeDefinition account = type("CloudStack::EnabledAccount");
    assertThat(account.deleteCalls(JSON.readTree("{\"id\":\"acc\"}"), Map.of("id", "acc")))
        .containsExactly(Map.of("id", "acc", "lock", "false"));
  }

  @Test
  void exclusionsSayWhy() {
    Map<String, String> reasons = types418.excluded().stream()
        .collect(Collectors.toMap(ExcludedApi::api, ExcludedApi::reason));
    assertThat(reasons.get("listZones")).isEqualTo("read-only (list)");
    assertThat(reasons.get("destroyVolume")).isEqualTo(
        "another way to remove or detach a CloudStack::Volume; the type is removed with deleteVolume");
    assertThat(reasons.get("updateVirtualMachine")).isEqualTo("in-place update of CloudStack::VirtualMachine");
    assertThat(reasons.get("addUserToProject")).contains("userid cannot be derived");
    assertThat(reasons.get("registerUserData")).contains("id cannot be derived");
    assertThat(reasons.get("startRouter")).contains("which no lifecycle pair creates");
    assertThat(reasons.get("createConsoleEndpoint")).contains("no matching delete/destroy API");
    assertThat(reasons.get("rebootVirtualMachine")).contains("action on an existing CloudStack::VirtualMachine");
  }

  @Test
  void curatedResultKeysMatchTheRecordedResponses() throws IOException {
    Map<String, JsonNode> recorded = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(SharedFiles.resolve("cloudstack/responses"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JSON.readTree(f.toFile()).fields().forEachRemaining(e -> recorded.put(e.getKey(), e.getValue()));
      }
    }
    recorded.put("assignToLoadBalancerRule", recorded.get("assignLoadBalancerRule")); // fixture named after the Go test
    int checked = 0;
    for (ResourceTypeDefinition t : types418.types().values()) {
      JsonNode body = recorded.get(t.createApi().name());
      if (body == null) {
        continue;
      }
      JsonNode inner = ResponseEnvelope.unwrap(body).orElseThrow();
      JsonNode result = inner.has("jobstatus")
          ? ((AsyncJobStatus.Succeeded) AsyncJobResult.read("?", inner)).result() : inner;
      String actual = ResponseEnvelope.isSuccess(result) ? null : ResponseEnvelope.resultKey(result).orElseThrow();
      assertThat(t.responseObjectKey()).as(t.typeName()).isEqualTo(actual);
      checked++;
    }
    assertThat(checked).isEqualTo(35);
  }

  @Test
  void closeMatchesForMistypedNames() {
    assertThat(types418.closeMatches("CloudStack::VirtualMachin", 3)).first().isEqualTo("CloudStack::VirtualMachine");
    assertThat(types418.closeMatches("securitygroup", 5)).contains("CloudStack::SecurityGroup");
    assertThat(types418.closeMatches("Secgroup", 5)).contains("CloudStack::SecurityGroup");
    assertThat(types418.closeMatches("Zzzzzzzzzzzzzzzzzz", 3)).isEmpty();
    assertThat(types418.type("CloudStack::Nope")).isEmpty();
    assertThat(List.copyOf(types418.types().keySet())).isSorted();
  }
}
