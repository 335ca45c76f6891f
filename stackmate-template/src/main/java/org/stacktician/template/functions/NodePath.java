package org.stacktician.template.functions;

/**
 * A path into the template built without string concatenation, so that walking a large template
 * costs one small object per node; the text form ({@code Resources/Web/Properties/0}) is made only
 * when an error needs it.
 */
public final class NodePath {
  private final NodePath parent;
  private final String key;
  private final int index;

  private NodePath(NodePath parent, String key, int index) {
    this.parent = parent;
    this.key = key;
    this.index = index;
  }

  /** A path from its text form. */
  public static NodePath of(String text) {
    return new NodePath(null, text == null ? "" : text, -1);
  }

  /** The path of a member of the object at this path. */
  public NodePath key(String name) {
    return new NodePath(this, name, -1);
  }

  /** The path of an element of the list at this path. */
  public NodePath index(int i) {
    return new NodePath(this, null, i);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    append(sb);
    return sb.toString();
  }

  private void append(StringBuilder sb) {
    if (parent != null) {
      parent.append(sb);
    }
    String segment = key != null ? key : Integer.toString(index);
    if (segment.isEmpty()) {
      return;
    }
    if (!sb.isEmpty()) {
      sb.append('/');
    }
    sb.append(segment);
  }
}
