package org.stacktician.template.functions;

import static org.stacktician.template.functions.Nodes.NODES;
import static org.stacktician.template.functions.Nodes.fn;
import static org.stacktician.template.functions.Nodes.integer;
import static org.stacktician.template.functions.Nodes.list;
import static org.stacktician.template.functions.Nodes.scalarText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.stacktician.template.StackContext;

/** Functions that make or read lists: Fn::Select, Fn::Length, Fn::GetAZs and Fn::Cidr. */
final class ListFunctions {
  static final String SELECT_SHAPE =
      "Template error: Fn::Select requires a list argument with two elements: an integer index and a list";
  static final String LENGTH_SHAPE = "Template error: Fn::Length requires a list or a function that returns a list";
  static final String GETAZS_SHAPE = "Template error: Fn::GetAZs requires a region name: a string (\"\" for the "
      + "stack's region) or Ref AWS::Region";
  static final String CIDR_SHAPE = "Template error: every Fn::Cidr object requires three parameters, (1) an IP "
      + "address block in CIDR notation, (2) the count of subnets and (3) the number of subnet bits";

  private final Intrinsics ev;

  ListFunctions(Intrinsics ev) {
    this.ev = ev;
  }

  Out select(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 2) {
      return ev.fail(run, path, SELECT_SHAPE, original);
    }
    Out index = ev.eval(arg.get(0), path.index(0), run);
    JsonNode source = arg.get(1);
    List<Out> items = null;
    Out whole = null;
    if (source.isArray()) {
      items = new ArrayList<>();
      for (int i = 0; i < source.size(); i++) {
        Out item = ev.eval(source.get(i), path.index(1).index(i), run);
        if (!item.node().isMissingNode()) {
          items.add(item);
        }
      }
    } else {
      whole = ev.eval(source, path.index(1), run);
    }
    if ((!index.known() || (whole != null && !whole.known())) && ev.validating()) {
      return Out.unknown(original);
    }
    if (!index.known() || (whole != null && !whole.known())) {
      JsonNode listNode;
      if (whole != null) {
        listNode = whole.node();
      } else {
        ArrayNode a = NODES.arrayNode();
        items.forEach(o -> a.add(o.node()));
        listNode = a;
      }
      return Out.unknown(fn("Fn::Select", list(index.node(), listNode)));
    }
    Integer i = integer(index.node());
    if (i == null) {
      return ev.fail(run, path.index(0), SELECT_SHAPE + " (the index must be an integer, not " + index.node() + ")",
          original);
    }
    if (whole != null) {
      if (!whole.node().isArray()) {
        return ev.fail(run, path.index(1), SELECT_SHAPE + " (the second element is not a list)", original);
      }
      items = new ArrayList<>();
      for (JsonNode n : whole.node()) {
        items.add(Out.known(n));
      }
    }
    if (i < 0 || i >= items.size()) {
      return ev.fail(run, path.index(0), SELECT_SHAPE + " (index " + i + " is out of range for a list of "
          + items.size() + (items.size() == 1 ? " element)" : " elements)"), original);
    }
    return items.get(i);
  }

  Out length(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out value = ev.eval(arg, path, run);
    if (value.node().isArray()) {
      return Out.known(IntNode.valueOf(value.node().size()));
    }
    if (!value.known()) {
      return ev.pending("Fn::Length", arg, value, original);
    }
    return ev.fail(run, path, LENGTH_SHAPE, original);
  }

  Out getAzs(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    Out region = ev.eval(arg, path, run);
    if (region.known() && scalarText(region.node()) == null) {
      return ev.fail(run, path, GETAZS_SHAPE, original);
    }
    StackContext context = ev.context();
    if (!region.known() || context == null || context.availabilityZones() == null) {
      return ev.pending("Fn::GetAZs", arg, region, original);
    }
    ArrayNode zones = NODES.arrayNode();
    context.availabilityZones().forEach(zones::add);
    return Out.known(zones);
  }

  Out cidr(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() != 3) {
      return ev.fail(run, path, CIDR_SHAPE, original);
    }
    Out block = ev.eval(arg.get(0), path.index(0), run);
    Out count = ev.eval(arg.get(1), path.index(1), run);
    Out bits = ev.eval(arg.get(2), path.index(2), run);
    if (!block.known() || !count.known() || !bits.known()) {
      return ev.partial(original, () -> fn("Fn::Cidr", list(block.node(), count.node(), bits.node())));
    }
    String ipBlock = scalarText(block.node());
    Integer n = integer(count.node());
    Integer b = integer(bits.node());
    if (ipBlock == null || n == null || b == null) {
      return ev.fail(run, path, CIDR_SHAPE, original);
    }
    try {
      ArrayNode out = NODES.arrayNode();
      Cidr.subnets(ipBlock, n, b).forEach(out::add);
      return Out.known(out);
    } catch (IllegalArgumentException e) {
      return ev.fail(run, path, CIDR_SHAPE + " (" + e.getMessage() + ")", original);
    }
  }
}
