package org.stacktician.engine.cloudstack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.stacktician.cloudstack.client.catalog.ApiDefinition;
import org.stacktician.cloudstack.client.catalog.ApiParameter;
import org.stacktician.cloudstack.client.catalog.PropertyDefinition;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.engine.provider.PropertyUpdate;
import org.stacktician.engine.provider.UpdateRules;

/**
 * The in-place updates of a generated {@code CloudStack::} type, derived from the cloud's own update
 * APIs in its catalog ({@link ResourceTypeDefinition#updateApis()}): a property is updatable when
 * one of those APIs takes a parameter of the same name. The cost is read from what the API says of
 * itself: an API (or parameter) whose description says the resource must be stopped, or stopped
 * and restarted, interrupts it (stop, call, start); a deprecated API is used only when no other
 * covers the property; {@code tags} change with createTags/deleteTags. Anything else is replaced.
 */
public final class CloudStackUpdates {
  private static final Pattern NEEDS_STOP = Pattern.compile("(?i)\\b(be|been|in a|is)\\s+\"?stopped\\b|stopped/started");
  private static final Pattern DEPRECATED = Pattern.compile("(?i)\\bdeprecated\\b");

  /**
   * Parameters that say whose or where a call acts (the owner of an SSH key resetSSHKeyForVirtualMachine
   * installs, say), not something of the resource an update API changes: never updated in place.
   */
  private static final Set<String> SCOPE_PARAMETERS = Set.of("id", "account", "domainid", "projectid", "zoneid");

  /**
   * APIs that run live only in some configurations, with the condition (CloudStack scales a
   * running VM only when it and its offering are dynamically scalable, else the VM must be stopped).
   */
  private static final Map<String, String> LIVE_ONLY_WHEN = Map.of(
      "scaleVirtualMachine", "no interruption when the VM is dynamically scalable");

  /**
   * Properties whose value CloudStack keeps unique (per account): a replacement that keeps them
   * would collide with the resource it replaces. By create API.
   */
  private static final Map<String, Set<String>> UNIQUE_NAMES = Map.of(
      "deployVirtualMachine", Set.of("name"),
      "createSSHKeyPair", Set.of("name"),
      "registerSSHKeyPair", Set.of("name"),
      "createSecurityGroup", Set.of("name"),
      "createAffinityGroup", Set.of("name"),
      "createInstanceGroup", Set.of("name"),
      "createAccount", Set.of("username"),
      "createUser", Set.of("username"));

  private CloudStackUpdates() {}

  /** The update rules of one type. */
  public static UpdateRules of(ResourceTypeDefinition type) {
    Map<String, PropertyUpdate> updates = new LinkedHashMap<>();
    for (PropertyDefinition p : type.properties()) {
      inPlace(type, p.name()).ifPresent(u -> updates.put(p.name(), u));
    }
    if (type.taggable()) {
      updates.putIfAbsent("tags", PropertyUpdate.noInterruption("createTags", "deleteTags"));
    }
    Set<String> unique = UNIQUE_NAMES.getOrDefault(type.createApi().name(), Set.of());
    return UpdateRules.of(updates).ignoringCase().withUniqueNames(unique.toArray(String[]::new));
  }

  private static Optional<PropertyUpdate> inPlace(ResourceTypeDefinition type, String property) {
    List<ApiDefinition> covering = type.updateApis().stream()
        .filter(api -> !SCOPE_PARAMETERS.contains(property.toLowerCase(java.util.Locale.ROOT))
            && api.parameter(property).isPresent())
        .toList();
    Optional<ApiDefinition> chosen = covering.stream().filter(api -> !DEPRECATED.matcher(api.description()).find())
        .findFirst().or(() -> covering.stream().findFirst());
    return chosen.map(api -> update(type, api, api.parameter(property).orElseThrow()));
  }

  private static PropertyUpdate update(ResourceTypeDefinition type, ApiDefinition api, ApiParameter parameter) {
    String live = LIVE_ONLY_WHEN.get(api.name());
    boolean stops = live != null || NEEDS_STOP.matcher(api.description()).find()
        || NEEDS_STOP.matcher(parameter.description()).find();
    if (!stops) {
      return PropertyUpdate.noInterruption(api.name());
    }
    String noun = type.createApi().name().replaceFirst("^[a-z]+", "");
    PropertyUpdate u = PropertyUpdate.someInterruption("stop" + noun, api.name(), "start" + noun);
    return live == null ? u : u.withNote(live);
  }
}
