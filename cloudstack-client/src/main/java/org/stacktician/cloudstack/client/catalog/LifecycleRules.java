package org.stacktician.cloudstack.client.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hand-curated knowledge listApis does not carry (CLOUDSTACK-API.md §7, §9, §10): which verbs
 * pair up, how a delete API's name and id parameters relate to its create API, result object keys
 * and createTags resource types. Kept in one place so every rule can be read and tested.
 */
final class LifecycleRules {

  /** A creating verb and its undoing verbs in order of preference. */
  record VerbPair(String createVerb, List<String> deleteVerbs) {
  }

  /** Creating verbs in priority order: an earlier verb keeps the plain noun when two APIs share one. */
  static final List<VerbPair> VERB_PAIRS = List.of(
      new VerbPair("create", List.of("delete", "destroy")),
      new VerbPair("deploy", List.of("destroy")),
      new VerbPair("associate", List.of("disassociate")),
      new VerbPair("authorize", List.of("revoke")),
      new VerbPair("add", List.of("remove", "delete")),
      new VerbPair("register", List.of("delete")),
      new VerbPair("import", List.of("delete")),
      new VerbPair("upload", List.of("delete")),
      new VerbPair("acquire", List.of("release")),
      new VerbPair("reserve", List.of("release")),
      new VerbPair("dedicate", List.of("release")),
      new VerbPair("assign", List.of("remove")),
      new VerbPair("attach", List.of("detach")),
      new VerbPair("enable", List.of("disable")),
      new VerbPair("start", List.of("stop")));

  /** Verbs that undo something. */
  static final Set<String> DELETE_VERBS = Set.of("delete", "destroy", "disassociate", "revoke", "remove", "detach",
      "disable", "release", "stop");

  /** Verbs of calls that only read. */
  static final Set<String> READ_VERBS = Set.of("list", "get", "query", "find", "search", "quota");

  /** Verbs whose pair only makes a type when another pair already creates the noun (start/stop a created VM). */
  static final Set<String> ONLY_FOR_CREATED_NOUNS = Set.of("start");

  /**
   * Delete arguments that the generic rule cannot derive or would get wrong (§10.2): the delete's
   * real id parameters and where their values come from.
   */
  static final Map<String, List<DeleteArgument>> DELETE_OVERRIDES = Map.ofEntries(
      Map.entry("deleteSSHKeyPair", List.of(new DeleteArgument("name", "name"))),
      Map.entry("revokeSecurityGroupIngress", List.of(new DeleteArgument("id", "ingressrule[*].ruleid"))),
      Map.entry("revokeSecurityGroupEgress", List.of(new DeleteArgument("id", "egressrule[*].ruleid"))),
      Map.entry("disableStaticNat", List.of(new DeleteArgument("ipaddressid", "param:ipaddressid"))),
      Map.entry("detachVolume", List.of(new DeleteArgument("id", "id"))),
      Map.entry("detachIso", List.of(new DeleteArgument("virtualmachineid", "param:virtualmachineid"))),
      Map.entry("removeFromLoadBalancerRule", List.of(new DeleteArgument("id", "param:id"),
          new DeleteArgument("virtualmachineids", "param:virtualmachineids"),
          new DeleteArgument("vmidipmap", "param:vmidipmap"))),
      Map.entry("removeFromGlobalLoadBalancerRule", List.of(new DeleteArgument("id", "param:id"),
          new DeleteArgument("loadbalancerrulelist", "param:loadbalancerrulelist"))),
      Map.entry("removeNicFromVirtualMachine", List.of(
          new DeleteArgument("nicid", "nic[networkid=param:networkid].id"),
          new DeleteArgument("virtualmachineid", "param:virtualmachineid"))),
      Map.entry("deleteLBHealthCheckPolicy", List.of(new DeleteArgument("id", "healthcheckpolicy[*].id"))),
      Map.entry("deleteLBStickinessPolicy", List.of(new DeleteArgument("id", "stickinesspolicy[*].id"))),
      Map.entry("disableAccount", List.of(new DeleteArgument("id", "id"), new DeleteArgument("lock", "value:false"))),
      Map.entry("deleteSnapshotPolicies", List.of(new DeleteArgument("id", "id"))),
      Map.entry("deleteVMSnapshot", List.of(new DeleteArgument("vmsnapshotid", "id"))),
      Map.entry("deleteTags", List.of(new DeleteArgument("resourceids", "param:resourceids"),
          new DeleteArgument("resourcetype", "param:resourcetype"),
          new DeleteArgument("tags", "param:tags"))));

