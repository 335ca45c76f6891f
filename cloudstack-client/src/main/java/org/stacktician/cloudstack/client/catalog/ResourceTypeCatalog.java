package org.stacktician.cloudstack.client.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.stacktician.cloudstack.client.catalog.LifecycleRules.VerbPair;

/**
 * The {@code CloudStack::<Noun>} resource types derived from an API catalog's lifecycle pairs
 * (CLOUDSTACK-API.md §10): each type is a create-like API, the API that undoes it, the delete's
 * real id parameters, the create result's object key, properties (create parameters) and
 * attributes (create response fields). Every API that did not become part of a type is listed in
 * {@link #excluded()} with the reason.
 */
public final class ResourceTypeCatalog {

  /** The namespace of derived types. */
  public static final String PREFIX = "CloudStack::";

  private final Map<String, ResourceTypeDefinition> types;
  private final List<ExcludedApi> excluded;

  private ResourceTypeCatalog(Map<String, ResourceTypeDefinition> types, List<ExcludedApi> excluded) {
    this.types = Collections.unmodifiableMap(types);
    this.excluded = List.copyOf(excluded);
  }

  /** Derives the types of a catalog. Deterministic: the same catalog always gives the same types and names. */
  public static ResourceTypeCatalog derive(ApiCatalog apis) {
    record Pair(VerbPair verbs, ApiDefinition create, ApiDefinition delete, String apiNoun) {
    }
    Map<String, ApiDefinition> all = apis.apis();
    Map<String, String> reasons = new TreeMap<>();
    List<Pair> pairs = new ArrayList<>();
    Set<String> pairedCreates = new HashSet<>();
    for (VerbPair verbs : LifecycleRules.VERB_PAIRS) {
      for (ApiDefinition api : all.values()) {
        String verb = LifecycleRules.verbOf(api.name());
        String noun = LifecycleRules.nounOf(api.name());
        if (!verb.equals(verbs.createVerb()) || noun.isEmpty()) {
          continue;
        }
        Optional<ApiDefinition> delete = verbs.deleteVerbs().stream()
            .flatMap(dv -> LifecycleRules.deleteCandidates(dv, noun).stream())
            .map(all::get).filter(java.util.Objects::nonNull).findFirst();
        if (delete.isPresent()) {
          pairs.add(new Pair(verbs, api, delete.get(), noun));
          pairedCreates.add(api.name());
        } else {
          reasons.put(api.name(), "no matching " + String.join("/", verbs.deleteVerbs()) + " API for "
              + noun + " in this catalog, so nothing could remove it");
        }
      }
    }

    // nouns created by the non-conditional verbs, for start/stop-like pairs
    Set<String> createdNouns = new HashSet<>();
    for (Pair p : pairs) {
      if (!LifecycleRules.ONLY_FOR_CREATED_NOUNS.contains(p.verbs().createVerb())) {
        createdNouns.add(LifecycleRules.typeNoun(p.apiNoun()));
      }
    }

    Map<String, ResourceTypeDefinition> types = new LinkedHashMap<>();
    Set<String> usedApis = new HashSet<>();
    Map<String, String> typeOfNoun = new HashMap<>();
    for (Pair p : pairs) {
      String verb = p.verbs().createVerb();
      String noun = LifecycleRules.typeNoun(p.apiNoun());
      if (LifecycleRules.ONLY_FOR_CREATED_NOUNS.contains(verb) && !createdNouns.contains(noun)) {
        String reason = verb + "/" + LifecycleRules.verbOf(p.delete().name()) + " of " + noun
            + ", which no lifecycle pair creates (infrastructure managed by the cloud)";
        reasons.put(p.create().name(), reason);
        reasons.putIfAbsent(p.delete().name(), reason);
        continue;
      }
      Optional<List<DeleteArgument>> arguments = deleteArguments(p.create(), p.delete());
      if (arguments.isEmpty()) {
        String reason = "pair " + p.create().name() + "/" + p.delete().name() + " left out: "
            + unresolvable(p.create(), p.delete()) + " cannot be derived from the create call";
        reasons.put(p.create().name(), reason);
        reasons.putIfAbsent(p.delete().name(), reason);
        continue;
      }
      String typeNoun = types.containsKey(PREFIX + noun) ? LifecycleRules.decoratedNoun(verb, noun) : noun;
      if (types.containsKey(PREFIX + typeNoun)) {
        typeNoun = Character.toUpperCase(p.create().name().charAt(0)) + p.create().name().substring(1);
      }
      String typeName = PREFIX + typeNoun;
      DeleteArgument first = arguments.get().getFirst();
      String tagType = LifecycleRules.TAG_RESOURCE_TYPES.get(p.create().name());
      types.put(typeName, new ResourceTypeDefinition(typeName, typeNoun, p.create(), p.delete(),
          first.parameter(), first.source(), LifecycleRules.resultKey(p.create()).orElse(null),
          properties(p.create()), attributes(p.create()), tagType != null, tagType, arguments.get(),
          updateApis(p.create(), p.apiNoun(), all)));
      usedApis.add(p.create().name());
      usedApis.add(p.delete().name());
      typeOfNoun.putIfAbsent(noun, typeName);
      reasons.remove(p.create().name());
    }

    List<ExcludedApi> excluded = new ArrayList<>();
    for (ApiDefinition api : all.values()) {
      if (usedApis.contains(api.name())) {
        continue;
      }
      String reason = reasons.get(api.name());
      if (reason == null) {
        reason = classify(api.name(), typeOfNoun, types);
      }
      excluded.add(new ExcludedApi(api.name(), reason));
    }
    excluded.sort(Comparator.comparing(ExcludedApi::api));
    Map<String, ResourceTypeDefinition> sorted = new TreeMap<>(types);
    return new ResourceTypeCatalog(Collections.unmodifiableMap(new LinkedHashMap<>(sorted)), excluded);
  }

