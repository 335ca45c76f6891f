package org.stacktician.engine.metadata;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A StackResourceReader over a list, for tests of the HTTP layer. */
public final class ListStackResourceReader implements StackResourceReader {
  private final List<StackResourceView> resources = new CopyOnWriteArrayList<>();

  public ListStackResourceReader add(StackResourceView view) {
    resources.add(view);
    return this;
  }

  @Override
  public Optional<StackResourceView> describe(String stackNameOrId, String logicalId) {
    return list(stackNameOrId).stream().filter(r -> r.logicalId().equals(logicalId)).findFirst();
  }

  @Override
  public List<StackResourceView> list(String stackNameOrId) {
    return resources.stream()
        .filter(r -> r.stackName().equals(stackNameOrId) || r.stackId().equals(stackNameOrId))
        .toList();
  }
}
