package org.stacktician.engine.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.inventory.InventoryItem;
import org.stacktician.engine.cloudstack.StackTags;

/**
 * What a stack made in the cloud, read back through the CloudStack API's list calls, with what the cloud or the engine
 * generates taken out: every resource the API lists, each with all its fields but ids, times, addresses and keys the
 * cloud assigns; a reference to another created resource (an id anywhere in a field) named by that resource's kind
 * and logical id; the stack's name and the suffix a replacement's generated name gets left out of names. Two stacks
 * whose clouds read the same made the same resources with the same properties and relationships.
 */
final class NormalisedInventory {
  /** The list calls that show what a stack can make (all of the simulator's account-owned kinds). */
  private static final List<String> LISTS = List.of("listVirtualMachines", "listVolumes", "listSecurityGroups",
      "listNetworks", "listVPCs", "listPublicIpAddresses", "listFirewallRules", "listEgressFirewallRules",
      "listNetworkACLs", "listPortForwardingRules", "listLoadBalancerRules", "listSnapshots", "listSSHKeyPairs",
      "listAffinityGroups", "listInstanceGroups");

  /**
   * Fields whose values the cloud assigns anew to each resource it makes (ids, times, addresses from a pool, keys,
   * hosts it places a machine on), or the job that last touched it.
   */
  private static final Set<String> ASSIGNED = Set.of("id", "ruleid", "created", "jobid", "jobstatus", "fingerprint",
      "privatekey", "allocated", "ipaddress", "macaddress", "instancename", "hostid", "hostname", "gateway", "cidr", "netmask",
      "broadcasturi", "isolationuri", "vlan", "publicip", "privateip", "ip4address", "attached", "lastupdated",
      "ip6address", "ip6cidr", "ip6gateway", "resourceid", "vmipaddress", "networkdomain",
      // what a stop leaves in a machine's details (CloudStack's mark that its capacity was released)
      "message.reservedcapacityfreed.flag",
      // what an attachment leaves on a volume after its detach (its path on, and the hypervisor of, a machine)
      "path", "hypervisor");


  private NormalisedInventory() {}

  /**
   * The cloud's created resources as sorted lines {@code KIND/label {fields}}.
   *
   * @param stackNames the names the stacks compared were created with (each read as {@code <stack>})
   * @param logicalIds the templates' logical ids (a generated name's replacement suffix after one is dropped)
   */
  static List<String> read(CloudStackSimulator simulator, CloudStackClient client, List<String> stackNames,
      Set<String> logicalIds) {
    Map<String, String> labels = new HashMap<>();
    List<InventoryItem> created = simulator.inventory().created();
    for (InventoryItem i : created) {
      String logical = i.tags().get(StackTags.LOGICAL_ID);
      labels.put(i.id(), i.kind() + "/" + (logical != null ? logical : text(i.name(), Map.of(), stackNames,
          logicalIds)));
    }
    Set<String> createdIds = labels.keySet();
    List<String> lines = new ArrayList<>();
    for (String list : LISTS) {
      for (JsonNode item : client.list(list, Map.of("listall", "true"))) {
        String id = item.path("id").asText(null);
        if (id != null && !createdIds.contains(id)) {
          continue; // seeded: the zone's shared network, the account's default group
        }
        JsonNode normalised = normalise(item, labels, stackNames, logicalIds);
        lines.add((id == null ? list : labels.get(id)) + " " + normalised);
      }
    }
    lines.sort(Comparator.naturalOrder());
    return lines;
  }

  private static JsonNode normalise(JsonNode node, Map<String, String> labels, List<String> stackNames,
      Set<String> logicalIds) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!ASSIGNED.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
          sorted.put(e.getKey(), e.getKey().equals("state") ? state(e.getValue())
              : normalise(e.getValue(), labels, stackNames, logicalIds));
        }
      }
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      // Lists in answers are sets (rules, tags, groups, NICs): compared in a canonical order.
      List<JsonNode> items = new ArrayList<>();
      node.forEach(n -> items.add(normalise(n, labels, stackNames, logicalIds)));
      items.sort(Comparator.comparing(JsonNode::toString));
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      items.forEach(out::add);
      return out;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(text(node.asText(), labels, stackNames, logicalIds));
    }
    return node;
  }

  /**
   * A resource's state with what its history left out: a volume once attached stays Ready (never-attached ones are
   * Allocated), a network a machine ran in stays Implemented; running or stopped, say, are kept.
   */
  private static JsonNode state(JsonNode value) {
    return value.isTextual() && Set.of("Allocated", "Ready", "Implemented").contains(value.asText())
        ? TextNode.valueOf("Allocated|Ready|Implemented") : value;
  }

  /** A value with the ids of created resources replaced by their labels, stack names and replacement suffixes out. */
  private static String text(String value, Map<String, String> labels, List<String> stackNames,
      Set<String> logicalIds) {
    if (value == null) {
      return null;
    }
    String v = value;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (v.contains(e.getKey())) {
        v = v.replace(e.getKey(), "<" + e.getValue() + ">");
      }
    }
    for (String s : stackNames) {
      v = v.replace(s, "<stack>");
    }
    // A root volume is named after its machine's database sequence number (ROOT-42), as in CloudStack.
    v = v.replaceAll("^ROOT-\\d+$", "ROOT-<n>");
    for (String l : logicalIds) {
      v = v.replaceAll("(?<=\\b" + Pattern.quote(l) + ")-[0-9a-f]{6}\\b", "");
    }
    return v;
  }
}
