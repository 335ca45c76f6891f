package org.stacktician.template.extensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.template.SourceMap;
import org.stacktician.template.TemplateError;
import org.stacktician.template.parse.LocatedArrayNode;
import org.stacktician.template.parse.LocatedObjectNode;

/**
 * Expands {@code Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]} as the
 * {@code AWS::LanguageExtensions} transform does: for every item of the collection (a literal list
 * or a {@code Ref} to a list parameter), the fragment is copied with {@code ${Identifier}} and
 * {@code &{Identifier}} (the item without its non-alphanumeric characters) replaced in keys and
 * strings, and {@code Ref Identifier} replaced by the item; loops nest. Loops are allowed at any
 * depth of Conditions, Resources and Outputs. Copies keep the positions of the text they came
 * from, so errors in an expanded resource point at the loop's fragment.
 */
public final class ForEachExpander {
  /**
   * The most entries all loops together may produce: well above what the limits on resources,
   * outputs and conditions allow, and low enough that nested loops cannot exhaust memory.
   */
  public static final int MAX_PRODUCED = 10_000;

  /** The prefix of a loop's key. */
  public static final String PREFIX = "Fn::ForEach::";

  static final Set<String> SECTIONS = Set.of("Conditions", "Resources", "Outputs");

  /** The expanded document and the errors found. */
  public record Result(JsonNode root, List<TemplateError> errors) {}

  private final SourceMap map;
  private final boolean enabled;
  private final ObjectNode root;
  private final Map<String, JsonNode> values;
  private final List<TemplateError> errors = new ArrayList<>();
  private int produced;
  private boolean overflow;

  private ForEachExpander(ObjectNode root, SourceMap map, boolean enabled, Map<String, JsonNode> values) {
    this.root = root;
    this.map = map;
    this.enabled = enabled;
    this.values = values;
  }

