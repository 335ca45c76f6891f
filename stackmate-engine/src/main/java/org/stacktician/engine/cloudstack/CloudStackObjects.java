package org.stacktician.engine.cloudstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.ApiDefinition;
import org.stacktician.cloudstack.client.catalog.ApiParameter;
import org.stacktician.cloudstack.client.catalog.EditDistance;
import org.stacktician.cloudstack.client.catalog.ResponseField;
import org.stacktician.template.CloudObjects;
import org.stacktician.template.ParameterType.CloudStackReference;
import org.stacktician.template.ParameterType.IdOrName;

/**
 * The objects CloudStack-aware parameter types name, read with the noun's list API ({@code
 * listZones} for {@code CloudStack::Zone::Name}, {@code listServiceOfferings}, {@code listTemplates}
 * with {@code templatefilter=executable}, ...), for the rule functions {@code Fn::RefAll}, {@code
 * Fn::ValueOf} and {@code Fn::ValueOfAll}. An attribute is {@code Tags.<key>} (the object's tag) or
 * one of the list API's response fields ({@code name}, {@code networktype}, ...), as the cloud's
 * {@code listApis} describes them. What is listed is what the stack's account sees (its own objects
 * and those shared with it, such as zones and public offerings). One instance serves one check: each
 * kind is listed once, and nothing is asked before a rule needs it.
 */
public final class CloudStackObjects implements CloudObjects {
  private static final int PAGE_SIZE = 500;

  private final Supplier<CloudStackClient> client;
  private final Supplier<ApiCatalog> catalog;
  private final Map<String, List<JsonNode>> listed = new HashMap<>();

  private CloudStackObjects(Supplier<CloudStackClient> client, Supplier<ApiCatalog> catalog) {
    this.client = memo(client);
    this.catalog = memo(catalog);
  }

  /** The objects of the cloud {@code client} talks to, whose APIs {@code catalog} describes. */
  public static CloudStackObjects of(CloudStackClient client, ApiCatalog catalog) {
    return new CloudStackObjects(() -> client, () -> catalog);
  }

  /**
   * The objects of the cloud a client will be needed for, both asked for only when a rule needs them
   * (the catalog by the client's {@code listApis}, through its catalog cache when it has one).
   */
  public static CloudStackObjects lazy(Supplier<CloudStackClient> client) {
    Supplier<CloudStackClient> once = memo(() -> {
      try {
        return client.get();
      } catch (RuntimeException e) {
        throw new Refused("the stack's cloud cannot be reached: " + e.getMessage());
      }
    });
    return new CloudStackObjects(once, () -> {
      try {
        return once.get().discover();
      } catch (CloudStackException e) {
        throw new Refused("listApis failed: " + e.getMessage());
      }
    });
  }

  /**
   * Why a rule cannot ask this cloud about {@code type} and {@code attribute} (null: only list them),
   * judged from its catalog alone; empty when it can. Validate-template uses this without parameter values.
   */
  public static Optional<String> problem(ApiCatalog catalog, CloudStackReference type, String attribute) {
    Optional<ApiDefinition> api = listApi(catalog, type.noun());
    if (api.isEmpty()) {
      return Optional.of("this cloud has no API that lists " + type.noun() + " objects (looked for "
          + String.join(", ", listApiNames(type.noun())) + ")");
    }
    List<String> unfillable = api.get().parameters().stream()
        .filter(p -> p.required() && !p.name().toLowerCase(java.util.Locale.ROOT).endsWith("filter"))
        .map(ApiParameter::name).toList();
    if (!unfillable.isEmpty()) {
      return Optional.of(api.get().name() + " needs " + unfillable + ", which a rule cannot give, so " + type.noun()
          + " objects cannot be listed");
    }
    if (attribute == null || attribute.startsWith("Tags.") && api.get().responseField("tags").isPresent()) {
      return Optional.empty();
    }
    if (api.get().responseField(attribute).isPresent()) {
      return Optional.empty();
    }
    TreeSet<String> fields = new TreeSet<>();
    api.get().responseFields().stream().map(ResponseField::name).filter(n -> n != null && !n.isEmpty())
        .forEach(fields::add);
    List<String> close = EditDistance.closest(attribute, fields, 3);
    return Optional.of(type.noun() + " objects (" + api.get().name() + ") have no attribute '" + attribute + "'"
        + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close.stream().map(c -> "'" + c + "'").toList())
        + "?") + (api.get().responseField("tags").isPresent() ? " (Tags.<key> reads one of their tags)" : ""));
  }

  @Override
  public List<String> all(CloudStackReference type) {
    String key = type.by() == IdOrName.ID ? "id" : "name";
    List<String> out = new ArrayList<>();
    for (JsonNode o : objects(type, null)) {
      if (o.hasNonNull(key)) {
        out.add(o.get(key).asText());
      }
    }
    return out;
  }

  @Override
  public Optional<String> attribute(CloudStackReference type, String value, String attribute) {
    String key = type.by() == IdOrName.ID ? "id" : "name";
    JsonNode object = objects(type, attribute).stream().filter(o -> value.equals(o.path(key).asText())).findFirst()
        .orElseThrow(() -> new Refused("no " + type.noun() + " of this cloud has that " + key));
    if (attribute.startsWith("Tags.")) {
      String tag = attribute.substring("Tags.".length());
      for (JsonNode t : object.path("tags")) {
        if (tag.equals(t.path("key").asText())) {
          return Optional.of(t.path("value").asText());
        }
      }
      return Optional.empty();
    }
    for (var it = object.fields(); it.hasNext(); ) {
      var field = it.next();
      if (field.getKey().equalsIgnoreCase(attribute) && !field.getValue().isNull()) {
        return Optional.of(field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
      }
    }
    return Optional.empty();
  }

  /** Every object of the type's noun, listed once; refused when the catalog says a rule cannot ask about it. */
  private List<JsonNode> objects(CloudStackReference type, String attribute) {
    ApiCatalog apis = catalog.get();
    problem(apis, type, attribute).ifPresent(p -> {
      throw new Refused(p);
    });
    ApiDefinition api = listApi(apis, type.noun()).orElseThrow();
    return listed.computeIfAbsent(api.name(), name -> {
      // No listall: as CloudFormation's "in the account", not every account an admin could see.
      Map<String, String> params = new LinkedHashMap<>();
      for (ApiParameter p : api.parameters()) {
        if (p.required()) {
          params.put(p.name(), "executable"); // templatefilter, isofilter: what the account can deploy
        }
      }
      try {
        return client.get().listAll(name, params, PAGE_SIZE);
      } catch (CloudStackException e) {
        throw new Refused(name + " failed: " + e.getMessage());
      }
    });
  }

  /** The list API of a noun in this catalog: {@code list<Noun>s}, {@code list<Noun>es} or {@code list<Nou>ies}. */
  static Optional<ApiDefinition> listApi(ApiCatalog catalog, String noun) {
    return listApiNames(noun).stream().map(catalog::api).flatMap(Optional::stream).findFirst();
  }

  private static List<String> listApiNames(String noun) {
    List<String> names = new ArrayList<>(List.of("list" + noun + "s", "list" + noun + "es"));
    if (noun.endsWith("y")) {
      names.add("list" + noun.substring(0, noun.length() - 1) + "ies");
    }
    return names;
  }

  private static <T> Supplier<T> memo(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
