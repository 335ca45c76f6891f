package org.stacktician.engine.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a resource type can change in place, declared by its handler so that a change set needs no
 * cloud call: an update per property (any property not listed needs replacement), and the
 * properties that name the resource uniquely in the cloud (a replacement that keeps such a name
 * unchanged would collide with the resource it replaces, so CloudFormation refuses it).
 *
 * @param properties by property name as templates write it; looked up ignoring case when
 *     {@code ignoreCase} (CloudStack parameter names are case-insensitive)
 * @param uniqueNames properties whose value must be unique in the cloud
 * @param otherwise the update of a property not listed ({@link PropertyUpdate#REPLACEMENT} for
 *     nearly every type)
 */
public record UpdateRules(Map<String, PropertyUpdate> properties, Set<String> uniqueNames, PropertyUpdate otherwise,
    boolean ignoreCase) {

  /** Every change replaces the resource (the default of a handler that declares nothing). */
  public static final UpdateRules REPLACE_ALL = new UpdateRules(Map.of(), Set.of(), PropertyUpdate.REPLACEMENT, false);

  public UpdateRules {
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(uniqueNames);
    uniqueNames = Collections.unmodifiableSet(names);
  }

  /** Rules with these per-property updates; other properties need replacement. */
  public static UpdateRules of(Map<String, PropertyUpdate> properties) {
    return new UpdateRules(properties, Set.of(), PropertyUpdate.REPLACEMENT, false);
  }

  /** A copy whose property names are matched ignoring case. */
  public UpdateRules ignoringCase() {
    return new UpdateRules(properties, uniqueNames, otherwise, true);
  }

  /** A copy with these unique-name properties. */
  public UpdateRules withUniqueNames(String... names) {
    return new UpdateRules(properties, Set.of(names), otherwise, ignoreCase);
  }

  /** A copy whose unlisted properties update as {@code update} says. */
  public UpdateRules otherwise(PropertyUpdate update) {
    return new UpdateRules(properties, uniqueNames, update, ignoreCase);
  }

  /** How a change of this property is applied. */
  public PropertyUpdate property(String name) {
    PropertyUpdate exact = properties.get(name);
    if (exact != null || !ignoreCase) {
      return exact != null ? exact : otherwise;
    }
    String wanted = name.toLowerCase(Locale.ROOT);
    return properties.entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(wanted))
        .map(Map.Entry::getValue).findFirst().orElse(otherwise);
  }

  /** The names of the properties whose values differ between {@code a} and {@code b} (either may be null: none). */
  public static Set<String> changedProperties(com.fasterxml.jackson.databind.node.ObjectNode a,
      com.fasterxml.jackson.databind.node.ObjectNode b) {
    Set<String> names = new java.util.LinkedHashSet<>();
    if (a != null) {
      a.fieldNames().forEachRemaining(names::add);
    }
    if (b != null) {
      b.fieldNames().forEachRemaining(names::add);
    }
    names.removeIf(n -> java.util.Objects.equals(a == null ? null : a.get(n), b == null ? null : b.get(n)));
    return names;
  }

  /** True when this property's value must be unique in the cloud. */
  public boolean uniqueName(String name) {
    return uniqueNames.contains(name);
  }
}
