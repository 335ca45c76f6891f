package org.stacktician.cli.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code stacktician simulator inventory}: lists every resource of a running simulator with its tags. */
@Command(
    name = "inventory",
    mixinStandardHelpOptions = true,
    description = "Lists every resource a running simulator holds, with its tags (to check that nothing leaked).")
public final class InventoryCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Output formats. */

  @Mixin LoggingOptions logging;
  @Spec CommandSpec spec;

  @Option(names = "--endpoint", required = true, paramLabel = "URL",
      description = "The simulator's endpoint as printed at start, e.g. http://127.0.0.1:8080/client/api.")
  URI endpoint;

  @Option(names = "--all", description = "Also list what the simulator seeded (each account's default security group ...).")
  boolean all;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI inventory = adminInventory(endpoint);
    JsonNode body;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(inventory).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        err.println("error: " + inventory + " answered HTTP " + response.statusCode() + "; is this a Stacktician simulator?");
        return ExitCodes.FAILED;
      }
      body = JSON.readTree(response.body());
    } catch (java.net.ConnectException e) {
      err.println("error: cannot read the inventory from " + inventory + ": nothing answers there (is the simulator running?)");
      return ExitCodes.FAILED;
    } catch (IOException e) {
      err.println("error: cannot read the inventory from " + inventory + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return ExitCodes.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILED;
    }
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode r : body.path("resources")) {
      if (all || !r.path("seeded").asBoolean()) items.add(r);
    }
    if (output.json()) {
      out.println(JSON.createObjectNode().put("pendingJobs", body.path("pendingJobs").asLong())
          .set("resources", JSON.valueToTree(items)).toPrettyString());
      return ExitCodes.OK;
    }
    out.printf("%-22s %-36s %-24s %-10s %-10s %s%n", "KIND", "ID", "NAME", "ACCOUNT", "STATE", "TAGS");
    for (JsonNode r : items) {
      StringBuilder tags = new StringBuilder();
      r.path("tags").properties().forEach(t -> tags.append(tags.isEmpty() ? "" : ",").append(t.getKey()).append('=').append(t.getValue().asText()));
      out.printf("%-22s %-36s %-24s %-10s %-10s %s%n", r.path("kind").asText(), r.path("id").asText(), text(r, "name"),
          text(r, "account"), text(r, "state"), tags);
    }
    out.println(items.size() + (all ? " resources" : " resources created through the API") + ", "
        + body.path("pendingJobs").asLong() + " pending jobs");
    return ExitCodes.OK;
  }

  private static String text(JsonNode r, String field) {
    return r.path(field).isNull() || r.path(field).isMissingNode() ? "-" : r.path(field).asText();
  }

  /** The admin inventory URL of a simulator endpoint (its {@code /client/api} path replaced). */
  static URI adminInventory(URI endpoint) {
    String base = endpoint.toString();
    int api = base.indexOf("/client/api");
    if (api >= 0) base = base.substring(0, api);
    while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    return URI.create(base + "/admin/inventory");
  }
}
