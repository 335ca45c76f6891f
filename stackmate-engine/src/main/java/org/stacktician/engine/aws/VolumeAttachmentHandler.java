package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.stacktician.engine.provider.ActualState;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.PropertyError;

/**
 * {@code AWS::EC2::VolumeAttachment} as {@code attachVolume} of VolumeId to InstanceId (Device
 * {@code /dev/sdX} or {@code /dev/xvdX} becomes CloudStack's device id); {@code Ref} gives the
 * volume id; delete detaches it (a volume no longer attached counts as detached).
 */
final class VolumeAttachmentHandler extends StepHandler {
  static final String TYPE = "AWS::EC2::VolumeAttachment";
  private static final Set<String> KNOWN = Set.of("InstanceId", "VolumeId", "Device");

  @Override
  public List<PropertyError> validate(ObjectNode props) {
    List<PropertyError> errors = AwsProperties.check(props, KNOWN, Set.of("InstanceId", "VolumeId"), TYPE);
    for (String s : KNOWN) {
      AwsProperties.scalar(props, s, errors);
    }
    return errors;
  }

  @Override
  protected ProgressEvent beginCreate(Step s) {
    requireValid(s.request.properties());
    ObjectNode p = s.request.properties();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("id", AwsProperties.text(p, "VolumeId").orElseThrow());
    params.put("virtualmachineid", AwsProperties.text(p, "InstanceId").orElseThrow());
    AwsProperties.text(p, "Device").map(VolumeAttachmentHandler::deviceId).ifPresent(d -> params.put("deviceid", d));
    return s.async("attach", "attachVolume", params);
  }

  /** {@code /dev/sdf} → 5 (a=0): the position CloudStack calls the device id; null for other names. */
  static String deviceId(String device) {
    String d = device.toLowerCase(Locale.ROOT);
    if (d.matches("/dev/(sd|xvd|vd|hd)[b-z]")) {
      return String.valueOf(d.charAt(d.length() - 1) - 'a');
    }
    return null;
  }

  /** The device name of a listed volume's device id ({@code 5} → {@code /dev/sdf}). */
  static String deviceName(JsonNode volume) {
    long id = volume.path("deviceid").asLong(-1);
    return id >= 0 && id < 26 ? "/dev/sd" + (char) ('a' + id) : String.valueOf(id);
  }

  /**
   * The attachment read back from its volume: gone once the volume is detached (or deleted); else the instance it is
   * attached to, the volume, and the device (the template's name while it is still that device).
   */
  @Override
  public ActualState readActual(ResourceRequest request) {
    var client = request.context().cloudStack();
    if (client.isEmpty()) {
      return new ActualState.NotChecked("no CloudStack endpoint is configured");
    }
    String volumeId = AwsProperties.text(request.properties(), "VolumeId").orElse(request.physicalId());
    var volume = ReadBack.listed(client.get(), "listVolumes", Map.of("id", volumeId));
    if (volume.isEmpty() || !volume.get().hasNonNull("virtualmachineid")) {
      return new ActualState.Gone();
    }
    ObjectNode actual = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    actual.put("InstanceId", volume.get().path("virtualmachineid").asText());
    actual.put("VolumeId", volumeId);
    String device = AwsProperties.text(request.properties(), "Device").orElse(null);
    actual.put("Device", device != null && String.valueOf(volume.get().path("deviceid").asLong()).equals(deviceId(device))
        ? device : deviceName(volume.get()));
    return new ActualState.Found(actual);
  }

  @Override
  protected ProgressEvent afterCreate(Step s, String step, JsonNode result) {
    JsonNode volume = Step.unwrap(result, "volume");
    String id = AwsProperties.text(s.request.properties(), "VolumeId").orElseThrow();
    return ProgressEvent.success(id, Map.of("DeviceId", TextNode.valueOf(volume.path("deviceid").asText()),
        "InstanceId", TextNode.valueOf(volume.path("virtualmachineid").asText())));
  }

  @Override
  protected boolean goneAlready(String step, String errorText) {
    String t = errorText == null ? "" : errorText.toLowerCase(Locale.ROOT);
    return super.goneAlready(step, errorText) || t.contains("not attached") || t.contains("already detached");
  }

  @Override
  protected ProgressEvent beginDelete(Step s) {
    try {
      return s.async("detach", "detachVolume", Map.of("id", s.physicalId()));
    } catch (org.stacktician.cloudstack.client.CloudStackApiException e) {
      if (goneAlready("detach", e.errorText())) {
        return ProgressEvent.success(null);
      }
      throw e;
    }
  }
}
