package org.stacktician.cloudstack.simulator.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays {@code cfn-init} for the guest emulation: a boot script that sets {@code StackMateApiUrl}
 * (as the CloudStack samples do) and runs {@code cfn-init -s STACK -r RESOURCE [-c SETS]} fetches
 * the resource's metadata from that URL ({@code DescribeStackResource}, as cfn-init does) and
 * sends the {@code cfn-signal} commands of its {@code AWS::CloudFormation::Init} configs, in
 * cfn-init's order (config sets, then commands sorted by name). Other commands are not run.
 */
public final class CfnInitCalls {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern API_URL = Pattern.compile(
      "^\\s*(?:set\\s+|export\\s+)?StackMateApiUrl=[\"']?([^\"'\\s]+)[\"']?\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern CFN_INIT = Pattern.compile("(?:^|[\\s/\\\\])cfn-init(?:\\.exe)?\\s+(.*)$");

  /** One cfn-init invocation whose metadata URL is known. */
  public record Call(URI apiUrl, String stackName, String logicalId, List<String> configSets) {}

  private CfnInitCalls() {}

  /** The cfn-init invocations of a decoded boot script that can reach a metadata API. */
  public static List<Call> find(String script) {
    List<Call> calls = new ArrayList<>();
    String apiUrl = null;
    for (String raw : script.split("\\r?\\n")) {
      String line = raw.replaceAll("</?script>", "").strip();
      Matcher url = API_URL.matcher(line);
      if (url.matches()) {
        apiUrl = url.group(1);
        continue;
      }
      Matcher init = CFN_INIT.matcher(line);
      if (apiUrl == null || !init.find()) {
        continue;
      }
      String stack = null;
      String resource = null;
      String sets = null;
      String urlOption = null;
      String[] words = init.group(1).split("\\s+");
      for (int i = 0; i + 1 < words.length; i++) {
        switch (words[i]) {
          case "-s", "--stack" -> stack = words[++i];
          case "-r", "--resource" -> resource = words[++i];
          case "-c", "--configsets" -> sets = words[++i];
          case "-u", "--url" -> urlOption = words[++i];
          default -> { }
        }
      }
      if (stack == null || resource == null) {
        continue;
      }
      try {
        URI base = URI.create(urlOption != null ? urlOption : apiUrl);
        calls.add(new Call(base, stack, resource, sets == null ? List.of("default") : List.of(sets.split(","))));
      } catch (IllegalArgumentException e) {
        // not a URL: a real cfn-init would fail too
      }
    }
    return calls;
  }

  /** Fetches the call's metadata and returns the signals its cfn-signal commands send. */
  static List<WaitConditionSignal> signals(HttpClient http, Call call, String instanceId)
      throws IOException, InterruptedException {
    String query = "Action=DescribeStackResource&ContentType=JSON&Version=2010-05-15&StackName="
        + URLEncoder.encode(call.stackName(), StandardCharsets.UTF_8) + "&LogicalResourceId="
        + URLEncoder.encode(call.logicalId(), StandardCharsets.UTF_8);
    String base = call.apiUrl().toString();
    URI uri = URI.create(base + (base.contains("?") ? "&" : "?") + query);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("metadata API answered HTTP " + response.statusCode() + " for " + call.logicalId());
    }
    JsonNode detail = JSON.readTree(response.body()).path("DescribeStackResourceResponse")
        .path("DescribeStackResourceResult").path("StackResourceDetail");
    JsonNode metadata = detail.path("Metadata");
    if (metadata.isTextual()) {
      metadata = JSON.readTree(metadata.asText());
    }
    return signals(metadata.path("AWS::CloudFormation::Init"), call.configSets(), instanceId);
  }

  /** The signals of the cfn-signal commands in the configs that {@code sets} select. */
  static List<WaitConditionSignal> signals(JsonNode init, List<String> sets, String instanceId) {
    List<String> configs = new ArrayList<>();
    JsonNode configSets = init.path("configSets");
    if (configSets.isObject()) {
      for (String set : sets) {
        expand(configSets, set, configs, 0);
      }
    } else {
      configs.add("config");
    }
    List<WaitConditionSignal> out = new ArrayList<>();
    for (String config : configs) {
      Map<String, JsonNode> commands = new TreeMap<>();
      init.path(config).path("commands").fields().forEachRemaining(e -> commands.put(e.getKey(), e.getValue()));
      for (JsonNode command : commands.values()) {
        JsonNode text = command.path("command");
        String line = text.isArray() ? joined(text) : text.asText("");
        out.addAll(UserDataSignals.find(line, instanceId));
      }
    }
    return out;
  }

  private static void expand(JsonNode configSets, String set, List<String> out, int depth) {
    JsonNode items = configSets.path(set);
    if (depth > 10) {
      return;
    }
    for (JsonNode item : items.isArray() ? items : JSON.createArrayNode().add(items)) {
      if (item.isObject() && item.has("ConfigSet")) {
        expand(configSets, item.get("ConfigSet").asText(), out, depth + 1);
      } else if (item.isTextual()) {
        out.add(item.asText());
      }
    }
  }

  private static String joined(JsonNode array) {
    List<String> parts = new ArrayList<>();
    array.forEach(p -> parts.add(p.asText()));
    return String.join(" ", parts);
  }
}
