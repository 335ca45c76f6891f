package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stacktician.cloudstack.client.catalog.EditDistance;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.Values;

/** Property checks and readers shared by the AWS:: handlers (AWS property names are case-sensitive). */
final class AwsProperties {
  private AwsProperties() {}

  /** Errors for unknown properties and missing required ones. */
  static List<PropertyError> check(ObjectNode props, Set<String> known, Set<String> required, String type) {
    List<PropertyError> errors = new ArrayList<>();
    props.fieldNames().forEachRemaining(n -> {
      if (!known.contains(n)) {
        List<String> close = EditDistance.closest(n, known, 1);
        errors.add(PropertyError.ofName(n, "is not supported by " + type + " on CloudStack; "
            + (close.isEmpty() ? "supported: " + known.stream().sorted().toList()
                : "did you mean '" + close.get(0) + "'?")));
      }
    });
    for (String r : required) {
      JsonNode v = props.get(r);
      if (v == null || v.isNull()) {
        errors.add(new PropertyError(r, "is required by " + type));
      }
    }
    return errors;
  }

  /** Checks a scalar property is a string (or number) when present and resolved. */
  static void scalar(ObjectNode props, String name, List<PropertyError> errors) {
    JsonNode v = props.get(name);
    if (v != null && !v.isNull() && !Values.isUnresolved(v) && v.isContainerNode()) {
      errors.add(new PropertyError(name, "must be a string, got " + v));
    }
  }

  /** Checks an integer property when present and resolved. */
  static void integer(ObjectNode props, String name, List<PropertyError> errors) {
    JsonNode v = props.get(name);
    if (v != null && !v.isNull() && !Values.isUnresolved(v) && Values.asLong(v).isEmpty()) {
      errors.add(new PropertyError(name, "must be an integer, got " + v));
    }
  }

  /** Checks a list-of-strings property (a single string is accepted too). */
  static void stringList(ObjectNode props, String name, List<PropertyError> errors) {
    JsonNode v = props.get(name);
    if (v == null || v.isNull() || Values.isUnresolved(v) || v.isTextual()) {
      return;
    }
    if (!v.isArray()) {
      errors.add(new PropertyError(name, "must be a list of strings, got " + v));
      return;
    }
    for (int i = 0; i < v.size(); i++) {
      Values.listItem(name, i, v.get(i), errors);
    }
  }

  static Optional<String> text(ObjectNode props, String name) {
    return Values.asText(props.get(name)).filter(s -> !s.isEmpty());
  }

  static List<String> strings(ObjectNode props, String name) {
    JsonNode v = props.get(name);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isArray()) {
      v.forEach(i -> out.add(i.asText()));
    } else {
      for (String part : v.asText().split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /** The createTags parameters for one resource: the stack tags plus the template's Tags list. */
  static Map<String, String> tagParams(ResourceRequest request, String resourceType, String resourceId) {
    Map<String, String> tags = StackTags.forResource(request);
    tags.putAll(userTags(request.properties()));
    return StackTags.tagParams(resourceType, resourceId, tags);
  }

  /** The template's Tags list ({@code [{Key, Value}]}) as a map; empty when there is none (or no properties). */
  static Map<String, String> userTags(ObjectNode props) {
    Map<String, String> tags = new LinkedHashMap<>();
    JsonNode userTags = props == null ? null : props.get("Tags");
    if (userTags != null && userTags.isArray()) {
      for (JsonNode t : userTags) {
        if (t.hasNonNull("Key")) {
          tags.put(t.get("Key").asText(), t.path("Value").asText(""));
        }
      }
    }
    return tags;
  }

  /** Checks the Tags property: a list of {Key, Value}. */
  static void tags(ObjectNode props, List<PropertyError> errors) {
    JsonNode v = props.get("Tags");
    if (v == null || v.isNull() || Values.isUnresolved(v)) {
      return;
    }
    if (!v.isArray()) {
      errors.add(new PropertyError("Tags", "must be a list of {Key, Value}"));
      return;
    }
    int i = 0;
    for (JsonNode t : v) {
      if (!t.isObject() || !t.has("Key")) {
        errors.add(new PropertyError("Tags[" + i + "]", "must be an object with Key and Value"));
      }
      i++;
    }
  }
}
