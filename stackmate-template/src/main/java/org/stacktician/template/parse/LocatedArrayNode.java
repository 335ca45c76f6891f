package org.stacktician.template.parse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.stacktician.template.SourceMap;

/** An array node that remembers where each element was in the template text. */
public final class LocatedArrayNode extends ArrayNode implements SourceMap.Located {
  private static final long serialVersionUID = 1L;
  private long[] positions = new long[0];

  /** An empty node; set its children, then their positions. */
  public LocatedArrayNode() {
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
