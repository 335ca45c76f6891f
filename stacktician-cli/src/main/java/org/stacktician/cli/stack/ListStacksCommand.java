package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.stack.StackRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stackmate list-stacks}: every stack in the local state, deleted ones included. */
@Command(name = "list-stacks", mixinStandardHelpOptions = true,
    description = "List every stack in the local state, newest first, deleted ones included (as CloudFormation does).")
public final class ListStacksCommand extends StateCommand {
  private static final String FORMAT = "%-19s  %-32s  %-24s  %s%n";

  @Mixin OutputOptions output;

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    List<StackRecord> stacks = s.store().listStacks();
    if (output.json()) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      ArrayNode a = root.putArray("StackSummaries");
      stacks.forEach(r -> a.add(StackViews.stackSummary(r)));
      StackViews.printJson(out, root);
    } else {
      StackViews.row(out, FORMAT, "CREATED (UTC)", "NAME", "STATUS", "REASON");
      for (StackRecord r : stacks) {
        StackViews.row(out, FORMAT, StackViews.time(r.createdAt()), r.stackName(), r.status(),
            r.statusReason() == null ? "" : r.statusReason());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
