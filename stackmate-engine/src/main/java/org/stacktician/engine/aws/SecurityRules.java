package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.Values;

/** EC2 security-group rule properties as CloudStack authorizeSecurityGroupIngress/Egress parameters. */
final class SecurityRules {
  private SecurityRules() {}

  /** The rule properties EC2 defines (for ingress; egress uses DestinationSecurityGroupId/CidrIp). */
  static final List<String> RULE_PROPERTIES = List.of("IpProtocol", "FromPort", "ToPort", "CidrIp",
      "SourceSecurityGroupName", "SourceSecurityGroupId", "SourceSecurityGroupOwnerId", "DestinationSecurityGroupId",
      "Description", "CidrIpv6");

  static void check(JsonNode rule, String where, List<PropertyError> errors) {
    if (!rule.isObject()) {
      errors.add(new PropertyError(where, "must be an object"));
      return;
    }
    JsonNode protocol = rule.get("IpProtocol");
    if (protocol == null || protocol.isNull()) {
      errors.add(new PropertyError(where + ".IpProtocol", "is required"));
    } else if (!Values.isUnresolved(protocol) && protocol(protocol.asText()) == null) {
      errors.add(new PropertyError(where + ".IpProtocol", "must be tcp, udp, icmp, -1 or a protocol number, got '"
          + protocol.asText() + "'"));
    }
    for (String port : List.of("FromPort", "ToPort")) {
      JsonNode v = rule.get(port);
      if (v != null && !v.isNull() && !Values.isUnresolved(v) && Values.asLong(v).isEmpty()) {
        errors.add(new PropertyError(where + "." + port, "must be an integer, got " + v));
      }
    }
    rule.fieldNames().forEachRemaining(n -> {
      if (!RULE_PROPERTIES.contains(n)) {
        errors.add(PropertyError.ofName(where + "." + n, "is not a security group rule property; known: " + RULE_PROPERTIES));
      }
    });
  }

  /** CloudStack's protocol name for an EC2 IpProtocol, or null when unknown. */
  static String protocol(String ip) {
    String p = ip.trim().toLowerCase(Locale.ROOT);
    return switch (p) {
      case "tcp", "6" -> "tcp";
      case "udp", "17" -> "udp";
      case "icmp", "1" -> "icmp";
      case "-1", "all" -> "all";
      default -> p.matches("\\d{1,3}") ? p : null;
    };
  }

  /**
   * The authorize parameters (without the group) for one rule; {@code account} is the account
   * that owns groups named by SourceSecurityGroupName (the group owner's, as EC2's default).
   */
  static Map<String, String> params(JsonNode rule, String account) {
    Map<String, String> p = new LinkedHashMap<>();
    String protocol = protocol(rule.path("IpProtocol").asText());
    p.put("protocol", protocol);
    Long from = Values.asLong(rule.get("FromPort")).orElse(null);
    Long to = Values.asLong(rule.get("ToPort")).orElse(null);
    if (protocol.equals("icmp")) {
      p.put("icmptype", String.valueOf(from == null ? -1 : from));
      p.put("icmpcode", String.valueOf(to == null ? -1 : to));
    } else if (protocol.equals("tcp") || protocol.equals("udp")) {
      long start = from == null || from < 0 ? 1 : from;
      long end = to == null || to < 0 ? 65535 : to;
      p.put("startport", String.valueOf(start));
      p.put("endport", String.valueOf(end));
    }
    String sourceGroup = rule.path("SourceSecurityGroupName").asText("");
    if (!sourceGroup.isEmpty()) {
      p.put("usersecuritygrouplist[0].group", sourceGroup);
      p.put("usersecuritygrouplist[0].account", rule.path("SourceSecurityGroupOwnerId").asText(account));
    } else {
      p.put("cidrlist", rule.path("CidrIp").asText("0.0.0.0/0"));
    }
    return p;
  }

  /** The rule ids in a securitygroup result's ingressrule/egressrule list that match the sent parameters. */
  static List<String> ruleIds(JsonNode group, String listKey, Map<String, String> sent) {
    java.util.ArrayList<String> ids = new java.util.ArrayList<>();
    for (JsonNode r : group.path(listKey)) {
      if (matches(sent, r)) {
        ids.add(r.path("ruleid").asText());
      }
    }
    if (ids.isEmpty() && group.path(listKey).size() > 0) {
      JsonNode last = group.path(listKey).get(group.path(listKey).size() - 1);
      ids.add(last.path("ruleid").asText());
    }
    return ids;
  }

  /** True when a listed rule (of a securitygroup's ingressrule/egressrule) is one these authorize parameters make. */
  static boolean matches(Map<String, String> sent, JsonNode r) {
    return sent.get("protocol").equalsIgnoreCase(r.path("protocol").asText())
        && (!sent.containsKey("startport") || sent.get("startport").equals(r.path("startport").asText()))
        && (!sent.containsKey("endport") || sent.get("endport").equals(r.path("endport").asText()))
        && (!sent.containsKey("icmptype") || sent.get("icmptype").equals(r.path("icmptype").asText()))
        && (!sent.containsKey("icmpcode") || sent.get("icmpcode").equals(r.path("icmpcode").asText()))
        && (!sent.containsKey("cidrlist") || sent.get("cidrlist").equals(r.path("cidr").asText(sent.get("cidrlist"))))
        && (!sent.containsKey("usersecuritygrouplist[0].group")
            || sent.get("usersecuritygrouplist[0].group").equals(r.path("securitygroupname").asText()));
  }

  /** A listed rule as a template writes an EC2 rule: IpProtocol, FromPort, ToPort, and CidrIp or SourceSecurityGroupName. */
  static com.fasterxml.jackson.databind.node.ObjectNode asTemplateRule(JsonNode r) {
    var out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    String protocol = r.path("protocol").asText();
    out.put("IpProtocol", protocol.equals("all") ? "-1" : protocol);
    if (protocol.equals("icmp")) {
      out.put("FromPort", r.path("icmptype").asInt(-1));
      out.put("ToPort", r.path("icmpcode").asInt(-1));
    } else if (r.has("startport")) {
      out.put("FromPort", r.path("startport").asInt());
      out.put("ToPort", r.path("endport").asInt());
    }
    if (!r.path("cidr").asText("").isEmpty()) {
      out.put("CidrIp", r.path("cidr").asText());
    } else if (!r.path("securitygroupname").asText("").isEmpty()) {
      out.put("SourceSecurityGroupName", r.path("securitygroupname").asText());
    }
    return out;
  }
}
