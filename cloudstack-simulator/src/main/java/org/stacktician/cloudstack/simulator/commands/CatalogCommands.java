package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.DISK_OFFERING;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.OS_TYPE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.SERVICE_OFFERING;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.TEMPLATE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.ZONE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.stacktician.cloudstack.simulator.api.CommandDeclaration;
import org.stacktician.cloudstack.simulator.api.ParameterDeclaration;
import org.stacktician.cloudstack.simulator.api.ResponseField;
import org.stacktician.cloudstack.simulator.http.ApiException;

/** The read-only catalogue: listApis, zones, offerings, templates, OS types. */
public final class CatalogCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> TEMPLATE_FILTERS =
      List.of("featured", "self", "selfexecutable", "sharedexecutable", "executable", "community", "all");

  private final CommandRegistry registry;

  public CatalogCommands(CommandRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void register(CommandRegistry r) {
    r.register("listApis", "discovery.ListApisCmd", this::listApis);
    r.register("listCapabilities", "config.ListCapabilitiesCmd", this::listCapabilities);
    r.register("listZones", "zone.ListZonesCmd", ctx -> Lists.list(ctx, ZONE, "zone",
        z -> Lists.matches(ctx, z, "networktype", "networktype")));
    r.register("listServiceOfferings", "offering.ListServiceOfferingsCmd", ctx -> Lists.list(ctx, SERVICE_OFFERING, "serviceoffering", null));
    r.register("listDiskOfferings", "offering.ListDiskOfferingsCmd", ctx -> Lists.list(ctx, DISK_OFFERING, "diskoffering", null));
    r.register("listTemplates", "template.ListTemplatesCmd", this::listTemplates);
    r.register("listOsTypes", "guest.ListGuestOsCmd", ctx -> Lists.list(ctx, OS_TYPE, "ostype",
        o -> Lists.matches(ctx, o, "description", "description") && Lists.matches(ctx, o, "oscategoryid", "oscategoryid")));
  }

  /** The version this simulator imitates, as listCapabilities reports it. */
  public static final String CLOUDSTACK_VERSION = "4.18.0.0";

  private CommandOutcome listCapabilities(CommandContext ctx) {
    ObjectNode c = JSON.objectNode();
    c.put("securitygroupsenabled", true);
    c.put("dynamicrolesenabled", true);
    c.put("cloudstackversion", CLOUDSTACK_VERSION);
    c.put("userpublictemplateenabled", false);
    c.put("supportELB", "false");
    c.put("projectinviterequired", false);
    c.put("allowusercreateprojects", true);
    c.put("customdiskofferingminsize", 1);
    c.put("customdiskofferingmaxsize", 1024);
    c.put("regionsecondaryenabled", false);
    c.put("kvmsnapshotenabled", true);
    c.put("allowuserviewdestroyedvm", true);
    c.put("allowuserexpungerecovervm", true);
    c.put("allowuserexpungerecovervolume", true);
    c.put("allowuserviewalldomainaccounts", false);
    c.put("kubernetesserviceenabled", false);
    c.put("kubernetesclusterexperimentalfeaturesenabled", false);
    c.put("defaultuipagesize", 20);
    c.put("apilimitinterval", 1);
    c.put("apilimitmax", 0);
    c.put("instancesstatsretentiontime", 720);
    c.put("instancesstatsuseronly", false);
    c.put("instancesdisksstatsretentionenabled", false);
    c.put("instancesdisksstatsretentiontime", 720);
    return new CommandOutcome.Sync(Lists.wrap("capability", c));
  }

  private CommandOutcome listTemplates(CommandContext ctx) {
    String filter = ctx.params().get("templatefilter");
    if (!TEMPLATE_FILTERS.contains(filter)) {
      throw ApiException.invalidParameterValue("Please specify a valid template filter: one of " + String.join(", ", TEMPLATE_FILTERS));
    }
    boolean none = filter.equals("self") || filter.equals("sharedexecutable");
    return Lists.list(ctx, TEMPLATE, "template", t -> !none && (!ctx.params().has("zoneid")
        || t.view().path("crossZones").asBoolean() || Lists.matches(ctx, t, "zoneid", "zoneid")));
  }

  /**
   * The command names in a listApis answer (the whole response or its inner object).
   *
   * @throws IllegalArgumentException when it is not one (no list of APIs with names)
   */
  public static java.util.Set<String> names(JsonNode listApis) {
    JsonNode list = apiList(listApis);
    if (!list.isArray()) {
      throw new IllegalArgumentException("it is not a CloudStack listApis answer: it has no list of APIs"
          + " (listapisresponse.api)");
    }
    java.util.Set<String> out = new java.util.HashSet<>();
    list.forEach(api -> out.add(api.path("name").asText()));
    out.remove("");
    return out;
  }

  private static JsonNode apiList(JsonNode listApis) {
    return listApis.has("listapisresponse") ? listApis.path("listapisresponse").path("api") : listApis.path("api");
  }

  private CommandOutcome listApis(CommandContext ctx) {
    String name = ctx.params().get("name");
    List<ObjectNode> apis = new ArrayList<>();
    JsonNode chosen = ctx.services().config().listApis();
    if (chosen != null) {
      for (JsonNode api : apiList(chosen)) {
        String command = api.path("name").asText();
        if (registry.handler(command).isPresent() && (name == null || name.equals(command))) {
          apis.add(((ObjectNode) api).deepCopy());
        }
      }
    } else {
      for (CommandDeclaration d : ctx.services().catalog().commands()) {
        if (registry.handler(d.name()).isEmpty() || (name != null && !name.equals(d.name()))) continue;
        apis.add(describe(d));
      }
    }
    if (name != null && apis.isEmpty()) {
      throw ApiException.invalidParameterValue("Unable to find API with name " + name);
    }
    ObjectNode body = JSON.objectNode();
    body.put("count", apis.size());
    body.putArray("api").addAll(apis);
    return new CommandOutcome.Sync(body);
  }

  private static ObjectNode describe(CommandDeclaration d) {
    ObjectNode api = JSON.objectNode();
    api.put("name", d.name());
    api.put("description", d.description());
    api.put("isasync", d.async());
    api.put("related", "");
    ArrayNode params = api.putArray("params");
    for (ParameterDeclaration p : d.parameters()) {
      ObjectNode o = params.addObject();
      o.put("name", p.name());
      o.put("description", "");
      o.put("type", p.type());
      o.put("length", p.length());
      o.put("required", p.required());
      o.put("related", "");
    }
    ArrayNode response = api.putArray("response");
    for (ResponseField f : d.responseFields()) {
      response.addObject().put("name", f.name()).put("description", "").put("type", f.type());
    }
    return api;
  }
}
