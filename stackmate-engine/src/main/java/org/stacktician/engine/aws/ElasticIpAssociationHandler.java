package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;

/**
 * {@code AWS::EC2::EIPAssociation} as {@code enableStaticNat} of an address (EIP = the public
 * address, or AllocationId = its id) to InstanceId; {@code Ref} gives the address id; delete
 * disables static NAT.
 */
final class ElasticIpAssociationHandler extends StepHandler {
  static final String TYPE = "AWS::EC2::EIPAssociation";
  private static final Set<String> KNOWN = Set.of("EIP", "AllocationId", "InstanceId");

  @Override
  public List<PropertyError> validate(ObjectNode props) {
    List<PropertyError> errors = AwsProperties.check(props, KNOWN, Set.of("InstanceId"), TYPE);
    if (!props.has("EIP") && !props.has("AllocationId")) {
      errors.add(new PropertyError("AllocationId", "is required (or EIP)"));
    }
    return errors;
  }

  @Override
  protected ProgressEvent beginCreate(Step s) {
    requireValid(s.request.properties());
    ObjectNode p = s.request.properties();
    String id = AwsProperties.text(p, "AllocationId").orElse(null);
    List<JsonNode> ips = id == null
        ? s.client.list("listPublicIpAddresses", Map.of("ipaddress", AwsProperties.text(p, "EIP").orElseThrow()))
        : s.client.list("listPublicIpAddresses", Map.of("id", id));
    if (ips.isEmpty()) {
      throw new AwsPropertyException(id == null ? "EIP '" + AwsProperties.text(p, "EIP").orElseThrow()
          + "' is not a public address of this account" : "AllocationId '" + id + "' is not a public address id of this "
          + "account");
    }
    id = ips.get(0).path("id").asText();
    String instance = AwsProperties.text(p, "InstanceId").orElseThrow();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ipaddressid", id);
    params.put("virtualmachineid", instance);
    s.client.call("enableStaticNat", params);
    // The instance's PublicIp is this address now (see PublicAddresses).
    return ProgressEvent.success(id, Map.of("InstanceId", TextNode.valueOf(instance),
        "PublicIp", TextNode.valueOf(ips.get(0).path("ipaddress").asText())));
  }

  @Override
  protected ProgressEvent afterCreate(Step s, String step, JsonNode result) {
    throw new IllegalStateException("no async create step");
  }

  @Override
  protected boolean goneAlready(String step, String errorText) {
    return true; // static NAT that is not there any more is what delete wants
  }

  @Override
  protected ProgressEvent beginDelete(Step s) {
    try {
      return s.async("disableNat", "disableStaticNat", Map.of("ipaddressid", s.physicalId()));
    } catch (org.stacktician.cloudstack.client.CloudStackApiException e) {
      return ProgressEvent.success(null);
    }
  }
}
