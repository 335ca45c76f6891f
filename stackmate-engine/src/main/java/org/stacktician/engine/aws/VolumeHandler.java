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
import org.stacktician.engine.cloudstack.CallSequence;
import org.stacktician.engine.cloudstack.ResponseAttributes;
import java.util.Optional;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.engine.provider.ActualState;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.PropertyError;

/**
 * {@code AWS::EC2::Volume} as {@code createVolume} named {@code <stack>-<logical>}: Size (GiB)
 * with the mapping file's disk offering (default "Custom"), or SnapshotId; AvailabilityZone;
 * Tags. {@code Ref} gives the volume id.
 */
final class VolumeHandler extends StepHandler {
  /**
   * As CloudFormation: Size, VolumeType and Iops change in place; AvailabilityZone, SnapshotId, Encrypted replace. On
   * CloudStack a volume's offering is the mapping file's (VolumeType and Iops are accepted and not used, at create
   * as at update), so a change of them needs no call.
   */
  private static final UpdateRules UPDATES = UpdateRules.of(java.util.Map.of(
      "Size", PropertyUpdate.noInterruption("resizeVolume").withNote("a volume cannot shrink"),
      "Iops", PropertyUpdate.noInterruption().withNote("not used on CloudStack: the mapping file's disk offering"),
      "VolumeType", PropertyUpdate.noInterruption().withNote("not used on CloudStack: the mapping file's disk offering"),
      "Tags", PropertyUpdate.noInterruption("createTags", "deleteTags")));

  @Override
  public UpdateRules updateRules() {
    return UPDATES;
  }

  static final String TYPE = "AWS::EC2::Volume";
  private static final long GIB = 1024L * 1024 * 1024;
  private static final Set<String> KNOWN = Set.of("Size", "SnapshotId", "AvailabilityZone", "Tags", "VolumeType",
      "Encrypted", "Iops");

  @Override
  public List<PropertyError> validate(ObjectNode props) {
    List<PropertyError> errors = AwsProperties.check(props, KNOWN, Set.of(), TYPE);
    AwsProperties.integer(props, "Size", errors);
    AwsProperties.scalar(props, "SnapshotId", errors);
    AwsProperties.scalar(props, "AvailabilityZone", errors);
    AwsProperties.tags(props, errors);
    if (!props.has("Size") && !props.has("SnapshotId")) {
      errors.add(new PropertyError("Size", "is required (or SnapshotId)"));
    }
    return errors;
  }

  @Override
  protected ProgressEvent beginCreate(Step s) {
    requireValid(s.request.properties());
    ObjectNode p = s.request.properties();
    CloudLookup.Zone zone = s.lookup.zone(AwsProperties.text(p, "AvailabilityZone").orElse(null));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("name", s.request.stack().stackName() + "-" + s.request.logicalId());
    params.put("zoneid", zone.id());
    AwsProperties.text(p, "SnapshotId").ifPresentOrElse(snap -> params.put("snapshotid", snap), () -> {
      params.put("diskofferingid", s.lookup.diskOffering());
      params.put("size", AwsProperties.text(p, "Size").orElseThrow());
    });
    s.state().with("attributes").put("AvailabilityZone", zone.name());
    return s.async("create", "createVolume", params);
  }

  @Override
  protected ProgressEvent afterCreate(Step s, String step, JsonNode result) {
    if (step.equals("create")) {
      JsonNode volume = Step.unwrap(result, "volume");
      s.state().put("physicalId", volume.path("id").asText(s.state().path("createId").asText()));
      s.state().set("volume", volume);
      s.tagWithoutWaiting("Volume", s.physicalId());
    }
    Map<String, JsonNode> a = ResponseAttributes.of(s.state().get("volume"));
    a.put("AvailabilityZone", TextNode.valueOf(s.state().path("attributes").path("AvailabilityZone").asText()));
    a.put("VolumeId", TextNode.valueOf(s.physicalId()));
    return ProgressEvent.success(s.physicalId(), a);
  }

  /** Size by resizeVolume (GiB; a size the volume already has is not asked for again); Tags by deleteTags/createTags. */
  @Override
  protected CallSequence planUpdate(Step s, ObjectNode before, ObjectNode after, Set<String> changed) {
    String id = s.physicalId();
    CallSequence calls = new CallSequence();
    for (String name : changed) {
      switch (name) {
        case "Size" -> {
          JsonNode volume = ReadBack.listed(s.client, "listVolumes", Map.of("id", id))
              .orElseThrow(() -> new AwsPropertyException("volume " + id + " no longer exists"));
          String size = AwsProperties.text(after, "Size")
              .orElseThrow(() -> new AwsPropertyException("Size cannot be removed from a volume"));
          if (volume.path("size").asLong() != Long.parseLong(size) * GIB) {
            calls.addOn("resizeVolume", id, Map.of("size", size));
          }
        }
        case "Iops", "VolumeType" -> { } // not used on CloudStack (see UPDATES)
        case "Tags" -> calls.tagChanges("Volume", id, AwsProperties.userTags(before), AwsProperties.userTags(after));
        default -> throw undeclared(List.of(name));
      }
    }
    return calls;
  }

  @Override
  protected ProgressEvent beginDelete(Step s) {
    s.client.call("deleteVolume", Map.of("id", s.physicalId()));
    return ProgressEvent.success(null);
  }

  /**
   * Size (listed in bytes, given in GiB), AvailabilityZone and Tags read back with listVolumes; a zone that is still
   * the one the create resolved the template's AvailabilityZone to reads as the template's value.
   */
  @Override
  public ActualState readActual(ResourceRequest request) {
    Optional<CloudStackClient> client = request.context().cloudStack();
    if (client.isEmpty()) {
      return new ActualState.NotChecked("no CloudStack endpoint is configured");
    }
    Optional<JsonNode> volume = ReadBack.listed(client.get(), "listVolumes", Map.of("id", request.physicalId()));
    if (volume.isEmpty()) {
      return new ActualState.Gone();
    }
    ObjectNode actual = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    ObjectNode expected = request.properties();
    if (expected.has("Size") && volume.get().has("size")) {
      actual.put("Size", volume.get().path("size").asLong() / GIB);
    }
    if (expected.has("AvailabilityZone")) {
      String zone = volume.get().path("zonename").asText();
      JsonNode resolved = request.attributes() == null ? null : request.attributes().get("AvailabilityZone");
      actual.set("AvailabilityZone", resolved != null && resolved.asText().equals(zone)
          ? expected.get("AvailabilityZone") : TextNode.valueOf(zone));
    }
    actual.set("Tags", ReadBack.tags(volume.get()));
    return new ActualState.Found(actual);
  }

  @Override
  protected String tagResourceType() {
    return "Volume";
  }

  @Override
  protected ProgressEvent found(Step s, String id) {
    return foundById(s, "listVolumes", "volume", id, found -> {
      Map<String, JsonNode> a = ResponseAttributes.of(found);
      a.put("AvailabilityZone", TextNode.valueOf(found.path("zonename").asText()));
      a.put("VolumeId", TextNode.valueOf(id));
      return ProgressEvent.success(id, a);
    });
  }
}