  public Map<String, ResourceTypeDefinition> types() {
    return types;
  }

  /** The type of this name; {@code CloudStack::} may be left out and case is ignored. */
  public Optional<ResourceTypeDefinition> type(String name) {
    ResourceTypeDefinition exact = types.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    String wanted = name.startsWith(PREFIX) ? name : PREFIX + name;
    return types.values().stream().filter(t -> t.typeName().equalsIgnoreCase(wanted)).findFirst();
  }

  public List<ExcludedApi> excluded() {
    return excluded;
  }

  /** Type names close to a mistyped one (edit distance, then substring), best first. */
  public List<String> closeMatches(String name, int max) {
    String wanted = (name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name).toLowerCase(java.util.Locale.ROOT);
    record Scored(String type, int score) {
    }
    List<Scored> scored = new ArrayList<>();
    for (ResourceTypeDefinition t : types.values()) {
      String noun = t.noun().toLowerCase(java.util.Locale.ROOT);
      int distance = EditDistance.between(wanted, noun);
      boolean contains = !wanted.isEmpty() && (noun.contains(wanted) || wanted.contains(noun));
      int limit = Math.max(2, Math.max(wanted.length(), noun.length()) * 2 / 5);
      if (distance <= limit || contains) {
        scored.add(new Scored(t.typeName(), contains ? Math.min(distance, limit) : distance));
      }
    }
    return scored.stream().sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::type))
        .limit(max).map(Scored::type).toList();
  }

  private static Optional<List<DeleteArgument>> deleteArguments(ApiDefinition create, ApiDefinition delete) {
    List<DeleteArgument> override = LifecycleRules.DELETE_OVERRIDES.get(delete.name());
    if (override != null) {
      return Optional.of(override);
    }
    List<String> wanted = delete.parameters().stream().filter(ApiParameter::required).map(ApiParameter::name).toList();
    if (wanted.isEmpty()) {
      wanted = delete.parameter("id").map(p -> List.of(p.name())).orElse(List.of());
    }
    if (wanted.isEmpty()) {
      return Optional.empty();
    }
    List<DeleteArgument> out = new ArrayList<>();
    for (String parameter : wanted) {
      Optional<String> source = sourceOf(parameter, create);
      if (source.isEmpty()) {
        return Optional.empty();
      }
      out.add(new DeleteArgument(parameter, source.get()));
    }
    // the id-like argument first: it is what identifies the instance
    out.sort(Comparator.comparingInt(a -> a.parameter().equals("id") ? 0 : a.fromCreateParameter() ? 2 : 1));
    return Optional.of(out);
  }

  /**
   * Where a delete parameter's value comes from: a required create parameter of that name (the
   * caller's own identity input), else the create result field of that name, else an optional
   * create parameter, else the result's {@code uuid} for {@code *uuid} parameters (Tungsten Fabric).
   */
  private static Optional<String> sourceOf(String parameter, ApiDefinition create) {
    Optional<ApiParameter> createParam = create.parameter(parameter);
    if (createParam.isPresent() && createParam.get().required()) {
      return Optional.of("param:" + createParam.get().name());
    }
    boolean returnsObject = LifecycleRules.resultKey(create).isPresent();
    if (returnsObject && create.responseField(parameter).isPresent()) {
      return Optional.of(parameter);
    }
    if (createParam.isPresent()) {
      return Optional.of("param:" + createParam.get().name());
    }
    if (returnsObject && parameter.endsWith("uuid") && create.responseField("uuid").isPresent()) {
      return Optional.of("uuid");
    }
    return Optional.empty();
  }

  private static String unresolvable(ApiDefinition create, ApiDefinition delete) {
    List<String> missing = new ArrayList<>();
    for (ApiParameter p : delete.parameters()) {
      if (p.required() && sourceOf(p.name(), create).isEmpty()) {
        missing.add(p.name());
      }
    }
    return missing.isEmpty() ? "no id parameter of " + delete.name()
        : "the " + delete.name() + " parameter " + String.join(", ", missing);
  }

  /**
   * The APIs that change an instance made by {@code create} in place: those {@link
   * LifecycleRules#isUpdateOf} matches: the plain {@code update<Noun>} first, then other verbs of the
   * same noun ({@code resizeVolume}), then the rest ({@code changeOfferingForVolume}), each by name.
   */
  private static List<ApiDefinition> updateApis(ApiDefinition create, String apiNoun, Map<String, ApiDefinition> all) {
    return all.values().stream()
        .filter(api -> LifecycleRules.isUpdateOf(api.name(), create.name(), apiNoun))
        .sorted(Comparator.comparingInt((ApiDefinition api) -> api.name().equals("update" + apiNoun) ? 0
                : LifecycleRules.nounOf(api.name()).equals(apiNoun) ? 1 : 2)
            .thenComparing(ApiDefinition::name))
        .toList();
  }

  private static List<PropertyDefinition> properties(ApiDefinition create) {
    return create.parameters().stream()
        .sorted(Comparator.comparing((ApiParameter p) -> !p.required()).thenComparing(ApiParameter::name))
        .map(p -> new PropertyDefinition(p.name(), p.type(), p.required(), p.length(), p.description()))
        .toList();
  }

  private static List<AttributeDefinition> attributes(ApiDefinition create) {
    Map<String, AttributeDefinition> out = new TreeMap<>();
    for (ResponseField f : create.responseFields()) {
      if (!LifecycleRules.JOB_FIELDS.contains(f.name())) {
        out.putIfAbsent(f.name(), new AttributeDefinition(f.name(), f.type(), f.description()));
      }
    }
    return List.copyOf(out.values());
  }

  private static String classify(String api, Map<String, String> typeOfNoun, Map<String, ResourceTypeDefinition> types) {
    String verb = LifecycleRules.verbOf(api);
    String noun = LifecycleRules.nounOf(api);
    if (LifecycleRules.READ_VERBS.contains(verb)) {
      return "read-only (" + verb + ")";
    }
    String type = typeOfNoun.get(LifecycleRules.typeNoun(noun));
    if (verb.equals("update")) {
      return type == null ? "in-place update, not a lifecycle pair" : "in-place update of " + type;
    }
    if (LifecycleRules.DELETE_VERBS.contains(verb)) {
      if (type != null) {
        return "another way to remove or detach a " + type + "; the type is removed with "
            + types.get(type).deleteApi().name();
      }
      return "no matching create API in this catalog: removes things the cloud or an administrator made";
    }
    if (type != null) {
      return "action on an existing " + type + " (" + verb + "), not a lifecycle pair";
    }
    return "action (" + verb + "), not a create/delete lifecycle pair";
  }
}
