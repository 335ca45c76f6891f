package org.stacktician.cloudstack.simulator.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.cloud.ResourceKind;

/** Every account-owned resource of the simulated cloud with its tags, for leak checks. */
public record Inventory(List<InventoryItem> resources, long pendingJobs) {
  public Inventory {
    resources = List.copyOf(resources);
  }

  /** A snapshot of {@code state} (taken under its lock). */
  public static Inventory of(CloudState state, long pendingJobs) {
    return state.locked(() -> {
      List<InventoryItem> items = new ArrayList<>();
      for (ResourceKind kind : ResourceKind.values()) {
        if (!kind.accountOwned()) continue;
        for (Resource r : state.all(kind)) {
          items.add(new InventoryItem(kind.name(), r.id(), r.name() == null ? r.text("ipaddress") : r.name(),
              r.owner() == null ? null : r.owner().name(), r.text("state"), new LinkedHashMap<>(r.tags()), r.seeded()));
        }
      }
      return new Inventory(items, pendingJobs);
    });
  }

  /** The resources created through the API (not seeded). */
  public List<InventoryItem> created() {
    return resources.stream().filter(i -> !i.seeded()).toList();
  }

  /** Created resources carrying a tag with this key and value (e.g. a stack's name). */
  public List<InventoryItem> taggedWith(String key, String value) {
    return resources.stream().filter(i -> value.equals(i.tags().get(key))).toList();
  }

  /** Counts of created resources by kind. */
  public Map<String, Long> countsByKind() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (InventoryItem i : created()) counts.merge(i.kind(), 1L, Long::sum);
    return counts;
  }
}
