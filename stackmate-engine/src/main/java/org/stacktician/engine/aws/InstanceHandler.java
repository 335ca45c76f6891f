package org.stacktician.engine.aws;

import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.provider.PropertyUpdate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.engine.cloudstack.CallSequence;
import org.stacktician.engine.cloudstack.HostNames;
import org.stacktician.engine.cloudstack.ResponseAttributes;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.Values;

/**
 * {@code AWS::EC2::Instance} as {@code deployVirtualMachine}: ImageId and InstanceType through the
 * mapping file (or as template / offering names or ids), KeyName, SecurityGroups (names),
 * SecurityGroupIds, UserData (Base64), AvailabilityZone, SubnetId (network), Volumes (attached
 * after deploy), Tags. Attributes PrivateIp, PublicIp, PrivateDnsName, PublicDnsName,
 * AvailabilityZone, plus every CloudStack field as for {@code CloudStack::VirtualMachine}.
 */
final class InstanceHandler extends StepHandler {
  /**
   * CloudFormation's documented update behaviours, done with CloudStack's calls (the offering with
   * changeServiceForVirtualMachine, which every 4.x cloud has, on a stopped VM): InstanceType and
   * UserData need a stop/start as on EC2; SecurityGroupIds need one on CloudStack (CloudFormation
   * updates them without); ImageId, KeyName, SecurityGroups, AvailabilityZone, SubnetId replace.
   */
  private static final UpdateRules UPDATES = UpdateRules.of(java.util.Map.of(
      "InstanceType", PropertyUpdate.someInterruption("stopVirtualMachine", "changeServiceForVirtualMachine",
          "startVirtualMachine"),
      "UserData", PropertyUpdate.someInterruption("stopVirtualMachine", "updateVirtualMachine", "startVirtualMachine"),
      "SecurityGroupIds", PropertyUpdate.someInterruption("stopVirtualMachine", "updateVirtualMachine", "startVirtualMachine")
          .withNote("CloudFormation: no interruption; CloudStack changes a VM's security groups only while it is stopped"),
      "Volumes", PropertyUpdate.noInterruption("attachVolume", "detachVolume"),
      "Tags", PropertyUpdate.noInterruption("createTags", "deleteTags")));

  @Override
  public UpdateRules updateRules() {
    return UPDATES;
  }

  static final String TYPE = "AWS::EC2::Instance";
  private static final Set<String> KNOWN = Set.of("ImageId", "InstanceType", "KeyName", "SecurityGroups",
      "SecurityGroupIds", "UserData", "AvailabilityZone", "SubnetId", "Volumes", "Tags");

  @Override
  public List<PropertyError> validate(ObjectNode props) {
    List<PropertyError> errors = AwsProperties.check(props, KNOWN, Set.of("ImageId"), TYPE);
    for (String s : List.of("ImageId", "InstanceType", "KeyName", "UserData", "AvailabilityZone", "SubnetId")) {
      AwsProperties.scalar(props, s, errors);
    }
    AwsProperties.stringList(props, "SecurityGroups", errors);
    AwsProperties.stringList(props, "SecurityGroupIds", errors);
    AwsProperties.tags(props, errors);
    JsonNode volumes = props.get("Volumes");
    if (volumes != null && !volumes.isNull() && !Values.isUnresolved(volumes)) {
      if (!volumes.isArray()) {
        errors.add(new PropertyError("Volumes", "must be a list of {Device, VolumeId}"));
      } else {
        for (int i = 0; i < volumes.size(); i++) {
          if (!volumes.get(i).isObject() || !volumes.get(i).has("VolumeId")) {
            errors.add(new PropertyError("Volumes[" + i + "]", "must be an object with Device and VolumeId"));
          }
        }
      }
    }
    if (!props.has("SecurityGroups") || !props.has("SecurityGroupIds")) {
      return errors;
    }
    errors.add(PropertyError.ofName("SecurityGroupIds", "cannot be given together with SecurityGroups on CloudStack"));
    return errors;
  }