  /**
   * Result object keys that differ from the lower-cased noun, from the recorded responses in
   * {@code shared/cloudstack/responses/} and CLOUDSTACK-API.md §5.5, §7 (a test checks them
   * against the recordings). Success-only creates are recognised from listApis instead.
   */
  static final Map<String, String> RESULT_KEYS = Map.ofEntries(
      Map.entry("associateIpAddress", "ipaddress"),
      Map.entry("reserveIpAddress", "ipaddress"),
      Map.entry("createLoadBalancerRule", "loadbalancer"),
      Map.entry("createSSHKeyPair", "keypair"),
      Map.entry("registerSSHKeyPair", "keypair"),
      Map.entry("createEgressFirewallRule", "firewallrule"),
      Map.entry("createVlanIpRange", "vlan"),
      Map.entry("dedicatePublicIpRange", "vlan"),
      Map.entry("authorizeSecurityGroupIngress", "securitygroup"),
      Map.entry("authorizeSecurityGroupEgress", "securitygroup"),
      Map.entry("addNicToVirtualMachine", "virtualmachine"),
      Map.entry("attachIso", "virtualmachine"),
      Map.entry("addIpToNic", "nicsecondaryip"),
      Map.entry("createLBStickinessPolicy", "stickinesspolicies"),
      Map.entry("createLBHealthCheckPolicy", "healthcheckpolicies"),
      Map.entry("createGlobalLoadBalancerRule", "globalloadbalancer"),
      Map.entry("enableHAForHost", "hostha"),
      Map.entry("enableOutOfBandManagementForHost", "outofbandmanagement"),
      Map.entry("enableOutOfBandManagementForCluster", "outofbandmanagement"),
      Map.entry("enableOutOfBandManagementForZone", "outofbandmanagement"),
      Map.entry("createSecondaryStagingStore", "secondarystorage"));

  /** createTags resource types ({@code ResourceTag.ResourceObjectType} with tag support), by create API. */
  static final Map<String, String> TAG_RESOURCE_TYPES = Map.ofEntries(
      Map.entry("deployVirtualMachine", "UserVm"),
      Map.entry("createTemplate", "Template"),
      Map.entry("registerTemplate", "Template"),
      Map.entry("registerIso", "ISO"),
      Map.entry("createVolume", "Volume"),
      Map.entry("uploadVolume", "Volume"),
      Map.entry("createSnapshot", "Snapshot"),
      Map.entry("createNetwork", "Network"),
      Map.entry("createLoadBalancerRule", "LoadBalancer"),
      Map.entry("createPortForwardingRule", "PortForwardingRule"),
      Map.entry("createFirewallRule", "FirewallRule"),
      Map.entry("createEgressFirewallRule", "FirewallRule"),
      Map.entry("createSecurityGroup", "SecurityGroup"),
      Map.entry("authorizeSecurityGroupIngress", "SecurityGroupRule"),
      Map.entry("authorizeSecurityGroupEgress", "SecurityGroupRule"),
      Map.entry("associateIpAddress", "PublicIpAddress"),
      Map.entry("createProject", "Project"),
      Map.entry("createAccount", "Account"),
      Map.entry("createVPC", "Vpc"),
      Map.entry("createNetworkACL", "NetworkACL"),
      Map.entry("createStaticRoute", "StaticRoute"),
      Map.entry("createVMSnapshot", "VMSnapshot"),
      Map.entry("createRemoteAccessVpn", "RemoteAccessVpn"),
      Map.entry("createUser", "User"),
      Map.entry("createSnapshotPolicy", "SnapshotPolicy"),
      Map.entry("createVPCOffering", "VpcOffering"));

  /** Verbs of calls that change an existing instance in place. */
  static final Set<String> UPDATE_VERBS = Set.of("update", "change", "scale", "resize", "reset");

  /**
   * In-place update APIs whose noun does not name the type they change (§7): the VM's affinity
   * groups are changed with updateVMAffinityGroup, an ACL rule with updateNetworkACLItem; by create API.
   */
  static final Map<String, Set<String>> EXTRA_UPDATE_APIS = Map.of(
      "deployVirtualMachine", Set.of("updateVMAffinityGroup"),
      "createNetworkACL", Set.of("updateNetworkACLItem"));

