package org.stacktician.engine.provider;

import java.util.List;
import java.util.Objects;

/**
 * How a handler applies a change to one property: the behaviour, the cloud calls that do it (in
 * order, e.g. {@code stopVirtualMachine, changeServiceForVirtualMachine, startVirtualMachine}; none
 * for a replacement) and an optional note a person needs (a condition, an alternative).
 */
public record PropertyUpdate(UpdateBehavior behavior, List<String> calls, String note) {
  /** A property that can only change by replacing the resource. */
  public static final PropertyUpdate REPLACEMENT = new PropertyUpdate(UpdateBehavior.REPLACEMENT, List.of(), null);

  public PropertyUpdate {
    Objects.requireNonNull(behavior, "behavior");
    calls = List.copyOf(calls);
  }

  /** Changed in place without interruption by these calls. */
  public static PropertyUpdate noInterruption(String... calls) {
    return new PropertyUpdate(UpdateBehavior.NO_INTERRUPTION, List.of(calls), null);
  }

  /** Changed in place with some interruption by these calls. */
  public static PropertyUpdate someInterruption(String... calls) {
    return new PropertyUpdate(UpdateBehavior.SOME_INTERRUPTION, List.of(calls), null);
  }

  /** This update with a note. */
  public PropertyUpdate withNote(String text) {
    return new PropertyUpdate(behavior, calls, text);
  }

  /** One line, e.g. "no interruption via updateVirtualMachine" or "replacement". */
  public String describe() {
    StringBuilder sb = new StringBuilder(behavior.label());
    if (!calls.isEmpty()) {
      sb.append(" via ").append(String.join(", ", calls));
    }
    if (note != null && !note.isBlank()) {
      sb.append(" (").append(note).append(')');
    }
    return sb.toString();
  }
}