  @Override
  protected ProgressEvent beginCreate(Step s) {
    ObjectNode p = s.request.properties();
    requireValid(p);
    CloudLookup.Zone zone = s.lookup.zone(AwsProperties.text(p, "AvailabilityZone").orElse(null));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("zoneid", zone.id());
    params.put("templateid", s.lookup.template(AwsProperties.text(p, "ImageId").orElseThrow(), zone));
    params.put("serviceofferingid", s.lookup.serviceOffering(AwsProperties.text(p, "InstanceType").orElse("m1.small"), zone));
    params.put("displayname", s.request.logicalId());
    String name = HostNames.from(s.request.stack().stackName() + "-" + s.request.nameStem());
    if (name != null) {
      params.put("name", name);
    }
    AwsProperties.text(p, "KeyName").ifPresent(k -> params.put("keypair", k));
    List<String> groups = AwsProperties.strings(p, "SecurityGroups");
    if (!groups.isEmpty()) {
      params.put("securitygroupnames", String.join(",", groups));
    }
    List<String> groupIds = AwsProperties.strings(p, "SecurityGroupIds");
    if (!groupIds.isEmpty()) {
      params.put("securitygroupids", String.join(",", groupIds));
    }
    AwsProperties.text(p, "SubnetId").ifPresent(n -> params.put("networkids", n));
    AwsProperties.text(p, "UserData").ifPresent(u -> params.put("userdata", base64(u)));
    s.state().putObject("attributes").put("AvailabilityZone", zone.name());
    ProgressEvent submitted = s.async("deploy", "deployVirtualMachine", params);
    if (s.state().hasNonNull("deployId")) {
      // Known at once: a failed deploy leaves a VM in Error state that the undo must remove.
      s.state().put("physicalId", s.state().get("deployId").asText());
    }
    return submitted;
  }

  @Override
  protected ProgressEvent afterCreate(Step s, String step, JsonNode result) {
    switch (step) {
      case "deploy" -> {
        JsonNode vm = Step.unwrap(result, "virtualmachine");
        s.state().put("physicalId", vm.path("id").asText(s.state().path("deployId").asText()));
        s.state().set("vm", vm);
        s.tagWithoutWaiting("UserVm", s.physicalId());
        return attachNext(s, 0);
      }
      case "attach" -> {
        return attachNext(s, s.state().path("attachIndex").asInt() + 1);
      }
      default -> throw new IllegalStateException("unknown step " + step);
    }
  }

  private ProgressEvent attachNext(Step s, int index) {
    JsonNode volumes = s.request.properties().get("Volumes");
    if (volumes != null && volumes.isArray() && index < volumes.size()) {
      s.state().put("attachIndex", index);
      Map<String, String> params = new LinkedHashMap<>();
      params.put("id", volumes.get(index).path("VolumeId").asText());
      params.put("virtualmachineid", s.physicalId());
      return s.async("attach", "attachVolume", params);
    }
    return ProgressEvent.success(s.physicalId(), attributes(s.state().get("vm"),
        s.state().path("attributes").path("AvailabilityZone").asText()));
  }

  static Map<String, JsonNode> attributes(JsonNode vm, String zoneName) {
    Map<String, JsonNode> a = ResponseAttributes.of(vm);
    JsonNode nic = vm.path("nic").path(0);
    TextNode privateIp = TextNode.valueOf(nic.path("ipaddress").asText(""));
    a.put("PrivateIp", privateIp);
    // The original answered the address for the DNS names too: guests have no EC2-style DNS names.
    a.put("PrivateDnsName", privateIp);
    // A public address is static NAT's, or, in a shared network (no NAT in front, as EC2-Classic), the
    // NIC's own. In an isolated network without static NAT there is none: no attribute (an EIP of the
    // stack may give one later, see PublicAddresses), never the private address.
    a.remove("PublicIp");
    String publicIp = vm.path("publicip").asText("");
    if (publicIp.isEmpty() && "Shared".equalsIgnoreCase(nic.path("type").asText())) {
      publicIp = privateIp.textValue();
    }
    if (!publicIp.isEmpty()) {
      a.put("PublicIp", TextNode.valueOf(publicIp));
      a.put("PublicDnsName", TextNode.valueOf(publicIp));
    }
    a.put("AvailabilityZone", TextNode.valueOf(vm.path("zonename").asText(zoneName)));
    return a;
  }

