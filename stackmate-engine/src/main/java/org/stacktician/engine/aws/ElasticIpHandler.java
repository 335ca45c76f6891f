package org.stacktician.engine.aws;

import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.provider.PropertyUpdate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.engine.cloudstack.CallSequence;
import org.stacktician.engine.cloudstack.ResponseAttributes;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;

/**
 * {@code AWS::EC2::EIP} as {@code associateIpAddress} (in the instance's network when InstanceId
 * is given, else in the account's first isolated network of the default zone) plus {@code enableStaticNat} to the instance. {@code Ref} gives the
 * public address; {@code AllocationId} the CloudStack IP address id. Delete disables static NAT
 * and releases the address.
 */
final class ElasticIpHandler extends StepHandler {
  /** As CloudFormation: InstanceId moves the address (static NAT off, then on); Domain replaces. */
  private static final UpdateRules UPDATES = UpdateRules.of(java.util.Map.of(
      "InstanceId", PropertyUpdate.noInterruption("disableStaticNat", "enableStaticNat"),
      "Tags", PropertyUpdate.noInterruption("createTags", "deleteTags")));

  @Override
  public UpdateRules updateRules() {
    return UPDATES;
  }

  static final String TYPE = "AWS::EC2::EIP";
  private static final Set<String> KNOWN = Set.of("InstanceId", "Domain", "Tags");

  @Override
  public List<PropertyError> validate(ObjectNode props) {
    List<PropertyError> errors = AwsProperties.check(props, KNOWN, Set.of(), TYPE);
    AwsProperties.scalar(props, "InstanceId", errors);
    AwsProperties.tags(props, errors);
    return errors;
  }

  @Override
  protected ProgressEvent beginCreate(Step s) {
    requireValid(s.request.properties());
    Map<String, String> params = new LinkedHashMap<>();
    String instance = AwsProperties.text(s.request.properties(), "InstanceId").orElse(null);
    if (instance != null) {
      List<JsonNode> vms = s.client.list("listVirtualMachines", Map.of("id", instance));
      if (vms.isEmpty()) {
        throw new AwsPropertyException("InstanceId '" + instance + "' is not a virtual machine of this cloud");
      }
      String networkId = vms.get(0).path("nic").path(0).path("networkid").asText();
      requireStaticNat(s, instance, networkId);
      params.put("networkid", networkId);
    } else {
      // Public addresses belong to isolated (source-NAT) networks: use the account's first one.
      String zoneId = s.lookup.zone(null).id();
      s.client.list("listNetworks", Map.of("zoneid", zoneId)).stream()
          .filter(n -> !"Shared".equalsIgnoreCase(n.path("type").asText()))
          .findFirst()
          .ifPresentOrElse(n -> params.put("networkid", n.path("id").asText()), () -> params.put("zoneid", zoneId));
    }
    return s.async("associate", "associateIpAddress", params);
  }

  /**
   * Refuses, saying what the template needs, an instance in a shared network without static NAT (a
   * zone's default guest network, as a rule): CloudStack gives such a network no addresses to map.
   */
  private static void requireStaticNat(Step s, String instance, String networkId) {
    List<JsonNode> networks = s.client.list("listNetworks", Map.of("id", networkId));
    if (networks.isEmpty() || !"Shared".equalsIgnoreCase(networks.get(0).path("type").asText())) {
      return;
    }
    JsonNode network = networks.get(0);
    for (JsonNode service : network.path("service")) {
      if ("StaticNat".equalsIgnoreCase(service.path("name").asText())) {
        return;
      }
    }
    throw new AwsPropertyException("InstanceId '" + instance + "' is in the shared network " + network.path("name")
        .asText() + " of zone " + network.path("zonename").asText() + ", which has no static NAT, so no elastic IP "
        + "can be mapped to it: put the instance in an isolated network (SubnetId of a CloudStack::Network with "
        + "source NAT) or use a zone whose guest network offers static NAT");
  }

  @Override
  protected ProgressEvent afterCreate(Step s, String step, JsonNode result) {
    switch (step) {
      case "associate" -> {
        JsonNode ip = Step.unwrap(result, "ipaddress");
        s.state().put("physicalId", ip.path("ipaddress").asText());
        s.state().set("ip", ip);
        s.state().with("attributes").put("AllocationId", ip.path("id").asText());
        s.tagWithoutWaiting("PublicIpAddress", ip.path("id").asText());
        String instance = AwsProperties.text(s.request.properties(), "InstanceId").orElse(null);
        if (instance != null) {
          s.client.call("enableStaticNat", Map.of("ipaddressid", s.attribute("AllocationId"), "virtualmachineid", instance));
          s.state().with("attributes").put("InstanceId", instance);
        }
        Map<String, JsonNode> a = ResponseAttributes.of(s.state().get("ip"));
        a.put("AllocationId", TextNode.valueOf(s.attribute("AllocationId")));
        a.put("PublicIp", TextNode.valueOf(s.physicalId()));
        if (instance != null) {
          a.put("InstanceId", TextNode.valueOf(instance));
        }
        return ProgressEvent.success(s.physicalId(), a);
      }
      default -> throw new IllegalStateException("unknown step " + step);
    }
  }

