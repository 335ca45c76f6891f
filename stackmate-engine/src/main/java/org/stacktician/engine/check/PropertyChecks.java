package org.stacktician.engine.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.nested.NestedStackProvider;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.template.Plan;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.SourceMap;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;

/**
 * Checks resources against their types and reports each problem as a template error: the path
 * ({@code Resources/Web/Properties/networkids/1}), the line and column of the value in the
 * template, and the message, with every NoEcho parameter value masked. Used before creation (create,
 * validate-template and plan with a catalog), where values from other resources are not known yet,
 * and again per resource once its properties are resolved, before its create call.
 */
public final class PropertyChecks {

  private PropertyChecks() {}

  /**
   * A registry for checking templates with no cloud: the {@code CloudStack::} types of a catalog
   * (a listApis dump or the catalog cache), the AWS:: mappings, the built-ins, and the plugins on
   * the classpath and in {@code pluginsDir} (null for none), as create-stack loads them.
   *
   * @throws org.stacktician.engine.provider.registry.PluginLoadException when a plugin cannot be loaded
   */
  public static ProviderRegistry offline(ResourceTypeCatalog catalog, java.nio.file.Path pluginsDir) {
    ProviderContext context = ProviderContext.builder().resourceTypes(catalog).build();
    // Nested stacks are the engine's own provider; checking their properties needs no engine.
    return ProviderRegistry.load(context, List.of(new NestedStackProvider(null)), pluginsDir);
  }

  /**
   * Every resource of a template as written, with no parameter values: what refers to a
   * parameter, a condition or another resource is not known, so it is left alone (see {@link
   * ProviderRegistry#validate}); for validate-template.
   */
  public static List<TemplateError> template(ProviderRegistry registry, Template template) {
    List<TemplateError> errors = new ArrayList<>();
    for (ResourceDefinition r : template.resources().values()) {
      errors.addAll(report(template, r.logicalId(), r.type(), registry.validate(r.type(), r.properties()),
          registry.supports(r.type()), Set.of()));
      snapshotRefusal(registry, template, r).ifPresent(errors::add);
    }
    return errors;
  }

  /** Every included resource of a plan, before anything is created (see {@link ProviderRegistry#validate}). */
  public static List<TemplateError> beforeCreation(ProviderRegistry registry, Plan plan) {
    List<TemplateError> errors = new ArrayList<>();
    Set<String> secrets = secrets(plan);
    for (PlannedResource r : plan.resources().values()) {
      if (r.included()) {
        errors.addAll(report(plan.template(), r.logicalId(), r.type(), registry.validate(r.type(), r.properties()),
            registry.supports(r.type()), secrets));
        snapshotRefusal(registry, plan.template(), r.definition()).ifPresent(errors::add);
      }
    }
    return errors;
  }

  /** {@code DeletionPolicy: Snapshot} on a type that cannot be snapshotted, at the policy's line. */
  private static java.util.Optional<TemplateError> snapshotRefusal(ProviderRegistry registry, Template template,
      ResourceDefinition r) {
    if (!registry.supports(r.type())) {
      return java.util.Optional.empty();
    }
    SourceMap map = template.sourceMap() == null ? SourceMap.empty(null) : template.sourceMap();
    return org.stacktician.engine.cloudstack.SnapshotBeforeDelete.refusal(r.deletionPolicy(),
        registry.canonical(r.type())).map(m -> map.error("Resources/" + r.logicalId() + "/DeletionPolicy", m));
  }

  /** One resource with its properties resolved (see {@link ProviderRegistry#validateResolved}). */
  public static List<TemplateError> resolved(ProviderRegistry registry, Plan plan, String logicalId, String type,
      ObjectNode properties) {
    return report(plan.template(), logicalId, type, registry.validateResolved(type, properties),
        registry.supports(type), secrets(plan));
  }

  private static List<TemplateError> report(Template template, String logicalId, String type,
      List<PropertyError> problems, boolean knownType, Set<String> secrets) {
    SourceMap map = template.sourceMap() == null ? SourceMap.empty(null) : template.sourceMap();
    List<TemplateError> errors = new ArrayList<>();
    for (PropertyError pe : problems) {
      String path = "Resources/" + logicalId + (knownType ? "/Properties/" + slashes(pe.property()) : "/Type");
      errors.add(map.error(path, mask(pe.message(), secrets)));
    }
    return errors;
  }

  /** {@code SecurityGroupIngress[0].FromPort} as the template path {@code SecurityGroupIngress/0/FromPort}. */
  static String slashes(String property) {
    return property.replaceAll("\\[(\\d+)]", "/$1").replace('.', '/').replace("//", "/");
  }

  /** A message with each secret masked, whether it appears as written or quoted as JSON. */
  public static String mask(String message, Set<String> secrets) {
    return org.stacktician.cloudstack.client.Redaction.mask(message, secrets);
  }

  /** The values of the plan's NoEcho parameters (each item of a list, and the list joined). */
  public static Set<String> secrets(Plan plan) {
    Set<String> secrets = new LinkedHashSet<>();
    for (ResolvedParameter p : plan.parameters().values()) {
      if (p.noEcho() && p.value() != null) {
        collect(p.value(), secrets);
      }
    }
    secrets.removeIf(String::isEmpty);
    return secrets;
  }

  private static void collect(JsonNode value, Set<String> into) {
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(v.asText()));
      into.addAll(items);
      into.add(String.join(",", items));
    } else if (!value.isNull()) {
      into.add(value.asText());
    }
  }
}
