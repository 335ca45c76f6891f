package org.stacktician.cli.types;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.AttributeDefinition;
import org.stacktician.cloudstack.client.catalog.DeleteArgument;
import org.stacktician.cloudstack.client.catalog.ExcludedApi;
import org.stacktician.cloudstack.client.catalog.PropertyDefinition;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.engine.cloudstack.CloudStackUpdates;
import org.stacktician.engine.provider.PropertyUpdate;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate types}: the {@code CloudStack::} resource types a cloud's listApis yields. */
@Command(
    name = "types",
    mixinStandardHelpOptions = true,
    description = {
      "List the CloudStack::<Noun> resource types derived from a cloud's listApis (lifecycle pairs",
      "such as create/delete, deploy/destroy, associate/disassociate), with their properties and",
      "attributes and how a change of each property is applied (in place, with interruption, or by",
      "replacement), or show one type. The API comes from a listApis JSON file or a live endpoint.",
      "AWS:: compatibility types and built-ins (AWS::CloudFormation::WaitCondition, Custom::...) are shown",
      "by name without a catalog."
    })
public final class TypesCommand implements Callable<Integer> {

  /** Output formats. */

  @Mixin LoggingOptions logging;

  @Spec CommandSpec spec;

  @Mixin CatalogOptions catalog;

  @Option(names = "--excluded", description = "Also list the APIs that did not become types, with the reason.")
  boolean showExcluded;

  @Mixin OutputOptions output;

