package org.stacktician.cloudstack.simulator.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.cloud.ResourceKind;
import org.stacktician.cloudstack.simulator.http.ApiException;

/** Resource tags: createTags, deleteTags (both async) and listTags; resource types matched case-insensitively. */
public final class TagCommands implements CommandGroup {

  @Override
  public void register(CommandRegistry r) {
    r.register("createTags", "tag.CreateTagsCmd", this::create);
    r.register("deleteTags", "tag.DeleteTagsCmd", this::delete);
    r.register("listTags", "tag.ListTagsCmd", this::list);
  }

  private static List<ResourceKind> kinds(String resourceType) {
    List<ResourceKind> kinds = Arrays.stream(ResourceKind.values())
        .filter(k -> k.tagType() != null && k.tagType().equalsIgnoreCase(resourceType)).toList();
    if (kinds.isEmpty()) {
      throw ApiException.invalidParameterValue("Invalid resource type: " + resourceType);
    }
    return kinds;
  }

  private static List<Resource> targets(CommandContext ctx) {
    List<ResourceKind> kinds = kinds(ctx.params().get("resourcetype"));
    List<Resource> out = new ArrayList<>();
    for (String id : ctx.params().list("resourceids")) {
      Resource found = null;
      for (ResourceKind k : kinds) {
        found = ctx.state().find(k, id, ctx.account()).filter(r -> r.owner() != null).orElse(null);
        if (found != null) break;
      }
      if (found == null) {
        throw ApiException.invalidParameterValue("Unable to find resource by id " + id + " and type " + ctx.params().get("resourcetype"));
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
    List<Resource> targets = targets(ctx);
    return new CommandOutcome.Async(null, null, null, () -> {
      for (Resource r : targets) {
        for (Map<String, String> t : tags) {
          if (r.tags().containsKey(t.get("key"))) {
            throw ApiException.invalidParameterValue("tag " + t.get("key") + " already on " + r.kind().tagType() + " with id " + r.id());
          }
        }
      }
      for (Resource r : targets) {
        tags.forEach(t -> r.tags().put(t.get("key"), t.get("value")));
      }
      return null;
    });
  }

  private CommandOutcome delete(CommandContext ctx) {
    List<Map<String, String>> tags = ctx.params().map("tags");
    List<Resource> targets = targets(ctx);
    return new CommandOutcome.Async(null, null, null, () -> {
      for (Resource r : targets) {
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
    List<ObjectNode> items = new ArrayList<>();
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.tagType() == null || !kind.accountOwned()) continue;
      if (p.has("resourcetype") && !kind.tagType().equalsIgnoreCase(p.get("resourcetype"))) continue;
      for (Resource r : s.list(kind, ctx.account())) {
        if (p.has("resourceid") && !p.get("resourceid").equals(r.id())) continue;
        r.tags().forEach((k, v) -> {
          if ((!p.has("key") || p.get("key").equals(k)) && (!p.has("value") || p.get("value").equals(v))
              && (!p.has("keyword") || k.contains(p.get("keyword")) || v.contains(p.get("keyword")))) {
            items.add(s.tag(r, k, v));
          }
        });
      }
    }
    return new CommandOutcome.Sync(Lists.page(ctx, items, "tag"));
  }
}
