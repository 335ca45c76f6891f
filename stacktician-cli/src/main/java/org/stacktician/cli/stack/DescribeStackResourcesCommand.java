package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stackmate describe-stack-resources}: each resource's physical id, type and status. */
@Command(name = "describe-stack-resources", mixinStandardHelpOptions = true,
    description = "Show a stack's resources: logical id, physical id, type, status and reason.")
public final class DescribeStackResourcesCommand extends StateCommand {
  private static final String FORMAT = "%-26s  %-38s  %-36s  %-20s  %s%n";

  @Parameters(index = "0", paramLabel = "NAME", description = "A stack name or id.")
  String stack;

  @Mixin OutputOptions output;

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    var found = s.find(stack, err);
    if (found.isEmpty()) {
      return ExitCodes.FAILED;
    }
    StackRecord r = found.get();
    List<ResourceRecord> resources = s.store().resources(r.stackId()).stream().filter(ResourceRecord::started).toList();
    if (output.json()) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      ArrayNode a = root.putArray("StackResources");
      resources.forEach(x -> a.add(StackViews.resource(r, x)));
      StackViews.printJson(out, root);
    } else {
      StackViews.row(out, FORMAT, "LOGICAL ID", "PHYSICAL ID", "TYPE", "STATUS", "REASON");
      for (ResourceRecord x : resources) {
        StackViews.row(out, FORMAT, x.logicalId(), x.physicalId() == null ? "-" : x.physicalId(), x.type(), x.status(),
            x.statusReason() == null ? "" : x.statusReason());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