  /**
   * Expands every loop of {@code root}.
   *
   * @param enabled whether the template declares {@code AWS::LanguageExtensions}; without it a
   *     loop is an error that names the missing transform
   * @param values the parameters' values (an array for a list parameter); when one is not known,
   *     a loop over it runs once with its identifier's name as the item, so that its fragment is
   *     still checked (the stack's values are always known when it is planned)
   */
  public static Result expand(ObjectNode root, SourceMap map, boolean enabled, Map<String, JsonNode> values) {
    ForEachExpander x = new ForEachExpander(root, map, enabled, values);
    LocatedObjectNode out = new LocatedObjectNode();
    List<Long> positions = new ArrayList<>();
    int i = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); i++) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      if (SECTIONS.contains(e.getKey())) {
        value = x.walk(value, e.getKey(), Map.of());
      } else {
        x.refuseLoops(value, e.getKey());
      }
      out.set(e.getKey(), value);
      positions.add(positionOf(root, i));
    }
    out.positions(positions.stream().mapToLong(Long::longValue).toArray());
    return new Result(out, x.errors);
  }

  /** True when {@code node} holds a loop anywhere. */
  public static boolean hasLoops(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().startsWith(PREFIX) || hasLoops(e.getValue())) {
          return true;
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (JsonNode c : a) {
        if (hasLoops(c)) {
          return true;
        }
      }
    }
    return false;
  }

  private void refuseLoops(JsonNode node, String path) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().startsWith(PREFIX)) {
          error(path + "/" + e.getKey(), "Template format error: Fn::ForEach can be used only in the Conditions, "
              + "Resources and Outputs sections");
        } else {
          refuseLoops(e.getValue(), path + "/" + e.getKey());
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        refuseLoops(a.get(i), path + "/" + i);
      }
    }
  }

  private void error(String path, String message) {
    errors.add(map.error(path, message));
  }

  /** A copy of {@code node} with the bound identifiers substituted and its loops expanded. */
  private JsonNode walk(JsonNode node, String path, Map<String, String> bound) {
    if (node instanceof ObjectNode object) {
      if (!bound.isEmpty() && object.size() == 1 && object.has("Ref") && object.get("Ref").isTextual()
          && bound.containsKey(object.get("Ref").textValue())) {
        return TextNode.valueOf(bound.get(object.get("Ref").textValue()));
      }
      JsonNode out = walkObject(object, path, bound);
      // the transform resolves a Fn::Sub left without variables (a GetAtt's !Sub "Bucket${Id}")
      if (!bound.isEmpty() && out.size() == 1 && out.path("Fn::Sub").isTextual()
          && !out.get("Fn::Sub").textValue().contains("${")) {
        return out.get("Fn::Sub");
      }
      return out;
    }
    if (node instanceof ArrayNode array) {
      LocatedArrayNode out = new LocatedArrayNode();
      for (int i = 0; i < array.size(); i++) {
        out.add(walk(array.get(i), path + "/" + i, bound));
      }
      out.positions(array instanceof SourceMap.Located l ? l.childPositions() : new long[0]);
      return out;
    }
    if (node != null && node.isTextual() && !bound.isEmpty()) {
      String text = substitute(node.textValue(), bound);
      return text.equals(node.textValue()) ? node : TextNode.valueOf(text);
    }
    return node;
  }

  private JsonNode walkObject(ObjectNode object, String path, Map<String, String> bound) {
    LocatedObjectNode out = new LocatedObjectNode();
    List<Long> positions = new ArrayList<>();
    Map<String, String> producedBy = new LinkedHashMap<>();
    int i = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); i++) {
      Map.Entry<String, JsonNode> e = it.next();
      String childPath = path + "/" + e.getKey();
      if (e.getKey().startsWith(PREFIX)) {
        if (!enabled) {
          error(childPath, "Template format error: Fn::ForEach needs the AWS::LanguageExtensions transform; add "
              + "'Transform: AWS::LanguageExtensions' to the template");
          continue;
        }
        loop(e.getKey(), e.getValue(), childPath, bound, out, positions, producedBy);
        continue;
      }
      String key = bound.isEmpty() ? e.getKey() : substitute(e.getKey(), bound);
      put(out, positions, producedBy, key, walk(e.getValue(), childPath, bound), positionOf(object, i), childPath);
    }
    out.positions(positions.stream().mapToLong(Long::longValue).toArray());
    return out;
  }

  private void put(LocatedObjectNode out, List<Long> positions, Map<String, String> producedBy, String key,
      JsonNode value, long position, String path) {
    if (out.has(key)) {
      error(path, "Template format error: " + key + " is produced more than once (by " + producedBy.get(key)
          + " and " + path + "); each Fn::ForEach OutputKey must contain ${Identifier} or &{Identifier}");
      return;
    }
    out.set(key, value);
    positions.add(position);
    producedBy.put(key, path);
  }

  private void loop(String name, JsonNode spec, String path, Map<String, String> bound, LocatedObjectNode out,
      List<Long> positions, Map<String, String> producedBy) {
    if (name.length() == PREFIX.length() || !isAlphanumeric(name.substring(PREFIX.length()))) {
      error(path, "Template format error: the loop name after Fn::ForEach:: must be alphanumeric, not '"
          + name.substring(PREFIX.length()) + "'");
      return;
    }
    if (!(spec instanceof ArrayNode args) || args.size() != 3) {
      error(path, "Template format error: " + name + " must be a list of three items: an identifier, a collection"
          + " and a fragment ({OutputKey: OutputValue})");
      return;
    }
    JsonNode idNode = args.get(0);
    if (!idNode.isTextual() || !isAlphanumeric(idNode.textValue())) {
      error(path + "/0", "Template format error: the identifier of " + name + " must be an alphanumeric string");
      return;
    }
    String identifier = idNode.textValue();
    if (!(args.get(2) instanceof ObjectNode fragment)) {
      error(path + "/2", "Template format error: the fragment of " + name + " must be an object {OutputKey: "
          + "OutputValue}");
      return;
    }
    List<String> items = collection(name, identifier, walk(args.get(1), path + "/1", bound), path + "/1");
    if (items == null) {
      return;
    }
    for (String item : items) {
      if (overflow) {
        return;
      }
      Map<String, String> inner = new LinkedHashMap<>(bound);
      inner.put(identifier, item);
      int i = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = fragment.fields(); it.hasNext(); i++) {
        Map.Entry<String, JsonNode> e = it.next();
        String fragmentPath = path + "/2/" + e.getKey();
        if (e.getKey().startsWith(PREFIX)) {
          loop(e.getKey(), e.getValue(), fragmentPath, inner, out, positions, producedBy);
          continue;
        }
        if (++produced > MAX_PRODUCED) {
          overflow = true;
          error(path, "Template format error: the Fn::ForEach loops produce more than " + MAX_PRODUCED
              + " entries; that is the limit");
          return;
        }
        String key = substitute(e.getKey(), inner);
        put(out, positions, producedBy, key, walk(e.getValue(), fragmentPath, inner), positionOf(fragment, i),
            fragmentPath);
      }
    }
  }

  /** The items of a collection, or null after an error. */
  private List<String> collection(String name, String identifier, JsonNode node, String path) {
    if (node instanceof ObjectNode fn && fn.size() == 1 && fn.has("Fn::FindInMap")) {
      node = findInMap(name, fn.get("Fn::FindInMap"), path);
      if (node == null) {
        return null;
      }
      if (node.isMissingNode()) {
        return List.of(identifier);
      }
    }
    if (node instanceof ArrayNode array) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : array) {
        if (!item.isValueNode() || item.isNull()) {
          error(path, "Template format error: the collection of " + name + " must be a list of strings");
          return null;
        }
        items.add(item.asText());
      }
      return items;
    }
    if (node instanceof ObjectNode ref && ref.size() == 1 && ref.path("Ref").isTextual()) {
      String parameter = ref.get("Ref").textValue();
      if (!LanguageExtensions.listParameters(root).contains(parameter)) {
        error(path, "Template format error: the collection of " + name + " refers to " + parameter + ", which is "
            + "not a CommaDelimitedList or List<...> parameter");
        return null;
      }
      JsonNode known = values.get(parameter);
      if (known == null) {
        return List.of(identifier);
      }
      List<String> items = new ArrayList<>();
      known.forEach(i -> items.add(i.asText()));
      return items;
    }
    error(path, "Template format error: the collection of " + name + " must be a list, a Ref to a "
        + "CommaDelimitedList or List<...> parameter, or a Fn::FindInMap that gives a list");
    return null;
  }

  /**
   * A Fn::FindInMap collection: the mapping's list, MissingNode when a parameter it names has no
   * value yet, or null after an error.
   */
  private JsonNode findInMap(String name, JsonNode args, String path) {
    if (!(args instanceof ArrayNode a) || a.size() < 3) {
      error(path, "Template format error: the Fn::FindInMap collection of " + name + " needs a map name and two "
          + "keys");
      return null;
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode k = a.get(i);
      if (k.isObject() && k.size() == 1 && k.path("Ref").isTextual()) {
        JsonNode v = values.get(k.get("Ref").textValue());
        if (v == null && root.path("Parameters").has(k.get("Ref").textValue())) {
          return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        k = v;
      }
      if (k == null || !k.isValueNode()) {
        error(path + "/Fn::FindInMap/" + i, "Template format error: the keys of the Fn::FindInMap collection of "
            + name + " must be strings or Refs to parameters");
        return null;
      }
      keys.add(k.asText());
    }
    JsonNode found = root.path("Mappings").path(keys.get(0)).path(keys.get(1)).path(keys.get(2));
    if (!found.isArray()) {
      error(path, "Template error: Unable to get mapping for " + String.join("::", keys) + " (the collection of "
          + name + ")");
      return null;
    }
    return found;
  }

  /** {@code text} with {@code ${Id}} replaced by the item and {@code &{Id}} by its alphanumeric characters. */
  static String substitute(String text, Map<String, String> bound) {
    if (text.indexOf('{') < 0) {
      return text;
    }
    String out = text;
    for (Map.Entry<String, String> b : bound.entrySet()) {
      out = out.replace("${" + b.getKey() + "}", b.getValue())
          .replace("&{" + b.getKey() + "}", b.getValue().replaceAll("[^A-Za-z0-9]", ""));
    }
    return out;
  }

  private static boolean isAlphanumeric(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9'));
  }

  private static long positionOf(JsonNode container, int index) {
    if (container instanceof SourceMap.Located l && index < l.childPositions().length) {
      return l.childPositions()[index];
    }
    return 0L;
  }
}
