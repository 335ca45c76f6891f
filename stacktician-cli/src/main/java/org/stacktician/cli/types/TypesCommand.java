package org.stacktician.cli.types;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.AttributeDefinition;
import org.stacktician.cloudstack.client.catalog.CatalogCache;
import org.stacktician.cloudstack.client.catalog.DeleteArgument;
import org.stacktician.cloudstack.client.catalog.ExcludedApi;
import org.stacktician.cloudstack.client.catalog.PropertyDefinition;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate types}: the {@code CloudStack::} resource types a cloud's listApis yields. */
@Command(
    name = "types",
    mixinStandardHelpOptions = true,
    description = {
      "List the CloudStack::<Noun> resource types derived from a cloud's listApis (lifecycle pairs",
      "such as create/delete, deploy/destroy, associate/disassociate), with their properties and",
      "attributes, or show one type. The API comes from a listApis JSON file or a live endpoint."
    })
public final class TypesCommand implements Callable<Integer> {

  /** Output formats. */

  @Mixin LoggingOptions logging;

  @Spec CommandSpec spec;

  @Option(names = "--catalog", paramLabel = "FILE",
      description = "A listApis JSON dump (the listapisresponse body or its inner object).")
  Path catalogFile;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "CloudStack API endpoint, e.g. http://cloud:8080/client/api (default: $CLOUDSTACK_ENDPOINT).",
      defaultValue = "${env:CLOUDSTACK_ENDPOINT}")
  URI endpoint;

  @Option(names = "--api-key", paramLabel = "KEY", description = "API key (default: $CLOUDSTACK_API_KEY).",
      defaultValue = "${env:CLOUDSTACK_API_KEY}")
  String apiKey;

  @Option(names = "--secret-key", paramLabel = "KEY",
      description = "Secret key (default: $CLOUDSTACK_SECRET_KEY; prefer the variable: arguments are visible to other users).",
      defaultValue = "${env:CLOUDSTACK_SECRET_KEY}")
  String secretKey;

  @Option(names = "--trust-ca", paramLabel = "PEM", description = "Trust this CA certificate for an https endpoint.")
  Path trustCa;

  @Option(names = "--refresh", description = "Fetch listApis again instead of using the catalog cache.")
  boolean refresh;

  @Option(names = "--no-cache", description = "Neither read nor write the catalog cache (~/.stackmate/catalog-cache).")
  boolean noCache;

  @Option(names = "--cache-dir", paramLabel = "DIR", hidden = true, description = "Catalog cache directory.")
  Path cacheDir;

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
    ApiCatalog apis;
    try {
      apis = loadCatalog();
    } catch (CloudStackException | IllegalArgumentException | java.io.UncheckedIOException e) {
      err.println("error: " + e.getMessage());
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

  private ApiCatalog loadCatalog() {
    if (catalogFile != null) {
      return ApiCatalog.fromFile(catalogFile);
    }
    if (endpoint == null) {
      throw new ParameterException(spec.commandLine(),
          "give --catalog FILE (a listApis dump) or --endpoint URL with --api-key and --secret-key");
    }
    if (apiKey == null || apiKey.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new ParameterException(spec.commandLine(),
          "--endpoint needs --api-key and --secret-key (or CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY)");
    }
    CloudStackClient.Builder builder = CloudStackClient.builder()
        .endpoint(endpoint)
        .credentials(new Credentials(apiKey, secretKey))
        .requestTimeout(Duration.ofSeconds(60));
    if (trustCa != null) {
      builder.trustCa(trustCa);
    }
    if (!noCache) {
      builder.catalogCache(new CatalogCache(cacheDir != null ? cacheDir : CatalogCache.defaultDirectory()));
    }
    try (CloudStackClient client = builder.build()) {
      return client.discover(refresh);
    }
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
      for (PropertyDefinition p : t.properties()) {
        out.printf("    %-28s %-9s %-8s %s%n", p.name(), p.type(), p.required() ? "required" : "optional",
            oneLine(p.description()));
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
      for (PropertyDefinition p : t.properties()) {
        props.addObject().put("name", p.name()).put("type", p.type()).put("required", p.required())
            .put("length", p.length()).put("description", p.description());
      }
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

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }
}
