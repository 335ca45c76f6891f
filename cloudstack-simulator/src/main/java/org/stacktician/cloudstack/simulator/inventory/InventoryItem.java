package org.stacktician.cloudstack.simulator.inventory;

import java.util.Map;

/**
 * One account-owned resource in the inventory: its kind (e.g. {@code VIRTUAL_MACHINE}), id,
 * name, owning account, state (when it has one), tags, and whether the simulator seeded it.
 */
public record InventoryItem(String kind, String id, String name, String account, String state, Map<String, String> tags,
    boolean seeded) {
  public InventoryItem {
    tags = Map.copyOf(tags);
  }
}
