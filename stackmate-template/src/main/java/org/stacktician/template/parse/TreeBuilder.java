package org.stacktician.template.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.stacktician.template.SourceMap;
import org.stacktician.template.TemplateError;

/**
 * Builds a Jackson tree from parse events without recursion, recording each child's position,
 * enforcing the nesting limit and reporting duplicate keys with both positions. Shared by the
 * JSON and YAML readers so both formats behave the same.
 */
final class TreeBuilder {
  /** Thrown to stop parsing when continuing makes no sense (nesting limit). */
  static final class Abort extends RuntimeException {
    Abort() {
      super(null, null, false, false);
    }
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final class Frame {
    final ContainerNode<?> node;
    final long position;
    final String wrapFunction;
    long[] childPositions = new long[8];
    int count;
    String pendingKey;
    long pendingKeyPosition;

    Frame(ContainerNode<?> node, long position, String wrapFunction) {
      this.node = node;
      this.position = position;
      this.wrapFunction = wrapFunction;
    }

    void record(long pos) {
      if (count == childPositions.length) {
        childPositions = Arrays.copyOf(childPositions, count * 2);
      }
      childPositions[count++] = pos;
    }
  }

  private final int maxDepth;
  private final List<TemplateError> errors;
  private final ArrayList<Frame> stack = new ArrayList<>();
  private JsonNode root;
  private long rootPosition;

  TreeBuilder(int maxDepth, List<TemplateError> errors, int textLength) {
    this.maxDepth = maxDepth;
    this.errors = errors;
  }

  void startObject(long pos, String wrapFunction) {
    push(new Frame(new LocatedObjectNode(), pos, wrapFunction), pos);
  }

  void startArray(long pos, String wrapFunction) {
    push(new Frame(new LocatedArrayNode(), pos, wrapFunction), pos);
  }

  private void push(Frame frame, long pos) {
    int depth = stack.size() + 1 + (frame.wrapFunction == null ? 0 : 1);
    if (depth > maxDepth) {
      errors.add(new TemplateError(currentPath(), line(pos), column(pos),
          "The template nests objects and lists more than " + maxDepth + " levels deep; that is the limit"));
      throw new Abort();
    }
    stack.add(frame);
  }

  /** Ends the innermost object or array and attaches it to its parent. */
  void end() {
    Frame frame = stack.remove(stack.size() - 1);
    long[] childPositions = Arrays.copyOf(frame.childPositions, frame.count);
    if (frame.node instanceof LocatedObjectNode o) {
      o.positions(childPositions);
    } else {
      ((LocatedArrayNode) frame.node).positions(childPositions);
    }
    attach(frame.node, frame.position, frame.wrapFunction);
  }

  /** A key of the innermost object. */
  void key(String name, long pos) {
    Frame frame = stack.get(stack.size() - 1);
    frame.pendingKey = name;
    frame.pendingKeyPosition = pos;
  }

  /** A scalar value, optionally wrapped in a function object ({@code !Ref x} gives {@code {"Ref": "x"}}). */
  void value(JsonNode value, long pos, String wrapFunction) {
    attach(value, pos, wrapFunction);
  }

  boolean inObject() {
    return !stack.isEmpty() && stack.get(stack.size() - 1).node.isObject();
  }

  /** True when the next scalar in the innermost object is a key rather than a value. */
  boolean awaitingKey() {
    if (stack.isEmpty()) {
      return false;
    }
    Frame top = stack.get(stack.size() - 1);
    return top.node.isObject() && top.pendingKey == null;
  }

  int depth() {
    return stack.size();
  }

  private void attach(JsonNode child, long pos, String wrapFunction) {
    JsonNode node = child;
    if (wrapFunction != null) {
      LocatedObjectNode wrapper = new LocatedObjectNode();
      wrapper.set(wrapFunction, child);
      wrapper.positions(new long[] {pos});
      node = wrapper;
    }
    if (stack.isEmpty()) {
      root = node;
      rootPosition = pos;
      return;
    }
    Frame parent = stack.get(stack.size() - 1);
    if (parent.node instanceof ObjectNode object) {
      if (object.putIfAbsent(parent.pendingKey, node) == null) {
        parent.record(parent.pendingKeyPosition);
      } else {
        String name = parent.pendingKey;
        long first = positionOfKey(parent, name);
        long pos2 = parent.pendingKeyPosition;
        String path = currentPath();
        errors.add(new TemplateError(path, line(pos2), column(pos2),
            "Duplicate key '" + name + "'; it is already defined at line " + line(first) + ", column "
                + column(first)));
      }
      parent.pendingKey = null;
    } else {
      ((ArrayNode) parent.node).add(node);
      parent.record(pos);
    }
  }

  private static long positionOfKey(Frame frame, String name) {
    int i = 0;
    for (Iterator<String> it = frame.node.fieldNames(); it.hasNext(); i++) {
      if (it.next().equals(name)) {
        return i < frame.count ? frame.childPositions[i] : 0L;
      }
    }
    return 0L;
  }

  /** The path of the value being read, e.g. {@code Resources/Web/Properties}. */
  String currentPath() {
    StringBuilder sb = new StringBuilder();
    for (Frame frame : stack) {
      String segment;
      if (frame.node.isObject()) {
        segment = frame.pendingKey;
      } else {
        segment = Integer.toString(frame.node.size());
      }
      if (segment == null) {
        break;
      }
      if (!sb.isEmpty()) {
        sb.append('/');
      }
      sb.append(segment);
    }
    return sb.toString();
  }

  JsonNode root() {
    return root;
  }

  SourceMap sourceMap() {
    return new SourceMap(root, rootPosition);
  }

  static int line(long packed) {
    return (int) (packed >>> 32);
  }

  static int column(long packed) {
    return (int) packed;
  }
}
