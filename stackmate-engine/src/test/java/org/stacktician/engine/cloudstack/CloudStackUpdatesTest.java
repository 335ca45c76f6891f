package org.stacktician.engine.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.engine.provider.UpdateBehavior;
import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.testing.SharedFiles;

/** In-place updates derived from CloudStack 4.18's own update APIs (conformance: reads ../shared). */
class CloudStackUpdatesTest {
  static ResourceTypeCatalog types;

  @BeforeAll
  static void load() {
    types = ResourceTypeCatalog.derive(ApiCatalog.fromFile(SharedFiles.resolve("cloudstack/listApis-4.18.json")));
  }

  private static UpdateRules rules(String type) {
    ResourceTypeDefinition def = types.type(type).orElseThrow();
    return new CloudStackResourceHandler(def).updateRules();
  }

  @Test
  void aVirtualMachineIsStoppedToChangeWhatUpdateVirtualMachineSaysNeedsAStop() {
    UpdateRules vm = rules("CloudStack::VirtualMachine");
    assertThat(vm.property("displayname").describe())
        .isEqualTo("some interruption via stopVirtualMachine, updateVirtualMachine, startVirtualMachine");
    // changeServiceForVirtualMachine is deprecated in favour of scaleVirtualMachine, live only when scalable
    assertThat(vm.property("ServiceOfferingId").describe()).isEqualTo("some interruption via stopVirtualMachine, "
        + "scaleVirtualMachine, startVirtualMachine (no interruption when the VM is dynamically scalable)");
    assertThat(vm.property("affinitygroupids").calls()).contains("updateVMAffinityGroup");
    assertThat(vm.property("keypair").calls()).contains("resetSSHKeyForVirtualMachine");
    assertThat(vm.property("tags").describe()).isEqualTo("no interruption via createTags, deleteTags");
    assertThat(vm.property("zoneid").behavior()).isEqualTo(UpdateBehavior.REPLACEMENT);
    // resetSSHKeyForVirtualMachine's account/domainid/projectid name the key's owner, not the VM's
    assertThat(vm.property("account").behavior()).isEqualTo(UpdateBehavior.REPLACEMENT);
    assertThat(vm.property("projectid").behavior()).isEqualTo(UpdateBehavior.REPLACEMENT);
    assertThat(vm.property("templateid").behavior()).isEqualTo(UpdateBehavior.REPLACEMENT);
    assertThat(vm.uniqueName("name")).isTrue();
  }

  @Test
  void networksAndVolumesChangeWithoutInterruption() {
    UpdateRules network = rules("CloudStack::Network");
    assertThat(network.property("displaytext").describe()).isEqualTo("no interruption via updateNetwork");
    assertThat(network.property("networkofferingid").behavior()).isEqualTo(UpdateBehavior.NO_INTERRUPTION);
    assertThat(network.property("zoneid").behavior()).isEqualTo(UpdateBehavior.REPLACEMENT);
    UpdateRules volume = rules("CloudStack::Volume");
    assertThat(volume.property("size").describe()).isEqualTo("no interruption via resizeVolume");
    assertThat(volume.property("diskofferingid").calls()).containsExactly("resizeVolume");
    assertThat(volume.property("name").describe()).isEqualTo("no interruption via updateVolume");
  }

  @Test
  void aTypeWithoutUpdateApisIsReplacedOnAnyChangeAndUniqueNamesAreKnown() {
    UpdateRules key = rules("CloudStack::SSHKeyPair");
    assertThat(key.properties()).isEmpty();
    assertThat(key.property("name").behavior()).isEqualTo(UpdateBehavior.REPLACEMENT);
    assertThat(key.uniqueName("NAME")).isTrue();
    assertThat(rules("CloudStack::SecurityGroupIngress").property("cidrlist").behavior())
        .isEqualTo(UpdateBehavior.REPLACEMENT);
  }

  @Test
  void everyTypesUpdatesComeFromItsOwnUpdateApis() {
    for (ResourceTypeDefinition def : types.types().values()) {
      UpdateRules r = new CloudStackResourceHandler(def).updateRules();
      r.properties().forEach((property, update) -> {
        if (!property.equals("tags")) {
          assertThat(update.calls()).as(def.typeName() + "." + property)
              .anyMatch(call -> def.updateApis().stream().anyMatch(api -> api.name().equals(call)
                  && api.parameter(property).isPresent()));
        }
      });
    }
  }
}
