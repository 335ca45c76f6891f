package org.stacktician.engine.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Optional;
import org.stacktician.engine.aws.PublicAddresses;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.template.ResourceValues;

/** {@code Ref} and {@code Fn::GetAtt} over the current rows of a stack whose resources exist (created or updated). */
final class StackValues implements ResourceValues {
  private final Map<String, ResourceRecord> resources;

  StackValues(Map<String, ResourceRecord> resources) {
    this.resources = resources;
  }

  @Override
  public Optional<JsonNode> ref(String logicalId) {
    ResourceRecord r = resources.get(logicalId);
    if (r == null || !r.complete() || r.physicalId() == null) {
      return Optional.empty();
    }
    return Optional.of(TextNode.valueOf(r.physicalId()));
  }

  @Override
  public Optional<JsonNode> getAtt(String logicalId, String attribute) {
    ResourceRecord r = resources.get(logicalId);
    if (r == null || !r.complete()) {
      return Optional.empty();
    }
    if (PublicAddresses.applies(r, attribute)) {
      Optional<JsonNode> nat = PublicAddresses.staticNat(r, resources.values());
      if (nat.isPresent()) {
        return nat;
      }
    }
    JsonNode v = r.attributes().get(attribute);
    if (v == null) {
      // Attribute names are matched without regard to case, as the original did for CloudStack fields.
      for (Map.Entry<String, JsonNode> e : r.attributes().entrySet()) {
        if (e.getKey().equalsIgnoreCase(attribute)) {
          return Optional.of(e.getValue());
        }
      }
    }
    return Optional.ofNullable(v);
  }

  @Override
  public Optional<String> whyNoAttribute(String logicalId, String attribute) {
    ResourceRecord r = resources.get(logicalId);
    return r != null && PublicAddresses.applies(r, attribute) ? Optional.of(PublicAddresses.whyNone(r)) : Optional.empty();
  }

  @Override
  public boolean created(String logicalId) {
    ResourceRecord r = resources.get(logicalId);
    return r != null && r.complete();
  }
}
