package org.stacktician.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * Where each node of a parsed template came from. The parser's container nodes carry one packed
 * line/column per child (see {@link Located}), so recording costs almost nothing, and a path such
 * as {@code Resources/Web/Properties/ImageId} is looked up only when an error needs it.
 */
public final class SourceMap {
  /** A 1-based line and column in the template text. */
  public record Position(int line, int column) {
    /** The position used when nothing is known. */
    public static final Position UNKNOWN = new Position(0, 0);
  }

  /**
   * A container node that knows where its children are (the parser builds these), one packed
   * position per child in insertion order; see {@link #pack}.
   */
  public interface Located {
    /** The packed positions of the children, in order. */
    long[] childPositions();
  }

  private final JsonNode root;
  private final long rootPosition;
  private final JsonNode source;

  /** A map over a parsed tree whose containers are {@link Located}. */
  public SourceMap(JsonNode root, long rootPosition) {
    this(root, rootPosition, root);
  }

  private SourceMap(JsonNode root, long rootPosition, JsonNode source) {
    this.root = root;
    this.rootPosition = rootPosition;
    this.source = source;
  }

  /**
   * A map over {@code expanded}, the tree the {@code AWS::LanguageExtensions} transform made from
   * this one; its copied containers keep the positions of the text they came from, and the
   * document as written stays available as {@link #source()}.
   */
  public SourceMap expanded(JsonNode expanded) {
    return new SourceMap(expanded, rootPosition, source);
  }

  /** True when this map is over a transformed document ({@link #expanded}). */
  public boolean transformed() {
    return source != root;
  }

  /** The map of the document as written, before any transform (this map when none applied). */
  public SourceMap original() {
    return transformed() ? new SourceMap(source, rootPosition) : this;
  }

  /** A source map that knows no positions (for templates built in code). */
  public static SourceMap empty(JsonNode root) {
    return new SourceMap(root, 0L);
  }

  /** Packs a line and column into one long. */
  public static long pack(int line, int column) {
    return ((long) line << 32) | (column & 0xffffffffL);
  }

  /** The parsed document root. */
  public JsonNode root() {
    return root;
  }

  /**
   * The position of the node at {@code path} (segments separated by {@code /}, array indexes as
   * numbers). When the path leads past what was parsed, the deepest known ancestor's position.
   */
  public Position position(String path) {
    long best = rootPosition;
    JsonNode current = root;
    if (path == null || path.isEmpty() || current == null) {
      return unpack(best);
    }
    int start = 0;
    while (start <= path.length() && current != null) {
      int slash = path.indexOf('/', start);
      String segment = slash < 0 ? path.substring(start) : path.substring(start, slash);
      long[] positions = current instanceof Located located ? located.childPositions() : null;
      int index = indexOf(current, segment);
      if (index < 0) {
        break;
      }
      if (positions != null && index < positions.length) {
        best = positions[index];
      }
      current = child(current, segment, index);
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return unpack(best);
  }

  /** A {@link TemplateError} positioned at {@code path}. */
  public TemplateError error(String path, String message) {
    Position p = position(path);
    return new TemplateError(path, p.line(), p.column(), message);
  }

  private static JsonNode child(JsonNode parent, String segment, int index) {
    return parent.isArray() ? parent.get(index) : parent.get(segment);
  }

  private static int indexOf(JsonNode node, String segment) {
    if (node.isObject()) {
      int i = 0;
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); i++) {
        if (it.next().equals(segment)) {
          return i;
        }
      }
      return -1;
    }
    if (node.isArray()) {
      try {
        int i = Integer.parseInt(segment);
        return i >= 0 && i < node.size() ? i : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  private static Position unpack(long packed) {
    if (packed == 0L) {
      return Position.UNKNOWN;
    }
    return new Position((int) (packed >>> 32), (int) packed);
  }
}
