package org.stacktician.cloudstack.simulator.cloud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One simulated resource. Its state is the JSON object CloudStack would answer with
 * ({@link #view}), so handlers and responses share one representation; tags are kept apart
 * and rendered into {@code tags} on the way out. Guarded by {@link CloudState}'s lock.
 */
public final class Resource {
  private final ResourceKind kind;
  private final String id;
  private final Account owner;
  private final ObjectNode view;
  private final Map<String, String> tags = new LinkedHashMap<>();
  private final Map<String, Object> hidden = new java.util.HashMap<>();
  private final boolean seeded;

  Resource(ResourceKind kind, String id, Account owner, ObjectNode view, boolean seeded) {
    this.kind = kind;
    this.id = id;
    this.owner = owner;
    this.view = view;
    this.seeded = seeded;
  }

  public ResourceKind kind() {
    return kind;
  }

  public String id() {
    return id;
  }

  /** The owning account, or null for shared catalogue items (zones, offerings, public templates). */
  public Account owner() {
    return owner;
  }

  /** The mutable CloudStack view of this resource (without tags). */
  public ObjectNode view() {
    return view;
  }

  public Map<String, String> tags() {
    return tags;
  }

  /** State CloudStack keeps but does not show in this resource's responses (user data, LB members ...). */
  public Map<String, Object> hidden() {
    return hidden;
  }

  /** True for resources the simulator created at start-up rather than an API call. */
  public boolean seeded() {
    return seeded;
  }

  /** A text field of the view, or null. */
  public String text(String field) {
    var node = view.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  public String name() {
    return text("name");
  }
}
