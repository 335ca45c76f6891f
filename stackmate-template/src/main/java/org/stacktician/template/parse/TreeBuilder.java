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

  /** One open object or array; frames are reused by depth so that deep documents allocate few of them. */
  private static final class Frame {
    ContainerNode<?> node;
    long position;
    String wrapFunction;
    long[] childPositions = new long[8];
    int count;
    String pendingKey;
    long pendingKeyPosition;

    void reset(ContainerNode<?> node, long position, String wrapFunction) {
      this.node = node;
      this.position = position;
      this.wrapFunction = wrapFunction;
      this.count = 0;
      this.pendingKey = null;
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
  private final ArrayList<Frame> frames = new ArrayList<>();
  private int open;
  private JsonNode root;
  private long rootPosition;

  TreeBuilder(int maxDepth, List<TemplateError> errors, int textLength) {
    this.maxDepth = maxDepth;
    this.errors = errors;
  }

  void startObject(long pos, String wrapFunction) {
    push(pos, wrapFunction).reset(new LocatedObjectNode(), pos, wrapFunction);
  }

  void startArray(long pos, String wrapFunction) {
    push(pos, wrapFunction).reset(new LocatedArrayNode(), pos, wrapFunction);
  }

  private Frame push(long pos, String wrapFunction) {
    int depth = open + 1 + (wrapFunction == null ? 0 : 1);
    if (depth > maxDepth) {
      errors.add(new TemplateError(currentPath(), line(pos), column(pos),
          "The template nests objects and lists more than " + maxDepth + " levels deep; that is the limit"));
      throw new Abort();
    }
    if (frames.size() == open) {
      frames.add(new Frame());
    }
    return frames.get(open++);
  }

  private Frame top() {
    return frames.get(open - 1);
  }

  /** Ends the innermost object or array and attaches it to its parent. */
  void end() {
    Frame frame = frames.get(--open);
    long[] childPositions = Arrays.copyOf(frame.childPositions, frame.count);
    ContainerNode<?> node = frame.node;
    if (node instanceof LocatedObjectNode o) {
      o.positions(childPositions);
    } else {
      ((LocatedArrayNode) node).positions(childPositions);
    }
    frame.node = null;
    attach(node, frame.position, frame.wrapFunction);
  }

  /** A key of the innermost object. */
  void key(String name, long pos) {
    Frame frame = top();
    frame.pendingKey = name;
    frame.pendingKeyPosition = pos;
  }

  /** A scalar value, optionally wrapped in a function object ({@code !Ref x} gives {@code {"Ref": "x"}}). */
  void value(JsonNode value, long pos, String wrapFunction) {
    attach(value, pos, wrapFunction);
  }

  boolean inObject() {
    return open > 0 && top().node.isObject();
  }

  /** True when the next scalar in the innermost object is a key rather than a value. */
  boolean awaitingKey() {
    if (open == 0) {
      return false;
    }
    Frame top = top();
    return top.node.isObject() && top.pendingKey == null;
  }

  int depth() {
    return open;
  }

  private void attach(JsonNode child, long pos, String wrapFunction) {
    JsonNode node = child;
    if (wrapFunction != null) {
      LocatedObjectNode wrapper = new LocatedObjectNode();
      wrapper.set(wrapFunction, child);
      wrapper.positions(new long[] {pos});
      node = wrapper;
    }
    if (open == 0) {
      root = node;
      rootPosition = pos;
      return;
    }
    Frame parent = top();
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
    for (int i = 0; i < open; i++) {
      Frame frame = frames.get(i);
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
