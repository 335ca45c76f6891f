package org.stacktician.engine.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a stack shows, one per logical id (CloudFormation lists one resource per logical id): the row of the
 * stack's current template version, else the latest one; a resource an update removed (gone, of an earlier version)
 * is no longer listed.
 */
public final class CurrentRows {
  private CurrentRows() {}

  /** The current rows of {@code stack} among {@code rows}, in template order. */
  public static List<ResourceRecord> of(StackRecord stack, List<ResourceRecord> rows) {
    Map<String, ResourceRecord> byId = new LinkedHashMap<>();
    for (ResourceRecord r : rows) {
      ResourceRecord had = byId.get(r.logicalId());
      if (had == null || better(r, had, stack.templateVersion())) {
        byId.put(r.logicalId(), r);
      }
    }
    List<ResourceRecord> out = new ArrayList<>();
    for (ResourceRecord r : byId.values()) {
      boolean removed = r.templateVersion() != stack.templateVersion() && r.status() != null && r.status().gone();
      if (!removed) {
        out.add(r);
      }
    }
    return out;
  }

  private static boolean better(ResourceRecord r, ResourceRecord had, int current) {
    boolean rCurrent = r.templateVersion() == current;
    boolean hadCurrent = had.templateVersion() == current;
    if (rCurrent != hadCurrent) {
      return rCurrent;
    }
    if (r.templateVersion() != had.templateVersion()) {
      return r.templateVersion() > had.templateVersion();
    }
    return r.updatedAt() != null && had.updatedAt() != null && r.updatedAt().isAfter(had.updatedAt());
  }
}
