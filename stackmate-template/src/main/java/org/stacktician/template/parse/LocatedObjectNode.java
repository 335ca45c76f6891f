package org.stacktician.template.parse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stacktician.template.SourceMap;

/** An object node that remembers where each member's key was in the template text. */
public final class LocatedObjectNode extends ObjectNode implements SourceMap.Located {
  private static final long serialVersionUID = 1L;
  private long[] positions = new long[0];

  /** An empty node; set its children, then their positions. */
  public LocatedObjectNode() {
    super(JsonNodeFactory.instance);
  }

  /** The packed positions of the children, in order (see {@link SourceMap#pack}). */
  public void positions(long[] childPositions) {
    this.positions = childPositions;
  }

  @Override
  public long[] childPositions() {
    return positions;
  }
}