  @Parameters(arity = "0..1", paramLabel = "TYPE", description = "Show only this type, e.g. CloudStack::VirtualMachine.")
  String typeName;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (typeName != null && !typeName.regionMatches(true, 0, ResourceTypeCatalog.PREFIX, 0,
        ResourceTypeCatalog.PREFIX.length())) {
      ProviderRegistry builtIns = ProviderRegistry.describing(ProviderContext.builder().build());
      Optional<ResourceHandler> handler = builtIns.handler(typeName);
      if (handler.isPresent()) {
        showBuiltIn(out, builtIns.canonical(typeName), builtIns.providerName(typeName).orElse("built-in"),
            handler.get().updateRules());
        out.flush();
        return ExitCodes.OK;
      }
      if (!catalog.given()) {
        err.println("error: unknown resource type '" + typeName + "': not a built-in type ("
            + String.join(", ", new java.util.TreeSet<>(builtIns.types())) + ", Custom::*); give --catalog or "
            + "--endpoint for the CloudStack:: types");
        return ExitCodes.FAILED;
      }
    }
    ApiCatalog apis;
    try {
      apis = catalog.load(spec.commandLine());
    } catch (CloudStackException | IllegalArgumentException | java.io.UncheckedIOException e) {
      err.println("error: " + org.stacktician.engine.stack.TerminalText.lines(e.getMessage()));
      return ExitCodes.FAILED;
    }
    ResourceTypeCatalog types = ResourceTypeCatalog.derive(apis);
    List<ResourceTypeDefinition> selected;
    if (typeName != null) {
      Optional<ResourceTypeDefinition> one = types.type(typeName);
      if (one.isEmpty()) {
        List<String> close = types.closeMatches(typeName, 5);
        err.println("error: unknown resource type '" + typeName + "' in " + apis.source()
            + (close.isEmpty() ? "; run 'stackmate types' to list all " + types.types().size() + " types"
                : "; did you mean " + String.join(", ", close) + "?"));
        return ExitCodes.FAILED;
      }
      selected = List.of(one.get());
    } else {
      selected = List.copyOf(types.types().values());
    }
    if (output.json()) {
      out.println(json(apis, types, selected));
    } else {
      text(out, apis, types, selected);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void text(PrintWriter out, ApiCatalog apis, ResourceTypeCatalog types, List<ResourceTypeDefinition> selected) {
    if (typeName == null) {
      out.printf("%d resource types from %s (CloudStack %s, %d APIs); %d APIs did not become types%s%n%n",
          types.types().size(), apis.source(), apis.cloudStackVersion(), apis.apis().size(),
          types.excluded().size(), showExcluded ? " (listed at the end)" : " (--excluded lists them)");
    }
    for (ResourceTypeDefinition t : selected) {
      out.println(t.typeName());
      out.printf("  create:      %s%s%n", t.createApi().name(), t.createApi().async() ? " (async)" : "");
      out.printf("  delete:      %s%s with %s%n", t.deleteApi().name(), t.deleteApi().async() ? " (async)" : "",
          String.join(", ", t.deleteArguments().stream().map(a -> a.parameter() + " <- " + a.source()).toList()));
      out.printf("  result key:  %s%n", t.responseObjectKey() == null ? "(none: success only)" : t.responseObjectKey());
      out.printf("  tags:        %s%n", t.taggable() ? "yes (resourcetype " + t.tagResourceType() + ")" : "no");
      if (!t.createApi().description().isBlank()) {
        out.printf("  description: %s%n", oneLine(t.createApi().description()));
      }
      out.printf("  properties (%d, %d required):%n", t.properties().size(), t.requiredProperties().size());
      UpdateRules updates = CloudStackUpdates.of(t);
      for (PropertyDefinition p : t.properties()) {
        out.printf("    %-28s %-9s %-8s %s%n", p.name(), p.type(), p.required() ? "required" : "optional",
            oneLine(p.description()));
        out.printf("      update: %s%s%n", updates.property(p.name()).describe(),
            updates.uniqueName(p.name()) ? "; unique name: a replacement must change it" : "");
      }
      if (t.taggable()) {
        out.printf("    %-28s update: %s%n", "tags", updates.property("tags").describe());
      }
      out.printf("  attributes (%d):%n", t.attributes().size());
      for (AttributeDefinition a : t.attributes()) {
        out.printf("    %-28s %-9s %s%n", a.name(), a.type(), oneLine(a.description()));
      }
      out.println();
    }
    if (showExcluded && typeName == null) {
      out.println("APIs that did not become types:");
      for (ExcludedApi e : types.excluded()) {
        out.printf("  %-45s %s%n", e.api(), e.reason());
      }
    }
  }

  private String json(ApiCatalog apis, ResourceTypeCatalog types, List<ResourceTypeDefinition> selected) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("source", apis.source());
    root.put("cloudStackVersion", apis.cloudStackVersion());
    root.put("apiCount", apis.apis().size());
    root.put("typeCount", types.types().size());
    root.put("excludedCount", types.excluded().size());
    ArrayNode list = root.putArray("types");
    for (ResourceTypeDefinition t : selected) {
      ObjectNode n = list.addObject();
      n.put("type", t.typeName());
      n.put("noun", t.noun());
      n.put("description", t.createApi().description());
      n.put("createApi", t.createApi().name());
      n.put("createAsync", t.createApi().async());
      n.put("deleteApi", t.deleteApi().name());
      n.put("deleteAsync", t.deleteApi().async());
      n.put("deleteIdParameter", t.deleteIdParameter());
      n.put("idSource", t.idSource());
      ArrayNode args = n.putArray("deleteArguments");
      for (DeleteArgument a : t.deleteArguments()) {
        args.addObject().put("parameter", a.parameter()).put("source", a.source());
      }
      n.put("responseObjectKey", t.responseObjectKey());
      n.put("taggable", t.taggable());
      n.put("tagResourceType", t.tagResourceType());
      ArrayNode props = n.putArray("properties");
      UpdateRules updates = CloudStackUpdates.of(t);
      for (PropertyDefinition p : t.properties()) {
        ObjectNode prop = props.addObject().put("name", p.name()).put("type", p.type()).put("required", p.required())
            .put("length", p.length()).put("description", p.description());
        prop.set("update", json(mapper, updates.property(p.name())));
        prop.put("uniqueName", updates.uniqueName(p.name()));
      }
      ArrayNode updateApis = n.putArray("updateApis");
      t.updateApis().forEach(a -> updateApis.add(a.name()));
      ArrayNode attrs = n.putArray("attributes");
      for (AttributeDefinition a : t.attributes()) {
        attrs.addObject().put("name", a.name()).put("type", a.type()).put("description", a.description());
      }
    }
    if (showExcluded) {
      ArrayNode excluded = root.putArray("excluded");
      types.excluded().forEach(e -> excluded.addObject().put("api", e.api()).put("reason", e.reason()));
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static ObjectNode json(ObjectMapper mapper, PropertyUpdate u) {
    ObjectNode o = mapper.createObjectNode();
    o.put("behavior", u.behavior().name());
    ArrayNode calls = o.putArray("calls");
    u.calls().forEach(calls::add);
    o.put("note", u.note());
    o.put("text", u.describe());
    return o;
  }

  /** A built-in or AWS:: type: its declared updates (it has no catalog entry). */
  private void showBuiltIn(PrintWriter out, String type, String provider, UpdateRules rules) {
    if (output.json()) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = mapper.createObjectNode();
      root.put("type", type);
      root.put("provider", provider);
      ObjectNode props = root.putObject("updates");
      rules.properties().forEach((name, u) -> props.set(name, json(mapper, u)));
      root.set("otherProperties", json(mapper, rules.otherwise()));
      ArrayNode unique = root.putArray("uniqueNames");
      rules.uniqueNames().forEach(unique::add);
      try {
        out.println(mapper.writeValueAsString(root));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON", e);
      }
      return;
    }
    out.println(type);
    out.printf("  provider:    %s%n", provider);
    out.println("  updates:");
    rules.properties().forEach((name, u) -> out.printf("    %-28s update: %s%s%n", name, u.describe(),
        rules.uniqueName(name) ? "; unique name: a replacement must change it" : ""));
    out.printf("    %-28s update: %s%n", "(any other property)", rules.otherwise().describe());
    rules.uniqueNames().stream().filter(u -> !rules.properties().containsKey(u)).forEach(u ->
        out.printf("    %-28s unique name: a replacement must change it%n", u));
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }
}
