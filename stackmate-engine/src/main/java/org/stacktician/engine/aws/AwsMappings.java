package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mapping file of the {@code AWS::} types (successor of the original StackMate's
 * {@code local.yml}): which CloudStack template an AMI id means, which service offering an
 * instance type means (by name or id), per zone or for every zone, the default zone, and the
 * disk offering of {@code AWS::EC2::Volume}.
 *
 * <pre>
 * zone: Sandbox-simulator                 # default zone (name or id)
 * region: us-east-1                      # what AWS::Region resolves to (templates keyed by AWS regions)
 * images:                                 # AMI id -> template name or id, any zone
 *   ami-1b814f72: "CentOS 5.6 (64-bit) no GUI (Simulator)"
 * instanceTypes:                          # instance type -> service offering name or id
 *   m1.small: "Small Instance"
 * diskOffering: Custom                    # for AWS::EC2::Volume (a custom-size offering)
 * availabilityZones:                      # AvailabilityZone values -> CloudStack zone
 *   us-east-1a: Sandbox-simulator
 * zones:                                  # per-zone entries win over the global ones
 *   Sandbox-simulator-2:
 *     images: { ami-1b814f72: "Ubuntu 22.04 LTS" }
 *     instanceTypes: { m1.small: "Medium Instance" }
 * </pre>
 *
 * The original's keys are read too: {@code templates:} (= images), {@code service_offerings:}
 * (= instanceTypes) and {@code zoneid:} (= zone).
 */
public final class AwsMappings {
  private static final int MAX_FILE_BYTES = 1024 * 1024;

  private final String source;
  private final String zone;
  private final String region;
  private final String diskOffering;
  private final Map<String, String> images;
  private final Map<String, String> instanceTypes;
  private final Map<String, String> availabilityZones;
  private final Map<String, Map<String, String>> zoneImages;
  private final Map<String, Map<String, String>> zoneInstanceTypes;

  private AwsMappings(String source, String zone, String region, String diskOffering, Map<String, String> images,
      Map<String, String> instanceTypes, Map<String, String> availabilityZones,
      Map<String, Map<String, String>> zoneImages, Map<String, Map<String, String>> zoneInstanceTypes) {
    this.source = source;
    this.zone = zone;
    this.region = region;
    this.diskOffering = diskOffering;
    this.images = images;
    this.instanceTypes = instanceTypes;
    this.availabilityZones = availabilityZones;
    this.zoneImages = zoneImages;
    this.zoneInstanceTypes = zoneInstanceTypes;
  }

  /** No mappings: AMI ids and instance types must then be template and offering names or ids. */
  public static AwsMappings none() {
    return new AwsMappings("(no mapping file)", null, null, null, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  /** A mapping file that is missing, unreadable or malformed. */
  public static final class InvalidMappingsException extends RuntimeException {
    public InvalidMappingsException(String message) {
      super(message);
    }
  }

  /** Reads a mapping file (YAML or JSON). */
  public static AwsMappings load(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new InvalidMappingsException("mapping file " + file + " is larger than 1 MB");
      }
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new InvalidMappingsException("cannot read mapping file " + file + ": " + e.getMessage());
    }
  }

  /** Parses mapping text; {@code source} names it in messages. */
  public static AwsMappings parse(String text, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (IOException e) {
      throw new InvalidMappingsException("mapping file " + source + " is not valid YAML: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new AwsMappings(source, null, null, null, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }
    if (!root.isObject()) {
      throw new InvalidMappingsException("mapping file " + source + " must be a YAML mapping at the top level");
    }
    List<String> known = List.of("zone", "zoneid", "region", "images", "templates", "instanceTypes", "service_offerings",
        "diskOffering", "availabilityZones", "zones");
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        throw new InvalidMappingsException("mapping file " + source + ": unknown key '" + n + "'; known keys: " + known);
      }
    }
    Map<String, String> images = new LinkedHashMap<>(strings(root, "templates", source));
    images.putAll(strings(root, "images", source));
    Map<String, String> types = new LinkedHashMap<>(strings(root, "service_offerings", source));
    types.putAll(strings(root, "instanceTypes", source));
    Map<String, Map<String, String>> zoneImages = new LinkedHashMap<>();
    Map<String, Map<String, String>> zoneTypes = new LinkedHashMap<>();
    JsonNode zones = root.get("zones");
    if (zones != null && !zones.isNull()) {
      if (!zones.isObject()) {
        throw new InvalidMappingsException("mapping file " + source + ": 'zones' must map zone names to entries");
      }
      zones.fields().forEachRemaining(z -> {
        zoneImages.put(z.getKey(), strings(z.getValue(), "images", source + " zones." + z.getKey()));
        zoneTypes.put(z.getKey(), strings(z.getValue(), "instanceTypes", source + " zones." + z.getKey()));
      });
    }
    String zone = text(root, "zone").or(() -> text(root, "zoneid")).orElse(null);
    return new AwsMappings(source, zone, text(root, "region").orElse(null), text(root, "diskOffering").orElse(null),
        Map.copyOf(images), Map.copyOf(types), strings(root, "availabilityZones", source), Map.copyOf(zoneImages),
        Map.copyOf(zoneTypes));
  }

  private static Optional<String> text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() || v.isContainerNode() ? Optional.empty() : Optional.of(v.asText());
  }

  private static Map<String, String> strings(JsonNode node, String key, String source) {
    JsonNode v = node == null ? null : node.get(key);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw new InvalidMappingsException("mapping file " + source + ": '" + key + "' must be a mapping of names to values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> {
      if (e.getValue().isContainerNode() || e.getValue().isNull()) {
        throw new InvalidMappingsException("mapping file " + source + ": '" + key + "." + e.getKey()
            + "' must be a name or id");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return Map.copyOf(out);
  }

  /** Where these mappings came from, for messages. */
  public String source() {
    return source;
  }

  /** The default zone (name or id), if set. */
  public Optional<String> zone() {
    return Optional.ofNullable(zone);
  }

  /**
   * The region name {@code AWS::Region} resolves to, if set: AWS samples key their Mappings by AWS
   * region (the original StackMate always said {@code us-east-1}); otherwise it is the zone name.
   */
  public Optional<String> region() {
    return Optional.ofNullable(region);
  }

  /** The disk offering for volumes (name or id), if set. */
  public Optional<String> diskOffering() {
    return Optional.ofNullable(diskOffering);
  }

  /** The CloudStack zone an AvailabilityZone value means, if mapped. */
  public Optional<String> availabilityZone(String az) {
    return Optional.ofNullable(availabilityZones.get(az));
  }

  /** The template (name or id) an AMI id means in a zone (given by name and id). */
  public Optional<String> image(String amiId, String zoneId, String zoneName) {
    return lookup(zoneImages, images, amiId, zoneId, zoneName);
  }

  /** The service offering (name or id) an instance type means in a zone. */
  public Optional<String> instanceType(String type, String zoneId, String zoneName) {
    return lookup(zoneInstanceTypes, instanceTypes, type, zoneId, zoneName);
  }

  private static Optional<String> lookup(Map<String, Map<String, String>> perZone, Map<String, String> global,
      String key, String zoneId, String zoneName) {
    for (String z : new String[] {zoneId, zoneName}) {
      if (z != null && perZone.containsKey(z) && perZone.get(z).containsKey(key)) {
        return Optional.of(perZone.get(z).get(key));
      }
    }
    return Optional.ofNullable(global.get(key));
  }
}
