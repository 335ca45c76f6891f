package org.stacktician.engine.convergence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A template over the simulator's types, as a generator draws it: resources in fixed slots (so that two templates
 * share logical ids) whose references name other slots; a reference to a slot the template leaves empty drops the
 * resource that makes it (see {@link #present()}), so every drawn template is valid as it is.
 *
 * @param resources the resources by slot (logical id); a missing slot is an absent resource
 * @param offering the value of parameter {@code Offering} (a service offering's name, resolved to its id)
 * @param label the value of parameter {@code Label}
 */
record GeneratedTemplate(Map<String, Res> resources, String offering, String label) {
  private static final ObjectMapper JSON = new ObjectMapper();

  GeneratedTemplate {
    resources = new LinkedHashMap<>(resources);
  }

  /** One resource of a slot. */
  sealed interface Res {
    /** The slots this resource refers to (it exists only when they all do). */
    List<String> refersTo();

    /** The template's {@code Type}. */
    String type();

    /** The resource's JSON body ({@code Type}, {@code Properties}, {@code DependsOn}). */
    ObjectNode render(Map<String, Res> present);
  }

  /** A tag list as templates write it: {@code [{Key, Value}]}; empty for none. */
  record Tags(Map<String, String> tags) {
    void into(ObjectNode props, String property) {
      if (tags.isEmpty()) {
        return;
      }
      ArrayNode list = props.putArray(property);
      tags.forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
    }

    @Override
    public String toString() {
      return tags.toString();
    }
  }

  /** {@code CloudStack::SecurityGroup}: a custom name (prefixed by the stack's) or a generated one, a description. */
  record SecurityGroup(String name, String description) implements Res {
    public List<String> refersTo() {
      return List.of();
    }

    public String type() {
      return "CloudStack::SecurityGroup";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      if (name != null) {
        p.put("name", name);
      }
      p.put("description", description);
      return r;
    }
  }

  /** {@code CloudStack::SecurityGroupIngress} or {@code Egress}: one rule in the group of slot {@code group}. */
  record Rule(boolean ingress, String group, String protocol, int port, String cidr) implements Res {
    public List<String> refersTo() {
      return List.of(group);
    }

    public String type() {
      return ingress ? "CloudStack::SecurityGroupIngress" : "CloudStack::SecurityGroupEgress";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      p.set("securitygroupid", ref(group));
      p.put("protocol", protocol).put("startport", port).put("endport", port).put("cidrlist", cidr);
      return r;
    }
  }

  /** {@code CloudStack::SSHKeyPair} with a custom or generated name. */
  record KeyPair(String name) implements Res {
    public List<String> refersTo() {
      return List.of();
    }

    public String type() {
      return "CloudStack::SSHKeyPair";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      if (name != null) {
        r.putObject("Properties").put("name", name);
      }
      return r;
    }
  }

  /** {@code CloudStack::Network}: an isolated network of the zone. */
  record Network(String displayText) implements Res {
    public List<String> refersTo() {
      return List.of();
    }

    public String type() {
      return "CloudStack::Network";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      p.set("zoneid", ref("ZoneId"));
      p.set("networkofferingid", ref("NetworkOfferingId"));
      p.put("displaytext", displayText);
      return r;
    }
  }

  /** {@code CloudStack::IpAddress} of the network in slot {@code network}, with tags. */
  record IpAddress(String network, Tags tags) implements Res {
    public List<String> refersTo() {
      return List.of(network);
    }

    public String type() {
      return "CloudStack::IpAddress";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      p.set("networkid", ref(network));
      tags.into(p, "tags");
      return r;
    }
  }

  /** {@code CloudStack::FirewallRule} on the address in slot {@code address}. */
  record FirewallRule(String address, int port, String cidr) implements Res {
    public List<String> refersTo() {
      return List.of(address);
    }

    public String type() {
      return "CloudStack::FirewallRule";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      p.set("ipaddressid", ref(address));
      p.put("protocol", "tcp").put("startport", port).put("endport", port).put("cidrlist", cidr);
      return r;
    }
  }

  /** {@code CloudStack::Volume}: a {@code Small} one, or a {@code Custom} one of {@code size} GB; tags. */
  record Volume(String name, Integer size, Tags tags, String dependsOn) implements Res {
    public List<String> refersTo() {
      return dependsOn == null ? List.of() : List.of(dependsOn);
    }

    public String type() {
      return "CloudStack::Volume";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      if (name != null) {
        p.put("name", name);
      }
      p.set("zoneid", ref("ZoneId"));
      if (size == null) {
        p.set("diskofferingid", ref("SmallDiskId"));
      } else {
        p.set("diskofferingid", ref("CustomDiskId"));
        p.put("size", size);
      }
      tags.into(p, "tags");
      if (dependsOn != null) {
        r.put("DependsOn", dependsOn);
      }
      return r;
    }
  }

  /** {@code AWS::EC2::Volume} of {@code size} GiB in the mapped availability zone, with tags. */
  record AwsVolume(int size, Tags tags) implements Res {
    public List<String> refersTo() {
      return List.of();
    }

    public String type() {
      return "AWS::EC2::Volume";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      p.put("Size", size).put("AvailabilityZone", "us-east-1a");
      tags.into(p, "Tags");
      return r;
    }
  }

  /** One rule of an {@code AWS::EC2::SecurityGroup}. */
  record AwsRule(String protocol, int port, String cidr) {}

  /** {@code AWS::EC2::SecurityGroup} with its ingress rules. */
  record AwsSecurityGroup(String description, List<AwsRule> ingress) implements Res {
    public List<String> refersTo() {
      return List.of();
    }

    public String type() {
      return "AWS::EC2::SecurityGroup";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      p.put("GroupDescription", description);
      if (!ingress.isEmpty()) {
        ArrayNode rules = p.putArray("SecurityGroupIngress");
        ingress.forEach(i -> rules.addObject().put("IpProtocol", i.protocol()).put("FromPort", i.port())
            .put("ToPort", i.port()).put("CidrIp", i.cidr()));
      }
      return r;
    }
  }

  /**
   * {@code CloudStack::VirtualMachine}: its offering the parameter's or a literal one, its display name the
   * parameter, a literal or none, in the groups of {@code groups} (the zone's default one when none), in the
   * network of slot {@code network} (when not null), with the key pair of slot {@code keyPair}, tags, and a
   * DependsOn on slot {@code dependsOn}.
   */
  record VirtualMachine(String offering, String displayName, List<String> groups, String network, String keyPair,
      Tags tags, String dependsOn) implements Res {
    public List<String> refersTo() {
      List<String> slots = new ArrayList<>(groups);
      if (network != null) {
        slots.add(network);
      }
      if (keyPair != null) {
        slots.add(keyPair);
      }
      if (dependsOn != null) {
        slots.add(dependsOn);
      }
      return slots;
    }

    public String type() {
      return "CloudStack::VirtualMachine";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      p.set("zoneid", ref("ZoneId"));
      p.set("templateid", ref("TemplateId"));
      p.set("serviceofferingid", offering == null ? ref("Offering") : ref(offering));
      if ("{Label}".equals(displayName)) {
        p.set("displayname", ref("Label"));
      } else if (displayName != null) {
        p.put("displayname", displayName);
      }
      if (!groups.isEmpty()) {
        ArrayNode ids = p.putArray("securitygroupids");
        groups.forEach(g -> ids.add(ref(g)));
      }
      if (network != null) {
        p.putArray("networkids").add(ref(network));
      }
      if (keyPair != null) {
        p.putArray("keypairs").add(ref(keyPair));
      }
      tags.into(p, "tags");
      if (dependsOn != null) {
        r.put("DependsOn", dependsOn);
      }
      return r;
    }
  }

  /** {@code CloudStack::VolumeAttachment} of the volume in slot {@code volume} to the machine in {@code machine}. */
  record Attachment(String volume, String machine) implements Res {
    public List<String> refersTo() {
      return List.of(volume, machine);
    }

    public String type() {
      return "CloudStack::VolumeAttachment";
    }

    public ObjectNode render(Map<String, Res> present) {
      ObjectNode r = resource(type());
      ObjectNode p = r.putObject("Properties");
      p.set("id", ref(volume));
      p.set("virtualmachineid", ref(machine));
      return r;
    }
  }

  /** The resources that exist: those whose referred slots all exist (transitively), in slot order. */
  Map<String, Res> present() {
    Map<String, Res> present = new LinkedHashMap<>(resources);
    boolean changed = true;
    while (changed) {
      changed = present.entrySet().removeIf(e -> !present.keySet().containsAll(e.getValue().refersTo()));
    }
    return present;
  }

  /** The template's JSON text. */
  String body() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode params = root.putObject("Parameters");
    for (String p : List.of("ZoneId", "TemplateId", "NetworkOfferingId", "SmallDiskId", "CustomDiskId", "Offering",
        "Small", "Medium")) {
      params.putObject(p).put("Type", "String");
    }
    params.putObject("Label").put("Type", "String").put("Default", "default-label");
    ObjectNode out = root.putObject("Resources");
    Map<String, Res> present = present();
    present.forEach((slot, res) -> out.set(slot, res.render(present)));
    if (present.isEmpty()) {
      out.putObject("Nothing").put("Type", "AWS::CloudFormation::WaitConditionHandle");
    }
    ObjectNode outputs = root.putObject("Outputs");
    present.keySet().forEach(slot -> outputs.putObject(slot + "Id").set("Value", ref(slot)));
    return root.toPrettyString();
  }

  /** The parameter values this template is created or updated with, given the cloud's ids of the fixed ones. */
  Map<String, String> parameters(Map<String, String> cloudIds) {
    Map<String, String> values = new LinkedHashMap<>(cloudIds);
    values.put("Offering", cloudIds.get(offering));
    values.put("Label", label);
    return values;
  }

  @Override
  public String toString() {
    return present().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "{", "}")) + " Offering=" + offering + " Label=" + label;
  }

  private static ObjectNode resource(String type) {
    ObjectNode r = JSON.createObjectNode();
    r.put("Type", type);
    return r;
  }

  private static ObjectNode ref(String name) {
    return JSON.createObjectNode().put("Ref", name);
  }
}