  /**
   * InstanceId moves the address: static NAT off (when it maps to an instance now), then on to the new instance (when
   * there is one); Tags by deleteTags/createTags.
   */
  @Override
  protected CallSequence planUpdate(Step s, ObjectNode before, ObjectNode after, Set<String> changed) {
    String id = allocationId(s);
    if (id == null) {
      throw new AwsPropertyException("address " + s.physicalId() + " no longer exists");
    }
    CallSequence calls = new CallSequence();
    for (String name : changed) {
      switch (name) {
        case "InstanceId" -> {
          JsonNode ip = ReadBack.listed(s.client, "listPublicIpAddresses", Map.of("id", id))
              .orElseThrow(() -> new AwsPropertyException("address " + s.physicalId() + " no longer exists"));
          String mapped = ip.path("isstaticnat").asBoolean() ? ip.path("virtualmachineid").asText(null) : null;
          String wanted = AwsProperties.text(after, "InstanceId").orElse(null);
          if (mapped != null && !mapped.equals(wanted)) {
            calls.add("disableStaticNat", Map.of("ipaddressid", id));
          }
          if (wanted != null && !wanted.equals(mapped)) {
            calls.add("enableStaticNat", Map.of("ipaddressid", id, "virtualmachineid", wanted));
          }
        }
        case "Tags" -> calls.tagChanges("PublicIpAddress", id, AwsProperties.userTags(before),
            AwsProperties.userTags(after));
        default -> throw undeclared(List.of(name));
      }
    }
    return calls;
  }

  /** The address read back by its id: gone once released; InstanceId is the VM static NAT maps it to; Tags. */
  @Override
  public org.stacktician.engine.provider.ActualState readActual(org.stacktician.engine.provider.ResourceRequest request) {
    var client = request.context().cloudStack();
    if (client.isEmpty()) {
      return new org.stacktician.engine.provider.ActualState.NotChecked("no CloudStack endpoint is configured");
    }
    JsonNode allocation = request.attributes() == null ? null : request.attributes().get("AllocationId");
    var ip = ReadBack.listed(client.get(), "listPublicIpAddresses", allocation != null
        ? Map.of("id", allocation.asText()) : Map.of("ipaddress", request.physicalId()));
    if (ip.isEmpty()) {
      return new org.stacktician.engine.provider.ActualState.Gone();
    }
    ObjectNode actual = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    actual.put("InstanceId", ip.get().path("isstaticnat").asBoolean() ? ip.get().path("virtualmachineid").asText("")
        : "");
    actual.set("Tags", ReadBack.tags(ip.get()));
    return new org.stacktician.engine.provider.ActualState.Found(actual);
  }

  @Override
  protected ProgressEvent afterUpdate(Step s) {
    return found(s, allocationId(s));
  }

  @Override
  protected ProgressEvent beginDelete(Step s) {
    String id = allocationId(s);
    if (id == null) {
      return ProgressEvent.success(null);
    }
    s.state().put("allocationId", id);
    if (s.attribute("InstanceId") != null) {
      try {
        return s.async("disableNat", "disableStaticNat", Map.of("ipaddressid", id));
      } catch (CloudStackApiException e) {
        // Static NAT already gone (e.g. the instance was deleted first): release the address.
      }
    }
    return s.async("release", "disassociateIpAddress", Map.of("id", id));
  }

  @Override
  protected String taggedId(Step s) {
    return allocationId(s);
  }

  private static String allocationId(Step s) {
    String id = s.attribute("AllocationId");
    if (id != null) {
      return id;
    }
    if (!s.physicalId().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
      return s.physicalId(); // found by tags (delete-stack --by-tags): the tag holds the address id
    }
    List<JsonNode> ips = s.client.list("listPublicIpAddresses", Map.of("ipaddress", s.physicalId()));
    return ips.isEmpty() ? null : ips.get(0).path("id").asText();
  }

  @Override
  protected boolean goneAlready(String step, String errorText) {
    return step.equals("disableNat") || super.goneAlready(step, errorText);
  }

  @Override
  protected ProgressEvent afterDelete(Step s, String step, JsonNode result) {
    if (step.equals("disableNat")) {
      return s.async("release", "disassociateIpAddress", Map.of("id", s.state().path("allocationId").asText()));
    }
    return ProgressEvent.success(null);
  }

  @Override
  protected String tagResourceType() {
    return "PublicIpAddress";
  }

  @Override
  protected ProgressEvent found(Step s, String id) {
    return foundById(s, "listPublicIpAddresses", "address", id, ip -> {
      Map<String, JsonNode> a = ResponseAttributes.of(ip);
      a.put("AllocationId", TextNode.valueOf(id));
      a.put("PublicIp", TextNode.valueOf(ip.path("ipaddress").asText()));
      if (ip.hasNonNull("virtualmachineid")) {
        a.put("InstanceId", TextNode.valueOf(ip.get("virtualmachineid").asText()));
      }
      return ProgressEvent.success(ip.path("ipaddress").asText(), a);
    });
  }
}
