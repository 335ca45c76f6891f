package org.stacktician.engine.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.PropertyDefinition;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.testing.SharedFiles;

/** Property encoding against the real CloudStack 4.18 listApis (every derived type). */
class ParameterEncoderTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ResourceTypeCatalog types;

  @BeforeAll
  static void load() {
    types = ResourceTypeCatalog.derive(ApiCatalog.fromFile(SharedFiles.resolve("cloudstack/listApis-4.18.json")));
  }

  static ResourceTypeDefinition type(String name) {
    return types.type(name).orElseThrow();
  }

  @Test
  void theOriginalsQueryStringMapsListsAndTagsAreEncoded() {
    ObjectNode props = JSON.createObjectNode().put("serviceofferingid", "so").put("zoneid", "z").put("templateid", "t")
        .put("name", "DomainController")
        .put("iptonetworklist", "iptonetworklist[0].ip=10.0.1.5&iptonetworklist[0].networkid=net-1");
    props.putArray("securitygroupids").add("sg-1").add("sg-2");
    props.putObject("details").put("rootdisksize", "20");
    props.putArray("tags").addObject().put("key", "Name").put("value", "InternetNAT");
    ParameterEncoder.Encoded e = ParameterEncoder.encode(type("CloudStack::VirtualMachine"), props, "xa", "DC");
    assertThat(e.errors()).isEmpty();
    assertThat(e.params()).containsEntry("iptonetworklist[0].ip", "10.0.1.5")
        .containsEntry("iptonetworklist[0].networkid", "net-1")
        .containsEntry("securitygroupids", "sg-1,sg-2")
        .containsEntry("details[0].rootdisksize", "20")
        .containsEntry("name", "xa-DomainController")
        .doesNotContainKey("tags");
    assertThat(e.userTags()).containsEntry("Name", "InternetNAT");
  }

  @Test
  void userdataIsBase64AndNamesArePrefixedOrGenerated() {
    ObjectNode props = JSON.createObjectNode().put("serviceofferingid", "so").put("zoneid", "z")
        .put("userdata", "#!/bin/sh\necho hi\n");
    ParameterEncoder.Encoded e = ParameterEncoder.encode(type("CloudStack::VirtualMachine"), props, "web", "Vm");
    assertThat(new String(Base64.getDecoder().decode(e.params().get("userdata")), StandardCharsets.UTF_8))
        .isEqualTo("#!/bin/sh\necho hi\n");
    String encoded = Base64.getEncoder().encodeToString("already".getBytes(StandardCharsets.UTF_8));
    props.put("userdata", encoded);
    assertThat(ParameterEncoder.encode(type("CloudStack::VirtualMachine"), props, "web", "Vm").params())
        .containsEntry("userdata", encoded);

    assertThat(ParameterEncoder.encode(type("CloudStack::VirtualMachine"), JSON.createObjectNode().put("zoneid", "z")
        .put("serviceofferingid", "so"), "my_stack", "Web").params()).containsEntry("name", "my-stack-Web");
    assertThat(ParameterEncoder.encode(type("CloudStack::VirtualMachine"), JSON.createObjectNode().put("zoneid", "z")
        .put("serviceofferingid", "so").put("name", "web server"), "web", "Vm").errors()).map(Object::toString)
        .contains("property 'name' gives the host name 'web-web server', which is not one (letters, digits and"
            + " hyphens, starting with a letter, at most 63 characters)");

    ParameterEncoder.Encoded sg = ParameterEncoder.encode(type("CloudStack::SecurityGroup"), JSON.createObjectNode(), "web", "Sg");
    assertThat(sg.errors()).isEmpty();
    assertThat(sg.params()).containsEntry("name", "web-Sg");
    ParameterEncoder.Encoded again = ParameterEncoder.encode(type("CloudStack::SecurityGroup"),
        JSON.createObjectNode().put("name", "web-Sg"), "web", "Sg");
    assertThat(again.params()).containsEntry("name", "web-Sg");
  }

  @Test
  void typeAndLengthProblemsNameTheProperty() {
    ObjectNode props = JSON.createObjectNode().put("serviceofferingid", "so").put("zoneid", "z")
        .put("size", "large").put("displayname", "x".repeat(300)).put("startvm", "yes");
    props.putArray("keypair").add("a");
    assertThat(ParameterEncoder.encode(type("CloudStack::VirtualMachine"), props, "s", "Vm").errors())
        .map(Object::toString).contains(
            "property 'size' must be an integer, got \"large\"",
            "property 'startvm' must be true or false, got \"yes\"",
            "property 'keypair' must be a string, got a list");
    ObjectNode tags = JSON.createObjectNode();
    tags.putArray("tags").addObject().put("Key", "a").put("Value", "b");
    assertThat(ParameterEncoder.encode(type("CloudStack::SSHKeyPair"), tags, "s", "K").errors())
        .map(Object::toString).containsExactly("property 'tags' cannot be used: CloudStack::SSHKeyPair cannot be tagged");
  }

  @Test
  void everyDerivedTypeReportsItsRequiredParametersWithoutCalling() {
    assertThat(types.types()).hasSizeGreaterThan(100);
    for (ResourceTypeDefinition t : types.types().values()) {
      CloudStackResourceHandler handler = new CloudStackResourceHandler(t);
      var errors = handler.validate(JSON.createObjectNode());
      var expected = t.requiredProperties().stream().map(PropertyDefinition::name).filter(n -> !n.equals("name")).toList();
      assertThat(errors).as(t.typeName()).extracting(e -> e.property()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }
}