  /**
   * InstanceType by changeServiceForVirtualMachine, UserData and SecurityGroupIds by one updateVirtualMachine, all
   * while the VM is stopped (then started; every 4.x cloud has these calls); Volumes by detaching the ones
   * gone and attaching the new ones; Tags by deleteTags/createTags. Planned against the VM as it is: an offering it
   * already has is not asked for again.
   */
  @Override
  protected CallSequence planUpdate(Step s, ObjectNode before, ObjectNode after, Set<String> changed) {
    String id = s.physicalId();
    JsonNode vm = ReadBack.listed(s.client, "listVirtualMachines", Map.of("id", id))
        .orElseThrow(() -> new AwsPropertyException("instance " + id + " no longer exists"));
    boolean running = "Running".equals(vm.path("state").asText());
    CallSequence live = new CallSequence();
    CallSequence stopped = new CallSequence();
    Map<String, String> vmUpdate = new LinkedHashMap<>();
    for (String name : changed) {
      switch (name) {
        case "InstanceType" -> {
          CloudLookup.Zone zone = new CloudLookup.Zone(vm.path("zoneid").asText(), vm.path("zonename").asText());
          String offering = s.lookup.serviceOffering(AwsProperties.text(after, "InstanceType").orElse("m1.small"), zone);
          if (!offering.equals(vm.path("serviceofferingid").asText())) {
            stopped.addOn("changeServiceForVirtualMachine", id, Map.of("serviceofferingid", offering));
          }
        }
        // CloudStack cannot take user data away: a removed UserData leaves the VM's as it is.
        case "UserData" -> AwsProperties.text(after, "UserData").ifPresent(u -> vmUpdate.put("userdata", base64(u)));
        case "SecurityGroupIds" -> {
          List<String> groups = AwsProperties.strings(after, "SecurityGroupIds");
          if (!groups.isEmpty()) {
            vmUpdate.put("securitygroupids", String.join(",", groups));
          }
        }
        case "Volumes" -> {
          List<String> was = volumeIds(before);
          List<String> now = volumeIds(after);
          was.stream().filter(v -> !now.contains(v)).forEach(v -> live.addOn("detachVolume", v, Map.of()));
          now.stream().filter(v -> !was.contains(v))
              .forEach(v -> live.addOn("attachVolume", v, Map.of("virtualmachineid", id)));
        }
        case "Tags" -> live.tagChanges("UserVm", id, AwsProperties.userTags(before), AwsProperties.userTags(after));
        default -> throw undeclared(List.of(name));
      }
    }
    if (!vmUpdate.isEmpty()) {
      stopped.addOn("updateVirtualMachine", id, vmUpdate);
    }
    if (stopped.isEmpty()) {
      return live;
    }
    // A VM a failed earlier try left stopped is started too: an instance runs.
    if (running) {
      stopped.around("stopVirtualMachine", "startVirtualMachine", id);
    } else {
      stopped.addOn("startVirtualMachine", id, Map.of());
    }
    return live.then(stopped);
  }

  private static List<String> volumeIds(ObjectNode props) {
    List<String> ids = new java.util.ArrayList<>();
    props.path("Volumes").forEach(v -> ids.add(v.path("VolumeId").asText()));
    return ids;
  }

