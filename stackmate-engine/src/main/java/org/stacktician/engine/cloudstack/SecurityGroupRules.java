package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;

/**
 * The rules an {@code authorizeSecurityGroupIngress}/{@code Egress} call makes, found among its group's rules by what
 * they are (CloudStack makes one rule per CIDR and per peer group, and refuses a rule the group already has): a rule
 * has no name and is tagged only once its job is seen to end, so this is how a create whose answer was lost finds
 * its rule instead of authorizing it twice, and how a create's answer (the whole group) is narrowed to its own rules.
 */
final class SecurityGroupRules {
  private SecurityGroupRules() {}

  /** True for the rule types (their resources live inside a security group). */
  static boolean isRule(ResourceTypeDefinition type) {
    return type.noun().equals("SecurityGroupIngress") || type.noun().equals("SecurityGroupEgress");
  }

  /** The group field that lists this type's rules. */
  static String field(ResourceTypeDefinition type) {
    return type.noun().endsWith("Ingress") ? "ingressrule" : "egressrule";
  }

  /** The group the create parameters name (by id or by name), as listSecurityGroups shows it; empty when gone. */
  static Optional<JsonNode> group(CloudStackClient client, Map<String, String> params) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("listall", "true");
    if (params.get("securitygroupid") != null) {
      query.put("id", params.get("securitygroupid"));
    } else if (params.get("securitygroupname") != null) {
      query.put("securitygroupname", params.get("securitygroupname"));
    } else {
      return Optional.empty();
    }
    try {
      return client.list("listSecurityGroups", query).stream().findFirst();
    } catch (CloudStackApiException e) {
      if (e.errorCode() == 431) {
        return Optional.empty(); // the id names no group the account can see
      }
      throw e;
    }
  }

  /** The id of the job still running on the group (CloudStack shows the latest job acting on an object), if any. */
  static Optional<String> runningJob(JsonNode group) {
    return group.hasNonNull("jobid") && group.path("jobstatus").asInt(-1) == 0
        ? Optional.of(group.get("jobid").asText()) : Optional.empty();
  }

  /**
   * {@code group} (a create's answer or a listed group) with only the rules of {@code type} that an authorize with
   * {@code params} makes and {@code ours} accepts; empty when it has none.
   */
  static Optional<ObjectNode> narrowed(JsonNode group, ResourceTypeDefinition type, Map<String, String> params,
      Predicate<JsonNode> ours) {
    ArrayNode kept = ((ObjectNode) group).arrayNode();
    for (JsonNode rule : group.path(field(type))) {
      if (made(rule, params) && ours.test(rule)) {
        kept.add(rule);
      }
    }
    if (kept.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode out = ((ObjectNode) group).deepCopy();
    out.set(field(type), kept);
    return Optional.of(out);
  }

  /** True when an authorize with these parameters makes {@code rule}: same protocol, ports or ICMP type, source. */
  static boolean made(JsonNode rule, Map<String, String> params) {
    String protocol = params.getOrDefault("protocol", "all").toLowerCase(Locale.ROOT);
    if (!protocol.equals(rule.path("protocol").asText("").toLowerCase(Locale.ROOT))) {
      return false;
    }
    if (protocol.equals("icmp")) {
      if (!same(params.getOrDefault("icmptype", "-1"), rule.path("icmptype"))
          || !same(params.getOrDefault("icmpcode", "-1"), rule.path("icmpcode"))) {
        return false;
      }
    } else if (params.get("startport") != null) {
      String end = params.getOrDefault("endport", params.get("startport"));
      if (!same(params.get("startport"), rule.path("startport")) || !same(end, rule.path("endport"))) {
        return false;
      }
    }
    List<String> cidrs = new ArrayList<>();
    for (String c : params.getOrDefault("cidrlist", "").split(",")) {
      if (!c.isBlank()) {
        cidrs.add(c.strip());
      }
    }
    if (rule.hasNonNull("cidr") && !rule.path("cidr").asText().isEmpty()) {
      return cidrs.contains(rule.path("cidr").asText()) || (cidrs.isEmpty() && peers(params).isEmpty()
          && rule.path("cidr").asText().equals("0.0.0.0/0"));
    }
    return peers(params).stream().anyMatch(p -> p.getOrDefault("group", "").equals(rule.path("securitygroupname").asText())
        && (p.get("account") == null || p.get("account").equals(rule.path("account").asText())));
  }

  /** The {@code usersecuritygrouplist} entries ({@code usersecuritygrouplist[i].account/.group}). */
  private static List<Map<String, String>> peers(Map<String, String> params) {
    Map<String, Map<String, String>> byIndex = new LinkedHashMap<>();
    params.forEach((k, v) -> {
      if (k.startsWith("usersecuritygrouplist[") && k.indexOf("].") > 0) {
        byIndex.computeIfAbsent(k.substring(0, k.indexOf("].")), i -> new LinkedHashMap<>())
            .put(k.substring(k.indexOf("].") + 2), v);
      }
    });
    return List.copyOf(byIndex.values());
  }

  private static boolean same(String given, JsonNode listed) {
    return !listed.isMissingNode() && !listed.isNull() && given.strip().equals(listed.asText());
  }
}
