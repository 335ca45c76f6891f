package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.engine.provider.ProviderContext;

/**
 * Resolves the names in the mapping file and in AWS:: properties (zones, templates, service and
 * disk offerings) to CloudStack ids, by name or id, with a per-endpoint cache.
 */
final class CloudLookup {
  private static final Map<CloudStackClient, Map<AwsMappings, CloudLookup>> BY_CLIENT =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private final CloudStackClient client;
  private final AwsMappings mappings;
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  private CloudLookup(CloudStackClient client, AwsMappings mappings) {
    this.client = client;
    this.mappings = mappings;
  }

  static CloudLookup of(ProviderContext context) {
    CloudStackClient client = context.cloudStack().orElseThrow();
    AwsMappings mappings = context.service(AwsMappings.class).orElse(AwsMappings.none());
    return BY_CLIENT.computeIfAbsent(client, c -> new ConcurrentHashMap<>())
        .computeIfAbsent(mappings, m -> new CloudLookup(client, m));
  }

  AwsMappings mappings() {
    return mappings;
  }

  /** A zone of the cloud: id and name. */
  record Zone(String id, String name) {}

  /** The zone for an AvailabilityZone value (or the mapping's default zone, or the only/first zone). */
  Zone zone(String availabilityZone) {
    List<JsonNode> zones = client.list("listZones", Map.of("available", "true"));
    if (zones.isEmpty()) {
      throw new StepHandler.AwsPropertyException("the cloud has no available zone");
    }
    String wanted = availabilityZone == null || availabilityZone.isBlank()
        ? mappings.zone().orElse(null)
        : mappings.availabilityZone(availabilityZone).orElse(availabilityZone);
    if (wanted == null) {
      JsonNode z = zones.get(0);
      return new Zone(z.path("id").asText(), z.path("name").asText());
    }
    for (JsonNode z : zones) {
      if (wanted.equals(z.path("id").asText()) || wanted.equalsIgnoreCase(z.path("name").asText())) {
        return new Zone(z.path("id").asText(), z.path("name").asText());
      }
    }
    throw new StepHandler.AwsPropertyException("zone '" + wanted + "'"
        + (availabilityZone != null && !wanted.equals(availabilityZone) ? " (AvailabilityZone '" + availabilityZone + "')" : "")
        + " does not exist; zones: " + zones.stream().map(z -> z.path("name").asText()).toList());
  }

  /** The template id for an ImageId in a zone: through the mapping file, else the ImageId as a template name or id. */
  String template(String imageId, Zone zone) {
    Optional<String> mapped = mappings.image(imageId, zone.id(), zone.name());
    String wanted = mapped.orElse(imageId);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("templatefilter", "executable");
    params.put("zoneid", zone.id());
    return find("template", zone.id(), wanted, "listTemplates", params).orElseThrow(() ->
        new StepHandler.AwsPropertyException(mapped.isPresent()
            ? "ImageId '" + imageId + "' maps to template '" + wanted + "' in " + mappings.source()
                + ", but zone " + zone.name() + " has no such template"
            : "ImageId '" + imageId + "' has no mapping under 'images:' in " + mappings.source()
                + " and is not a template name or id in zone " + zone.name()));
  }

  /** The service offering id for an InstanceType. */
  String serviceOffering(String instanceType, Zone zone) {
    Optional<String> mapped = mappings.instanceType(instanceType, zone.id(), zone.name());
    String wanted = mapped.orElse(instanceType);
    return find("serviceoffering", "", wanted, "listServiceOfferings", Map.of()).orElseThrow(() ->
        new StepHandler.AwsPropertyException(mapped.isPresent()
            ? "InstanceType '" + instanceType + "' maps to service offering '" + wanted + "' in " + mappings.source()
                + ", but the cloud has no such offering"
            : "InstanceType '" + instanceType + "' has no mapping under 'instanceTypes:' in " + mappings.source()
                + " and is not a service offering name or id"));
  }

  /** The disk offering id for volumes. */
  String diskOffering() {
    String wanted = mappings.diskOffering().orElse("Custom");
    return find("diskoffering", "", wanted, "listDiskOfferings", Map.of()).orElseThrow(() ->
        new StepHandler.AwsPropertyException("disk offering '" + wanted + "' (diskOffering: in " + mappings.source()
            + ") does not exist"));
  }

  private Optional<String> find(String kind, String scope, String nameOrId, String api, Map<String, String> params) {
    String key = kind + "|" + scope + "|" + nameOrId;
    String hit = cache.get(key);
    if (hit != null) {
      return Optional.of(hit);
    }
    for (JsonNode item : client.list(api, params)) {
      if (nameOrId.equals(item.path("id").asText()) || nameOrId.equals(item.path("name").asText())) {
        cache.put(key, item.path("id").asText());
        return Optional.of(item.path("id").asText());
      }
    }
    return Optional.empty();
  }
}