  @Override
  protected ProgressEvent beginDelete(Step s) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("id", s.physicalId());
    params.put("expunge", "true");
    try {
      return s.async("destroy", "destroyVirtualMachine", params);
    } catch (org.stacktician.cloudstack.client.CloudStackApiException e) {
      if (e.errorText() == null || !e.errorText().toLowerCase(java.util.Locale.ROOT).contains("expunge")) {
        throw e;
      }
      // Expunge is for admins on some clouds: destroy plainly.
      params.remove("expunge");
      return s.async("destroy", "destroyVirtualMachine", params);
    }
  }

  @Override
  protected ProgressEvent afterDelete(Step s, String step, JsonNode result) {
    return ProgressEvent.success(null);
  }

  static String base64(String userData) {
    String compact = userData.replaceAll("\\s", "");
    if (!compact.isEmpty() && compact.length() % 4 == 0 && compact.matches("[A-Za-z0-9+/]+={0,2}")) {
      try {
        Base64.getDecoder().decode(compact);
        return compact;
      } catch (IllegalArgumentException e) {
        // not Base64: encode below
      }
    }
    return Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected String tagResourceType() {
    return "UserVm";
  }

  /**
   * The instance read back with listVirtualMachines (user data included) and its data volumes: ImageId and
   * InstanceType as the template names them while they still resolve to the VM's template and offering, KeyName,
   * SecurityGroups (names) and SecurityGroupIds, UserData (Base64), AvailabilityZone, SubnetId (first NIC's network),
   * Volumes (VolumeId with its device) and Tags. A destroyed VM is gone.
   */
  @Override
  public org.stacktician.engine.provider.ActualState readActual(org.stacktician.engine.provider.ResourceRequest request) {
    var client = request.context().cloudStack();
    if (client.isEmpty()) {
      return new org.stacktician.engine.provider.ActualState.NotChecked("no CloudStack endpoint is configured");
    }
    var found = ReadBack.listed(client.get(), "listVirtualMachines", Map.of("id", request.physicalId(),
        "userdata", "true"));
    if (found.isEmpty() || List.of("Destroyed", "Expunging", "Error").contains(found.get().path("state").asText())) {
      return new org.stacktician.engine.provider.ActualState.Gone();
    }
    JsonNode vm = found.get();
    ObjectNode expected = request.properties();
    ObjectNode actual = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    CloudLookup lookup = CloudLookup.of(request.context());
    CloudLookup.Zone zone = new CloudLookup.Zone(vm.path("zoneid").asText(), vm.path("zonename").asText());
    actual.set("ImageId", ReadBack.resolved(expected.get("ImageId"),
        () -> lookup.template(expected.path("ImageId").asText(), zone), vm.path("templateid").asText(),
        vm.path("templatename").asText()));
    actual.set("InstanceType", ReadBack.resolved(expected.get("InstanceType"),
        () -> lookup.serviceOffering(expected.path("InstanceType").asText(), zone),
        vm.path("serviceofferingid").asText(), vm.path("serviceofferingname").asText()));
    actual.put("KeyName", vm.path("keypairs").asText(vm.path("keypair").asText("")));
    var names = actual.putArray("SecurityGroups");
    var ids = actual.putArray("SecurityGroupIds");
    vm.path("securitygroup").forEach(g -> {
      names.add(g.path("name").asText());
      ids.add(g.path("id").asText());
    });
    String userData = vm.path("userdata").asText("");
    actual.put("UserData", expected.has("UserData") && !userData.isEmpty()
        && base64(expected.get("UserData").asText()).equals(userData) ? expected.get("UserData").asText() : userData);
    JsonNode zoneResolved = request.attributes() == null ? null : request.attributes().get("AvailabilityZone");
    actual.set("AvailabilityZone", zoneResolved != null && zoneResolved.asText().equals(zone.name())
        && expected.has("AvailabilityZone") ? expected.get("AvailabilityZone") : TextNode.valueOf(zone.name()));
    actual.put("SubnetId", vm.path("nic").path(0).path("networkid").asText());
    Map<String, String> devices = new java.util.HashMap<>();
    expected.path("Volumes").forEach(v -> devices.put(v.path("VolumeId").asText(), v.path("Device").asText()));
    var volumes = actual.putArray("Volumes");
    for (JsonNode v : client.get().list("listVolumes", Map.of("virtualmachineid", request.physicalId(),
        "type", "DATADISK", "listall", "true"))) {
      String id = v.path("id").asText();
      String device = devices.get(id);
      volumes.addObject().put("Device", device != null && String.valueOf(v.path("deviceid").asLong())
          .equals(VolumeAttachmentHandler.deviceId(device)) ? device : VolumeAttachmentHandler.deviceName(v))
          .put("VolumeId", id);
    }
    actual.set("Tags", ReadBack.tags(vm));
    return new org.stacktician.engine.provider.ActualState.Found(actual);
  }

  /** Not tagged yet (the deploy's answer was lost): the VM is found by the host name this handler gives it. */
  @Override
  public ProgressEvent read(org.stacktician.engine.provider.ResourceRequest request) {
    ProgressEvent byTags = super.read(request);
    String name = HostNames.from(request.stack().stackName() + "-" + request.nameStem());
    if (byTags instanceof ProgressEvent.Failed f && f.code() == org.stacktician.engine.provider.ErrorCode.NOT_FOUND
        && name != null && request.context().cloudStack().isPresent()) {
      try {
        for (JsonNode vm : request.context().cloudStack().get().list("listVirtualMachines", Map.of("name", name))) {
          if (name.equals(vm.path("name").asText())) {
            return ProgressEvent.success(vm.path("id").asText(), attributes(vm, vm.path("zonename").asText()));
          }
        }
      } catch (org.stacktician.cloudstack.client.CloudStackException e) {
        return org.stacktician.engine.cloudstack.CloudStackErrors.failed(request.logicalId(), "listVirtualMachines", e);
      }
    }
    return byTags;
  }

  @Override
  protected ProgressEvent found(Step s, String id) {
    return foundById(s, "listVirtualMachines", "virtual machine", id,
        vm -> ProgressEvent.success(id, attributes(vm, vm.path("zonename").asText())));
  }
}
