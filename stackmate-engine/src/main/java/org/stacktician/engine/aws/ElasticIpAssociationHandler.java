package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    if (id == null) {
      String address = AwsProperties.text(p, "EIP").orElseThrow();
      List<JsonNode> ips = s.client.list("listPublicIpAddresses", Map.of("ipaddress", address));
      if (ips.isEmpty()) {
        throw new AwsPropertyException("EIP '" + address + "' is not a public address of this account");
      }
      id = ips.get(0).path("id").asText();
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ipaddressid", id);
    params.put("virtualmachineid", AwsProperties.text(p, "InstanceId").orElseThrow());
    s.client.call("enableStaticNat", params);
    return ProgressEvent.success(id);
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
