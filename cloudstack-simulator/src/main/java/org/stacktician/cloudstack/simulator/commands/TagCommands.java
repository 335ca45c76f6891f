package org.stacktician.cloudstack.simulator.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.cloud.ResourceKind;
import org.stacktician.cloudstack.simulator.http.ApiException;

/**
 * Resource tags: createTags, deleteTags (both async) and listTags; resource types matched
 * case-insensitively (CloudStack's ResourceObjectType names), security-group rules included.
 */
public final class TagCommands implements CommandGroup {
  private static final String SECURITY_GROUP_RULE = "SecurityGroupRule";

  /** Something that carries tags: a resource, or a security-group rule inside its group. */
  private record Target(String type, String id, Account owner, Map<String, String> tags) {}

  @Override
  public void register(CommandRegistry r) {
    r.register("createTags", "tag.CreateTagsCmd", this::create);
    r.register("deleteTags", "tag.DeleteTagsCmd", this::delete);
    r.register("listTags", "tag.ListTagsCmd", this::list);
  }

  private static List<ResourceKind> kinds(String resourceType) {
    List<ResourceKind> kinds = Arrays.stream(ResourceKind.values())
        .filter(k -> k.tagType() != null && k.tagType().equalsIgnoreCase(resourceType)).toList();
    if (kinds.isEmpty() && !SECURITY_GROUP_RULE.equalsIgnoreCase(resourceType)) {
      throw ApiException.invalidParameterValue("Invalid resource type: " + resourceType);
    }
    return kinds;
  }

  private static List<Target> targets(CommandContext ctx) {
    String type = ctx.params().get("resourcetype");
    List<ResourceKind> kinds = kinds(type);
    List<Target> out = new ArrayList<>();
    for (String id : ctx.params().list("resourceids")) {
      Target found = null;
      if (SECURITY_GROUP_RULE.equalsIgnoreCase(type)) {
        found = SecurityGroupCommands.groupOfRule(ctx.state(), ctx.account(), id)
            .map(g -> new Target(SECURITY_GROUP_RULE, id, g.owner(),
                SecurityGroupCommands.ruleTags(g).computeIfAbsent(id, k -> new java.util.LinkedHashMap<>())))
            .orElse(null);
      }
      for (ResourceKind k : kinds) {
        Resource r = ctx.state().find(k, id, ctx.account()).filter(x -> x.owner() != null).orElse(null);
        if (r != null) {
          found = new Target(k.tagType(), r.id(), r.owner(), r.tags());
          break;
        }
      }
      if (found == null) {
        throw ApiException.invalidParameterValue("Unable to find resource by id " + id + " and type " + type);
      }
      out.add(found);
    }
    return out;
  }

  private CommandOutcome create(CommandContext ctx) {
    List<Map<String, String>> tags = ctx.params().map("tags");
    for (Map<String, String> t : tags) {
      if (t.get("key") == null || t.get("key").isBlank()) {
        throw ApiException.invalidParameterValue("Tag key can't be empty");
      }
      if (t.get("value") == null) {
        throw ApiException.invalidParameterValue("Value for the key " + t.get("key") + " is either null or empty");
      }
    }
    List<Target> targets = targets(ctx);
    return new CommandOutcome.Async(null, null, null, () -> {
      for (Target r : targets) {
        for (Map<String, String> t : tags) {
          if (r.tags().containsKey(t.get("key"))) {
            throw ApiException.invalidParameterValue("tag " + t.get("key") + " already on " + r.type() + " with id " + r.id());
          }
        }
      }
      for (Target r : targets) {
        tags.forEach(t -> r.tags().put(t.get("key"), t.get("value")));
      }
      return null;
    });
  }

  private CommandOutcome delete(CommandContext ctx) {
    List<Map<String, String>> tags = ctx.params().map("tags");
    List<Target> targets = targets(ctx);
    return new CommandOutcome.Async(null, null, null, () -> {
      for (Target r : targets) {
        if (tags.isEmpty()) {
          r.tags().clear();
        }
        for (Map<String, String> t : tags) {
          String value = t.get("value");
          if (value == null || value.isEmpty() || Objects.equals(value, r.tags().get(t.get("key")))) {
            r.tags().remove(t.get("key"));
          }
        }
      }
      return null;
    });
  }

  private CommandOutcome list(CommandContext ctx) {
    var p = ctx.params();
    CloudState s = ctx.state();
    List<Target> all = new ArrayList<>();
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.tagType() == null || !kind.accountOwned()) continue;
      for (Resource r : s.list(kind, ctx.account())) {
        all.add(new Target(kind.tagType(), r.id(), r.owner(), r.tags()));
        if (kind == ResourceKind.SECURITY_GROUP) {
          SecurityGroupCommands.ruleTags(r).forEach((ruleId, tags) -> all.add(new Target(SECURITY_GROUP_RULE, ruleId, r.owner(), tags)));
        }
      }
    }
    List<ObjectNode> items = new ArrayList<>();
    for (Target r : all) {
      if (p.has("resourcetype") && !r.type().equalsIgnoreCase(p.get("resourcetype"))) continue;
      if (p.has("resourceid") && !p.get("resourceid").equals(r.id())) continue;
      r.tags().forEach((k, v) -> {
        if ((!p.has("key") || p.get("key").equals(k)) && (!p.has("value") || p.get("value").equals(v))
            && (!p.has("keyword") || k.contains(p.get("keyword")) || v.contains(p.get("keyword")))) {
          items.add(CloudState.tag(r.type(), r.id(), r.owner(), k, v));
        }
      });
    }
    return new CommandOutcome.Sync(Lists.page(ctx, items, "tag"));
  }
}
