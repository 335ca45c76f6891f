package org.stacktician.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.stack.CloudOptions;
import org.stacktician.cli.stack.LocalStackmate;
import org.stacktician.cli.stack.StackWatch;
import org.stacktician.cli.stack.StateOptions;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.simulator.inventory.InventoryItem;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stackmate demo}: on an embedded CloudStack simulator, creates the bundled sample stack
 * (two VMs, a security group with two rules, a wait condition the VMs' boot scripts signal),
 * streams its events, prints its outputs, deletes it, and shows that the cloud holds nothing of it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the bundled sample stack on an embedded, simulated CloudStack: create it (events stream as "
        + "they happen), print its outputs, delete it, and show the cloud's inventory is empty again.",
        "Exit 0 when all of that worked."})
public final class DemoCommand implements Callable<Integer> {
  /** The bundled sample template (a resource of this module). */
  public static final String SAMPLE = "/org/stacktician/cli/demo/sample-stack.json";

  @Mixin LoggingOptions logging;
  @Spec CommandSpec spec;

  @Option(names = "--stack-name", paramLabel = "NAME", defaultValue = "demo",
      description = "Name of the sample stack (default: ${DEFAULT-VALUE}).")
  String stackName;

  @Option(names = "--print-template", description = "Print the bundled sample template and exit.")
  boolean printTemplate;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    String template = sample();
    if (printTemplate) {
      out.print(template);
      out.flush();
      return ExitCodes.OK;
    }
    Path stateDir = Files.createTempDirectory("stackmate-demo");
    try {
      return run(out, template, stateDir);
    } finally {
      deleteTree(stateDir);
    }
  }

  private int run(PrintWriter out, String template, Path stateDir) throws Exception {
    CloudOptions cloud = CloudOptions.simulated();
    StateOptions state = StateOptions.at(stateDir);
    try (LocalStackmate local = LocalStackmate.open(cloud, state)) {
      out.println("StackMate demo on a SIMULATED cloud (embedded CloudStack simulator at "
          + local.simulator().endpoint() + ")");
      Map<String, String> params = new LinkedHashMap<>();
      CloudStackClient client = local.client();
      params.put("ZoneId", idOf(client, "listZones", "Sandbox-simulator", Map.of()));
      params.put("TemplateId", idOf(client, "listTemplates", "Ubuntu 22.04 LTS", Map.of("templatefilter", "executable")));
      params.put("ServiceOfferingId", idOf(client, "listServiceOfferings", "Small Instance", Map.of()));
      out.println();
      out.println("== 1. create-stack " + stackName + " (sample: 2 VMs, a security group with 2 rules, a wait condition"
          + " signalled by the VMs' boot scripts)");
      StackRecord created = local.engine().createStack(new CreateStackRequest(stackName, template, "sample-stack.json",
          params, false, 15, null));
      StackRecord createdDone = StackWatch.watch(local, created, out);
      if (createdDone.status() != StackStatus.CREATE_COMPLETE) {
        out.println("The sample stack did not complete; see the events above.");
        out.flush();
        return ExitCodes.FAILED;
      }
      List<InventoryItem> during = local.simulator().inventory().created();
      out.println();
      out.println("The simulated cloud now holds " + during.size() + " resource(s) of the stack: "
          + kinds(during));
      out.println();
      out.println("== 2. delete-stack " + stackName);
      StackRecord deleting = local.engine().deleteStack(createdDone.stackId());
      StackRecord deleted = StackWatch.watch(local, deleting, out);
      List<InventoryItem> left = local.simulator().inventory().created();
      out.println();
      out.println("== 3. inventory of the simulated cloud after delete-stack");
      if (left.isEmpty()) {
        out.println("Nothing is left: 0 resources besides the simulator's seeded zones, offerings and templates.");
      } else {
        out.println("LEFT OVER: " + left.size() + " resource(s): " + kinds(left));
      }
      out.flush();
      return deleted.status() == StackStatus.DELETE_COMPLETE && left.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  private static String kinds(List<InventoryItem> items) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    items.forEach(i -> counts.merge(i.kind(), 1, Integer::sum));
    return counts.toString();
  }

  private static String idOf(CloudStackClient client, String command, String name, Map<String, String> params) {
    for (JsonNode item : client.list(command, params)) {
      if (name.equals(item.path("name").asText())) {
        return item.path("id").asText();
      }
    }
    throw new IllegalStateException("the simulator has no " + name + " (" + command + ")");
  }

  /** The bundled sample template's text. */
  public static String sample() throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE)) {
      if (in == null) {
        throw new IOException("the bundled sample template " + SAMPLE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
