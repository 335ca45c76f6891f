package org.stacktician.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.cloudstack.simulator.inventory.InventoryItem;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.aws.AwsMappings;
import org.stacktician.engine.execution.EngineOptions;

/**
 * The embedded simulator and a complete local engine (state file, callback listener, mapping file
 * from the test resources) that the original templates run on, with the look-ups that turn the
 * placeholders of {@code conformance/original-templates.yml} into the simulator's ids.
 */
final class ConformanceCloud implements AutoCloseable {
  static final String MAPPINGS = "/conformance/stackmate-mappings.yml";
  static final String CASES = "/conformance/original-templates.yml";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z]+)(?::([^}]*))?}");
  static final String ZONE = "Sandbox-simulator";

  final CloudStackSimulator simulator;
  final CloudStackClient client;
  final LocalEngine local;
  final String keyPair = "conformance-key";
  private final Set<String> baseline;

  ConformanceCloud(Path stateDir, boolean guestSignals) {
    simulator = CloudStackSimulator.start(SimulatorConfig.defaults().withGuestSignals(guestSignals, Duration.ZERO));
    client = CloudStackClient.builder().endpoint(simulator.endpoint()).credentials(simulator.credentials()).build();
    // A key pair the user already has, as the LAMP samples' KeyName parameter expects.
    client.call("createSSHKeyPair", Map.of("name", keyPair));
    baseline = createdIds();
    local = LocalEngine.builder(client).stateDir(stateDir)
        .mappings(AwsMappings.parse(resource(MAPPINGS), MAPPINGS))
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50)))
        .build();
  }

  /** Ids of the resources created through the API (not seeded), now. */
  Set<String> createdIds() {
    return simulator.inventory().created().stream().map(InventoryItem::id).collect(Collectors.toSet());
  }

  /** What the inventory holds beyond what existed before any stack ran. */
  List<InventoryItem> leftOver() {
    return simulator.inventory().created().stream().filter(i -> !baseline.contains(i.id())).toList();
  }

  /** The parameters of a case with its placeholders replaced by the simulator's ids. */
  Map<String, String> parameters(JsonNode given) {
    Map<String, String> out = new LinkedHashMap<>();
    given.fields().forEachRemaining(e -> out.put(e.getKey(), substitute(e.getValue().asText())));
    return out;
  }

  private String substitute(String value) {
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(lookup(m.group(1), m.group(2))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String lookup(String kind, String name) {
    return switch (kind) {
      case "zone" -> idOf("listZones", ZONE, Map.of());
      case "template" -> idOf("listTemplates", name, Map.of("templatefilter", "executable"));
      case "offering" -> idOf("listServiceOfferings", name, Map.of());
      case "network" -> idOf("listNetworks", "SharedGuestNetwork", Map.of("zoneid", lookup("zone", null)));
      case "vpcoffering" -> idOf("listVPCOfferings", "Default VPC offering", Map.of());
      case "networkoffering" -> idOf("listNetworkOfferings", name, Map.of());
      case "keypair" -> keyPair;
      case "endpoint" -> simulator.endpoint().toString();
      default -> throw new IllegalArgumentException("unknown placeholder kind '" + kind + "' in " + CASES);
    };
  }

  private String idOf(String listCommand, String name, Map<String, String> params) {
    for (JsonNode item : client.list(listCommand, params)) {
      if (name.equals(item.path("name").asText())) {
        return item.path("id").asText();
      }
    }
    throw new IllegalStateException(listCommand + " of the simulator has no item named '" + name + "'");
  }

  /** The cases file: template name -> {parameters, outputs}. */
  static JsonNode cases() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(resource(CASES)).path("templates");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String resource(String path) {
    try (InputStream in = ConformanceCloud.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + path + " is missing");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    local.close();
    client.close();
    simulator.close();
  }
}
