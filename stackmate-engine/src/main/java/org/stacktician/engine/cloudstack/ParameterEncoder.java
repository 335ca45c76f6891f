package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.stacktician.cloudstack.client.catalog.EditDistance;
import org.stacktician.cloudstack.client.catalog.PropertyDefinition;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.Values;

/**
 * Turns a {@code CloudStack::} resource's properties into the create API's request parameters,
 * checking each against the API's parameter list (names case-insensitive, as in the original;
 * required ones present; types: boolean, integer/long/short, uuid, list, map, string; lengths).
 * {@code tags} given as a list of {@code {Key, Value}} become resource tags (createTags), not a
 * create parameter.
 */
final class ParameterEncoder {
  private static final Pattern BASE64 = Pattern.compile("^[A-Za-z0-9+/\\r\\n]*={0,2}\\s*$");
  private static final Pattern RAW_MAP = Pattern.compile("^[A-Za-z0-9_]+\\[\\d+]\\.[^=&]+=.*");

  private ParameterEncoder() {}

  /** The outcome: parameters to send, user tags, and every problem found. */
  record Encoded(Map<String, String> params, Map<String, String> userTags, List<PropertyError> errors) {}

  /**
   * @param namePrefix the stack name that CloudStack-required names get as prefix; null when
   *     only validating (unresolved values allowed, names not generated)
   * @param logicalId the resource's logical id (for generated names)
   */
  static Encoded encode(ResourceTypeDefinition def, ObjectNode properties, String namePrefix, String logicalId) {
    boolean validateOnly = namePrefix == null;
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, String> userTags = new LinkedHashMap<>();
    List<PropertyError> errors = new ArrayList<>();
    Map<String, String> given = new LinkedHashMap<>(); // api parameter name -> template property name
    String api = def.createApi().name();
    Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String prop = field.getKey();
      JsonNode value = field.getValue();
      if (value == null || value.isNull()) {
        continue;
      }
      Optional<PropertyDefinition> pd = def.property(prop);
      if (prop.equalsIgnoreCase("tags") && resourceTags(pd, value)) {
        if (!def.taggable()) {
          errors.add(PropertyError.ofName(prop, "cannot be used: " + def.typeName() + " cannot be tagged"));
        } else if (!Values.isUnresolved(value)) {
          tags(prop, value, userTags, errors, validateOnly);
        }
        continue;
      }
      if (pd.isEmpty()) {
        errors.add(PropertyError.ofName(prop, "is not a parameter of " + api + suggestion(def, prop)));
        continue;
      }
      String name = pd.get().name();
      if (given.containsKey(name)) {
        errors.add(PropertyError.ofName(prop, "repeats parameter " + name + " (already given as '" + given.get(name) + "')"));
        continue;
      }
      given.put(name, prop);
      if (Values.isUnresolved(value)) {
        if (!validateOnly) {
          errors.add(new PropertyError(prop, "is still an unresolved expression " + value));
        }
        continue;
      }
      encodeValue(pd.get(), prop, value, params, errors);
    }
    for (PropertyDefinition pd : def.requiredProperties()) {
      if (!given.containsKey(pd.name())) {
        if (pd.name().equals("name")) {
          if (!validateOnly) {
            params.put("name", namePrefix + "-" + logicalId);
          }
          continue;
        }
        errors.add(new PropertyError(pd.name(), "is required by " + api + " (" + pd.type() + ")"));
      }
    }
    if (!validateOnly && params.containsKey("name") && given.containsKey("name")) {
      String n = params.get("name");
      if (!n.startsWith(namePrefix + "-")) {
        params.put("name", namePrefix + "-" + n);
      }
    }
    if (!validateOnly && !params.containsKey("name") && def.createApi().parameter("name").isPresent()) {
      // An optional name is set too: the resource is then findable by name before it is tagged.
      String generated = namePrefix + "-" + logicalId;
      if (def.createApi().name().equals("deployVirtualMachine")) {
        generated = HostNames.from(generated); // a VM's name is its host name
      }
      if (generated != null) {
        params.put("name", generated);
      }
    }
    if (!validateOnly && params.containsKey("name") && def.createApi().name().equals("deployVirtualMachine")
        && !HostNames.isValid(params.get("name"))) {
      errors.add(new PropertyError(given.getOrDefault("name", "name"), "gives the host name '" + params.get("name")
          + "', which is not one (letters, digits and hyphens, starting with a letter, at most 63 characters)"));
    }
    return new Encoded(params, userTags, errors);
  }

  /**
   * Whether a {@code tags} property means resource tags (createTags) rather than the create API's
   * own {@code tags} parameter (a disk offering's storage tags, a physical network's tags): always
   * where the API has none; else when written as CloudFormation writes tags, a list of {Key, Value}
   * (or a list for a map parameter).
   */
  private static boolean resourceTags(Optional<PropertyDefinition> pd, JsonNode value) {
    if (pd.isEmpty()) {
      return value.isArray() || Values.isUnresolved(value);
    }
    if (!value.isArray()) {
      return false;
    }
    if (pd.get().type().equalsIgnoreCase("map")) {
      return true;
    }
    for (JsonNode item : value) {
      if (item.isObject() && !Values.isUnresolved(item) && field(item, "key") != null) {
        return true;
      }
    }
    return false;
  }

  private static void tags(String prop, JsonNode value, Map<String, String> userTags, List<PropertyError> errors,
      boolean validateOnly) {
    int i = 0;
    for (JsonNode tag : value) {
      JsonNode k = field(tag, "key");
      JsonNode v = field(tag, "value");
      if (!tag.isObject() || k == null) {
        errors.add(new PropertyError(prop + "[" + i + "]", "must be an object with Key and Value"));
      } else if (!Values.isUnresolved(k) && !Values.isUnresolved(v)) {
        userTags.put(k.asText(), v == null || v.isNull() ? "" : v.asText());
      } else if (!validateOnly) {
        errors.add(new PropertyError(prop + "[" + i + "]", "is still an unresolved expression"));
      }
      i++;
    }
  }

  private static JsonNode field(JsonNode object, String lowerName) {
    if (object == null || !object.isObject()) {
      return null;
    }
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(lowerName)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static void encodeValue(PropertyDefinition pd, String prop, JsonNode value, Map<String, String> params,
      List<PropertyError> errors) {
    String name = pd.name();
    String type = pd.type() == null ? "string" : pd.type().toLowerCase(Locale.ROOT);
    switch (type) {
      case "boolean" -> {
        Optional<Boolean> b = Values.asBoolean(value);
        if (b.isEmpty()) {
          errors.add(new PropertyError(prop, "must be true or false, got " + value));
        } else {
          params.put(name, b.get().toString());
        }
      }
      case "integer", "long", "short", "int" -> {
        Optional<Long> n = Values.asLong(value);
        if (n.isEmpty()) {
          errors.add(new PropertyError(prop, "must be an integer, got " + value));
        } else {
          params.put(name, n.get().toString());
        }
      }
      case "list", "set" -> {
        if (value.isArray()) {
          List<String> items = new ArrayList<>();
          for (int i = 0; i < value.size(); i++) {
            Optional<String> t = Values.listItem(prop, i, value.get(i), errors);
            t.ifPresent(items::add);
          }
          if (items.size() == value.size()) {
            params.put(name, String.join(",", items));
          }
        } else {
          scalar(pd, prop, value, params, errors);
        }
      }
      case "map" -> map(name, prop, value, params, errors);
      case "uuid" -> {
        Optional<String> t = Values.asText(value);
        if (t.isEmpty() || t.get().isBlank() || t.get().chars().anyMatch(Character::isWhitespace)) {
          errors.add(new PropertyError(prop, "must be an id (uuid), got " + value));
        } else {
          params.put(name, t.get());
        }
      }
      default -> scalar(pd, prop, value, params, errors);
    }
    String encoded = params.get(name);
    if (encoded != null && name.equals("userdata") && !isBase64(encoded)) {
      encoded = Base64.getEncoder().encodeToString(encoded.getBytes(StandardCharsets.UTF_8));
      params.put(name, encoded);
    }
    if (encoded != null && pd.length() > 0 && encoded.length() > pd.length()) {
      errors.add(new PropertyError(prop, "is " + encoded.length() + " characters long; " + pd.name()
          + " allows at most " + pd.length()));
    }
  }

  private static void scalar(PropertyDefinition pd, String prop, JsonNode value, Map<String, String> params,
      List<PropertyError> errors) {
    Optional<String> t = Values.asText(value);
    if (t.isEmpty()) {
      errors.add(new PropertyError(prop, "must be a " + (pd.type() == null ? "string" : pd.type()) + ", got "
          + (value.isArray() ? "a list" : "an object")));
    } else {
      params.put(pd.name(), t.get());
    }
  }

  /**
   * Maps: an object gives one entry ({@code name[0].<key>=value}); a list of objects gives one
   * entry per element; a string in the original's query form
   * ({@code iptonetworklist[0].ip=10.0.1.5&iptonetworklist[0].networkid=...}) is split on & and =.
   */
  private static void map(String name, String prop, JsonNode value, Map<String, String> params, List<PropertyError> errors) {
    if (value.isObject()) {
      entry(name, prop, 0, value, params, errors);
    } else if (value.isArray()) {
      int i = 0;
      for (JsonNode element : value) {
        if (!element.isObject()) {
          errors.add(new PropertyError(prop + "[" + i + "]", "must be an object"));
          return;
        }
        entry(name, prop, i++, element, params, errors);
      }
    } else if (value.isTextual() && RAW_MAP.matcher(value.asText()).matches()) {
      for (String pair : value.asText().split("&")) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
          errors.add(new PropertyError(prop, "has a part without '=': '" + pair + "'"));
          return;
        }
        String key = pair.substring(0, eq);
        if (!key.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + "[")) {
          errors.add(new PropertyError(prop, "has a part for another parameter: '" + key + "'"));
          return;
        }
        params.put(name + key.substring(name.length()), pair.substring(eq + 1));
      }
    } else {
      errors.add(new PropertyError(prop, "must be an object, a list of objects, or '" + name
          + "[0].key=value&...', got " + value));
    }
  }

  private static void entry(String name, String prop, int index, JsonNode object, Map<String, String> params,
      List<PropertyError> errors) {
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Optional<String> t = Values.asText(e.getValue());
      if (t.isEmpty()) {
        errors.add(new PropertyError(prop + "[" + index + "]." + e.getKey(), "must be a string"));
        return;
      }
      params.put(name + "[" + index + "]." + e.getKey(), t.get());
    }
  }

  private static boolean isBase64(String s) {
    if (s.isEmpty() || !BASE64.matcher(s).matches()) {
      return false;
    }
    try {
      Base64.getMimeDecoder().decode(s);
      return s.replaceAll("\\s", "").length() % 4 == 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String suggestion(ResourceTypeDefinition def, String prop) {
    return EditDistance.closest(prop, def.properties().stream().map(PropertyDefinition::name).toList(), 1).stream()
        .map(n -> "; did you mean '" + n + "'?")
        .findFirst()
        .orElse("");
  }
}