  /** Response fields that describe the job, not the resource. */
  static final Set<String> JOB_FIELDS = Set.of("jobid", "jobstatus");

  /** Response fields of a success-only answer. */
  static final Set<String> SUCCESS_FIELDS = Set.of("success", "displaytext", "jobid", "jobstatus");

  private LifecycleRules() {
  }

  /** The verb of an API name ({@code createVolume} → {@code create}): its leading lower-case run. */
  static String verbOf(String apiName) {
    int i = 0;
    while (i < apiName.length() && Character.isLowerCase(apiName.charAt(i))) {
      i++;
    }
    return apiName.substring(0, i);
  }

  /** The noun of an API name ({@code createVolume} → {@code Volume}). */
  static String nounOf(String apiName) {
    return apiName.substring(verbOf(apiName).length());
  }

  /**
   * True when {@code api} changes, in place, an instance made by {@code createApi} whose API noun
   * is {@code apiNoun}: an update verb with that noun ({@code updateNetwork}, {@code resizeVolume},
   * {@code scaleVirtualMachine}) or a noun ending in {@code For<Noun>} ({@code
   * changeServiceForVirtualMachine}, {@code changeOfferingForVolume}), or a curated extra.
   */
  static boolean isUpdateOf(String api, String createApi, String apiNoun) {
    if (EXTRA_UPDATE_APIS.getOrDefault(createApi, Set.of()).contains(api)) {
      return true;
    }
    String noun = nounOf(api);
    return UPDATE_VERBS.contains(verbOf(api)) && (noun.equals(apiNoun) || noun.endsWith("For" + apiNoun));
  }

  /** Delete API names to look for, in order: same noun, {@code To}→{@code From}, plural. */
  static List<String> deleteCandidates(String deleteVerb, String noun) {
    String from = noun.replaceAll("(?<![A-Z])To(?=[A-Z])", "From");
    String plural = noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
    return List.of(deleteVerb + noun, deleteVerb + from, deleteVerb + plural).stream().distinct().toList();
  }

  /**
   * The type noun for an API noun: {@code ToLoadBalancerRule} → {@code LoadBalancerRuleAssignment},
   * {@code NicToVirtualMachine} → {@code VirtualMachineNic}; others unchanged.
   */
  static String typeNoun(String apiNoun) {
    if (apiNoun.matches("To[A-Z].*")) {
      return apiNoun.substring(2) + "Assignment";
    }
    String[] parts = apiNoun.split("(?<=[a-z0-9])To(?=[A-Z])", 2);
    return parts.length == 2 ? parts[1] + parts[0] : apiNoun;
  }

  /** The name for a noun already taken by a higher-priority verb: {@code registerTemplate} → {@code RegisteredTemplate}. */
  static String decoratedNoun(String verb, String noun) {
    return switch (verb) {
      case "attach" -> noun + "Attachment";
      case "assign" -> noun + "Assignment";
      case "register" -> "Registered" + noun;
      case "upload" -> "Uploaded" + noun;
      case "import" -> "Imported" + noun;
      case "reserve" -> "Reserved" + noun;
      case "dedicate" -> "Dedicated" + noun;
      case "acquire" -> "Acquired" + noun;
      case "enable" -> "Enabled" + noun;
      case "start" -> "Started" + noun;
      case "add" -> "Added" + noun;
      default -> Character.toUpperCase(verb.charAt(0)) + verb.substring(1) + noun;
    };
  }

  /** The create result's object key: curated exceptions, none for success-only answers, else the lower-cased noun. */
  static Optional<String> resultKey(ApiDefinition create) {
    String curated = RESULT_KEYS.get(create.name());
    if (curated != null) {
      return Optional.of(curated);
    }
    boolean successOnly = !create.responseFields().isEmpty()
        && create.responseFields().stream().allMatch(f -> SUCCESS_FIELDS.contains(f.name()));
    if (successOnly || create.responseFields().isEmpty()) {
      return Optional.empty();
    }
    String noun = nounOf(create.name());
    String[] parts = noun.split("(?<=[a-z0-9])To(?=[A-Z])", 2);
    return Optional.of(parts[0].toLowerCase(Locale.ROOT));
  }
}
