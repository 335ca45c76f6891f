package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.OutputOptions;
import org.stacktician.engine.change.ChangeSetJson;
import org.stacktician.engine.change.ChangeSetRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stackmate list-change-sets}: the change sets of a stack. */
@Command(name = "list-change-sets", mixinStandardHelpOptions = true,
    description = "List a stack's change sets, oldest first, with their status and execution status.")
public final class ListChangeSetsCommand extends StateCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Mixin OutputOptions output;

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    List<ChangeSetRecord> all = s.changeSets().list(stackName);
    if (output.json()) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      ArrayNode summaries = root.putArray("Summaries");
      all.forEach(cs -> summaries.add(ChangeSetJson.summary(cs)));
      StackViews.printJson(out, root);
    } else if (all.isEmpty()) {
      out.println("No change sets.");
    } else {
      String format = "%-32s  %-15s  %-19s  %-19s  %s%n";
      StackViews.row(out, format, "ChangeSetName", "Status", "ExecutionStatus", "Created (UTC)", "Description");
      for (ChangeSetRecord cs : all) {
        StackViews.row(out, format, cs.changeSetName(), cs.status(), cs.executionStatus(),
            StackViews.time(cs.createdAt()), cs.description() == null ? "" : cs.description());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
