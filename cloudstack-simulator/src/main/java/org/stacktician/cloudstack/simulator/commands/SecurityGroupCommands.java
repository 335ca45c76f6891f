package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.SECURITY_GROUP;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VIRTUAL_MACHINE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.http.Envelopes;

/** Security groups and their ingress and egress rules. */
public final class SecurityGroupCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public void register(CommandRegistry r) {
    r.register("createSecurityGroup", "securitygroup.CreateSecurityGroupCmd", this::create);
    r.register("deleteSecurityGroup", "securitygroup.DeleteSecurityGroupCmd", this::delete);
    r.register("listSecurityGroups", "securitygroup.ListSecurityGroupsCmd", this::list);
    r.register("authorizeSecurityGroupIngress", "securitygroup.AuthorizeSecurityGroupIngressCmd", ctx -> authorize(ctx, "ingressrule"));
    r.register("authorizeSecurityGroupEgress", "securitygroup.AuthorizeSecurityGroupEgressCmd", ctx -> authorize(ctx, "egressrule"));
    r.register("revokeSecurityGroupIngress", "securitygroup.RevokeSecurityGroupIngressCmd", ctx -> revoke(ctx, "ingressrule"));
    r.register("revokeSecurityGroupEgress", "securitygroup.RevokeSecurityGroupEgressCmd", ctx -> revoke(ctx, "egressrule"));
  }

  /** Creates a group for {@code account} (also used to seed each account's {@code default} group). */
  public static Resource create(CloudState s, Account account, String name, String description, boolean seeded) {
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    if (description != null) v.put("description", description);
    CloudState.owner(v, account);
    v.putArray("ingressrule");
    v.putArray("egressrule");
    return s.add(SECURITY_GROUP, s.newId(), account, v, seeded);
  }

  private CommandOutcome create(CommandContext ctx) {
    String name = ctx.params().get("name");
    for (Resource g : ctx.state().list(SECURITY_GROUP, ctx.account())) {
      if (name.equalsIgnoreCase(g.name())) {
        throw ApiException.invalidParameterValue("Unable to create security group, a group with name " + name + " already exists.");
      }
    }
    Resource g = create(ctx.state(), ctx.account(), name, ctx.params().get("description"), false);
    return new CommandOutcome.Sync(Lists.wrap("securitygroup", render(ctx.state(), g)));
  }

  /** Tags of the group's rules by rule id (rules are tagged as {@code SecurityGroupRule}). */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, String>> ruleTags(Resource group) {
    return (Map<String, Map<String, String>>) group.hidden().computeIfAbsent("ruletags", k -> new java.util.LinkedHashMap<>());
  }

  /** The group's view with its live VM count and ids, and each rule's tags. */
  static ObjectNode render(CloudState s, Resource g) {
    ObjectNode out = s.render(g);
    Map<String, Map<String, String>> tags = ruleTags(g);
    for (String field : List.of("ingressrule", "egressrule")) {
      for (JsonNode rule : out.path(field)) {
        ArrayNode ruleTagArray = ((ObjectNode) rule).putArray("tags");
        tags.getOrDefault(rule.path("ruleid").asText(), Map.of()).forEach((k, v) ->
            ruleTagArray.add(CloudState.tag("SecurityGroupRule", rule.path("ruleid").asText(), g.owner(), k, v)));
      }
    }
    List<String> vms = vmsUsing(s, g);
    out.put("virtualmachinecount", vms.size());
    ArrayNode ids = out.putArray("virtualmachineids");
    vms.forEach(ids::add);
    return out;
  }

  private static List<String> vmsUsing(CloudState s, Resource g) {
    List<String> ids = new ArrayList<>();
    for (Resource vm : s.all(VIRTUAL_MACHINE)) {
      if (VirtualMachineCommands.contains(vm.view().path("securitygroup"), "id", g.id())) ids.add(vm.id());
    }
    return ids;
  }

  private Resource group(CommandContext ctx, String idParam, String nameParam) {
    var p = ctx.params();
    if (p.has(idParam) && p.has(nameParam)) {
      throw ApiException.invalidParameterValue(idParam + " and " + nameParam + " parameters are mutually exclusive");
    }
    if (p.has(idParam)) {
      return ctx.resource(idParam, SECURITY_GROUP);
    }
    if (!p.has(nameParam)) {
      throw ApiException.invalidParameterValue("Either " + idParam + " or " + nameParam + " is required");
    }
    String name = p.get(nameParam);
    return ctx.state().list(SECURITY_GROUP, ctx.account()).stream().filter(g -> name.equals(g.name())).findFirst()
        .orElseThrow(() -> ApiException.invalidParameterValue("Unable to find security group " + name + " for account "
            + ctx.account().name()));
  }

  private CommandOutcome delete(CommandContext ctx) {
    Resource g = group(ctx, "id", "name");
    if ("default".equals(g.name())) {
      throw ApiException.invalidParameterValue("The network default group can't be removed");
    }
    if (!vmsUsing(ctx.state(), g).isEmpty()) {
      throw ApiException.inUse("Cannot delete group when it's in use by virtual machines");
    }
    ctx.state().remove(g);
    return new CommandOutcome.Sync(Envelopes.success());
  }

  private CommandOutcome list(CommandContext ctx) {
    var p = ctx.params();
    String name = p.get("securitygroupname");
    String vmId = p.get("virtualmachineid");
    ObjectNode body = Lists.listBody(ctx, ctx.state().list(SECURITY_GROUP, ctx.account()), "securitygroup",
        g -> (name == null || name.equals(g.name()))
            && (vmId == null || ctx.state().byId(vmId).map(vm -> VirtualMachineCommands.contains(vm.view().path("securitygroup"), "id", g.id())).orElse(false)));
    for (JsonNode item : body.path("securitygroup")) {
      ctx.state().byId(item.path("id").asText()).ifPresent(g -> ((ObjectNode) item).setAll(render(ctx.state(), g)));
    }
    return new CommandOutcome.Sync(body);
  }

  private CommandOutcome authorize(CommandContext ctx, String ruleField) {
    CloudState s = ctx.state();
    Resource g = group(ctx, "securitygroupid", "securitygroupname");
    String protocol = AddressCommands.protocol(ctx, true);
    var p = ctx.params();
    List<String> cidrs = new ArrayList<>(p.list("cidrlist"));
    List<Map<String, String>> peers = p.map("usersecuritygrouplist");
    if (cidrs.isEmpty() && peers.isEmpty()) {
      cidrs.add("0.0.0.0/0");
    }
    List<ObjectNode> rules = new ArrayList<>();
    for (String cidr : cidrs) {
      ObjectNode rule = rule(s, g, protocol, ctx);
      rule.put("cidr", cidr);
      rules.add(rule);
    }
    for (Map<String, String> peer : peers) {
      ObjectNode rule = rule(s, g, protocol, ctx);
      rule.put("securitygroupname", peer.getOrDefault("group", ""));
      rule.put("account", peer.getOrDefault("account", ctx.account().name()));
      rules.add(rule);
    }
    return new CommandOutcome.Async(null, "SecurityGroup", g.id(), () -> {
      ArrayNode existing = (ArrayNode) g.view().withArray(ruleField);
      rules.forEach(existing::add);
      // As CloudStack (createSecurityGroupResponseFromSecurityGroupRule): the group with the rules this call
      // authorized, not every rule it has, so a client can tell which rules it made.
      ObjectNode answer = render(s, g);
      java.util.Set<String> made = new java.util.HashSet<>();
      rules.forEach(r -> made.add(r.path("ruleid").asText()));
      for (String field : List.of("ingressrule", "egressrule")) {
        ArrayNode only = JSON.arrayNode();
        answer.path(field).forEach(r -> {
          if (made.contains(r.path("ruleid").asText())) {
            only.add(r);
          }
        });
        answer.set(field, only);
      }
      return Lists.wrap("securitygroup", answer);
    });
  }

  /** The group holding a rule, among the caller's groups. */
  static java.util.Optional<Resource> groupOfRule(CloudState s, org.stacktician.cloudstack.simulator.cloud.Account a, String ruleId) {
    for (Resource g : s.list(SECURITY_GROUP, a)) {
      for (String field : List.of("ingressrule", "egressrule")) {
        for (JsonNode rule : g.view().path(field)) {
          if (ruleId.equals(rule.path("ruleid").asText())) return java.util.Optional.of(g);
        }
      }
    }
    return java.util.Optional.empty();
  }

  private static ObjectNode rule(CloudState s, Resource g, String protocol, CommandContext ctx) {
    var p = ctx.params();
    ObjectNode rule = JSON.objectNode();
    rule.put("ruleid", s.newId());
    rule.put("protocol", protocol);
    if (protocol.equals("icmp")) {
      rule.put("icmptype", p.integer("icmptype") == null ? -1 : p.integer("icmptype"));
      rule.put("icmpcode", p.integer("icmpcode") == null ? -1 : p.integer("icmpcode"));
    } else if (p.integer("startport") != null) {
      rule.put("startport", p.integer("startport"));
      rule.put("endport", p.integer("endport") == null ? p.integer("startport") : p.integer("endport"));
    }
    rule.put("securitygroupname", g.name());
    rule.put("account", ctx.account().name());
    rule.putArray("tags");
    return rule;
  }

  private CommandOutcome revoke(CommandContext ctx, String ruleField) {
    String ruleId = ctx.params().get("id");
    for (Resource g : ctx.state().list(SECURITY_GROUP, ctx.account())) {
      ArrayNode rules = (ArrayNode) g.view().withArray(ruleField);
      for (JsonNode rule : rules) {
        if (ruleId.equals(rule.path("ruleid").asText())) {
          return new CommandOutcome.Async(null, "SecurityGroup", g.id(), () -> {
            Iterator<JsonNode> it = rules.elements();
            while (it.hasNext()) {
              if (ruleId.equals(it.next().path("ruleid").asText())) it.remove();
            }
            ruleTags(g).remove(ruleId);
            return null;
          });
        }
      }
    }
    throw ApiException.invalidId(ctx.command(), "id", ruleId);
  }
}
