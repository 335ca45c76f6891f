package org.stacktician.template.functions;

import static org.stacktician.template.functions.Nodes.NODES;
import static org.stacktician.template.functions.Nodes.fn;
import static org.stacktician.template.functions.Nodes.list;
import static org.stacktician.template.functions.Nodes.scalarText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fn::FindInMap: a value from the template's Mappings, with the language extensions' DefaultValue. */
final class MappingFunctions {
  static final String FINDINMAP_SHAPE = "Template error: every Fn::FindInMap object requires three parameters, the "
      + "map name, map key and the attribute for return value";

  private final Intrinsics ev;
  private final ObjectNode mappings;

  MappingFunctions(Intrinsics ev) {
    this.ev = ev;
    this.mappings = ev.template().mappings();
  }

  Out findInMap(JsonNode arg, ObjectNode original, NodePath path, Run run) {
    if (!arg.isArray() || arg.size() < 3 || arg.size() > 4
        || (arg.size() == 4 && !(arg.get(3).isObject() && arg.get(3).size() == 1 && arg.get(3).has("DefaultValue")))) {
      return ev.fail(run, path, FINDINMAP_SHAPE + (arg.isArray() && arg.size() == 4
          ? " (the optional fourth parameter is {\"DefaultValue\": value})" : ""), original);
    }
    Out[] keys = new Out[3];
    boolean known = true;
    for (int i = 0; i < 3; i++) {
      keys[i] = ev.eval(arg.get(i), path.index(i), run);
      known &= keys[i].known();
    }
    Out fallback = arg.size() == 4
        ? ev.eval(arg.get(3).get("DefaultValue"), path.index(3).key("DefaultValue"), run) : null;
    if (keys[0].known() && keys[0].node().isTextual() && !mappings.has(keys[0].node().textValue())
        && fallback == null) {
      return ev.fail(run, path.index(0), "Template error: Mapping named '" + keys[0].node().textValue()
          + "' is not present in the 'Mappings' section of template", original);
    }
    if (ev.validating()) {
      return Out.unknown(original);
    }
    if (!known) {
      ArrayNode a = list(keys[0].node(), keys[1].node(), keys[2].node());
      if (fallback != null) {
        ObjectNode d = NODES.objectNode();
        d.set("DefaultValue", fallback.node());
        a.add(d);
      }
      return Out.unknown(fn("Fn::FindInMap", a));
    }
    String[] names = new String[3];
    for (int i = 0; i < 3; i++) {
      names[i] = scalarText(keys[i].node());
      if (names[i] == null) {
        return ev.fail(run, path.index(i), FINDINMAP_SHAPE + " (parameter " + (i + 1) + " is not a string)",
            original);
      }
    }
    JsonNode value = mappings.path(names[0]).path(names[1]).path(names[2]);
    if (value.isMissingNode()) {
      if (fallback != null) {
        return fallback;
      }
      return ev.fail(run, path, "Template error: Unable to get mapping for " + names[0] + "::" + names[1] + "::"
          + names[2], original);
    }
    return Out.known(value);
  }
}
