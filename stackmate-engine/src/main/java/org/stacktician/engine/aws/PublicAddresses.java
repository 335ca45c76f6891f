package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Optional;
import org.stacktician.engine.stack.ResourceRecord;

/**
 * An {@code AWS::EC2::Instance}'s {@code PublicIp} and {@code PublicDnsName}: the address static NAT
 * gives it. An EIP (or EIPAssociation) of the same stack usually enables that NAT after the instance
 * exists, so its address is read from that resource; an instance with no public address has no such
 * attribute (as a CloudFormation instance in a private subnet), never its private address.
 */
public final class PublicAddresses {
  private PublicAddresses() {}

  /** True for the public-address attributes of an instance. */
  public static boolean applies(ResourceRecord resource, String attribute) {
    return InstanceHandler.TYPE.equals(resource.type())
        && ("PublicIp".equalsIgnoreCase(attribute) || "PublicDnsName".equalsIgnoreCase(attribute));
  }

  /** The address a created resource of {@code stack} maps to the instance by static NAT, if any. */
  public static Optional<JsonNode> staticNat(ResourceRecord instance, Collection<ResourceRecord> stack) {
    if (instance.physicalId() == null) {
      return Optional.empty();
    }
    return stack.stream()
        .filter(r -> r.complete()
            && instance.physicalId().equals(text(r.attributes().get("InstanceId"))) && r.attributes().containsKey("PublicIp"))
        .map(r -> r.attributes().get("PublicIp"))
        .findFirst();
  }

  /** Why the instance has no public address, and what the template needs for one. */
  public static String whyNone(ResourceRecord instance) {
    return "instance " + instance.logicalId() + " has no public address: it is in an isolated network and no static "
        + "NAT maps an address to it. Give it an AWS::EC2::EIP with InstanceId, and read the address once that "
        + "exists (in Outputs, or with DependsOn on the EIP), or use the EIP's Ref";
  }

  private static String text(JsonNode v) {
    return v == null ? null : v.asText();
  }
}
