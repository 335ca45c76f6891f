package org.stacktician.cloudstack.simulator.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.cloud.ResourceKind;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.http.Envelopes;

/** The filters and paging every list command shares: id, ids, name, keyword, tags, page/pagesize. */
public final class Lists {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Lists() {}

  /** Lists {@code kind} for the caller with the common filters plus {@code filter}; answers under {@code itemKey}. */
  public static CommandOutcome list(CommandContext ctx, ResourceKind kind, String itemKey, Predicate<Resource> filter) {
    return new CommandOutcome.Sync(listBody(ctx, ctx.state().list(kind, ctx.account()), itemKey, filter));
  }

  /** As {@link #list} over given resources. */
  public static ObjectNode listBody(CommandContext ctx, List<Resource> candidates, String itemKey, Predicate<Resource> filter) {
    Params p = ctx.params();
    String id = p.get("id");
    List<String> ids = p.list("ids");
    String name = p.get("name");
    String keyword = p.get("keyword");
    List<Map<String, String>> tags = p.map("tags");
    List<Resource> matched = new ArrayList<>();
    for (Resource r : candidates) {
      if (id != null && !id.equals(r.id())) continue;
      if (!ids.isEmpty() && !ids.contains(r.id())) continue;
      if (name != null && !name.equals(r.name())) continue;
      if (keyword != null && !containsIgnoreCase(r.name(), keyword) && !containsIgnoreCase(r.text("displaytext"), keyword)
          && !containsIgnoreCase(r.text("displayname"), keyword) && !containsIgnoreCase(r.text("description"), keyword)) continue;
      if (!tags.isEmpty() && !hasTags(r, tags)) continue;
      if (filter != null && !filter.test(r)) continue;
      matched.add(r);
    }
    return page(ctx, matched.stream().map(r -> ctx.state().render(r)).toList(), itemKey);
  }

  /** Applies {@code page}/{@code pagesize} and builds the list body ({@code count} is the total). */
  public static ObjectNode page(CommandContext ctx, List<ObjectNode> items, String itemKey) {
    Integer page = ctx.params().integer("page");
    Integer pageSize = ctx.params().integer("pagesize");
    List<ObjectNode> shown = items;
    if (page != null || pageSize != null) {
      int size = pageSize == null ? 500 : pageSize;
      int number = page == null ? 1 : page;
      if (size < 1 || number < 1) {
        throw ApiException.invalidParameterValue("Page size and page number must be positive");
      }
      int from = (int) Math.min(items.size(), (long) (number - 1) * size);
      shown = items.subList(from, Math.min(items.size(), from + size));
    }
    return Envelopes.list(itemKey, shown, items.size());
  }

  private static boolean hasTags(Resource r, List<Map<String, String>> wanted) {
    for (Map<String, String> t : wanted) {
      String key = t.get("key");
      String value = t.get("value");
      if (key == null || !r.tags().containsKey(key)) return false;
      if (value != null && !Objects.equals(value, r.tags().get(key))) return false;
    }
    return true;
  }

  private static boolean containsIgnoreCase(String text, String part) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }

  /** True when a text field of {@code r} equals the parameter's value, or the parameter is absent. */
  public static boolean matches(CommandContext ctx, Resource r, String param, String field) {
    String v = ctx.params().get(param);
    return v == null || v.equalsIgnoreCase(Objects.toString(r.text(field), ""));
  }

  /** {@code {"<key>": object}}. */
  public static ObjectNode wrap(String key, ObjectNode object) {
    ObjectNode o = JSON.objectNode();
    o.set(key, object);
    return o;
  }
}
