package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.stack.StackParameter;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stackmate describe-stacks}: status, parameters (NoEcho masked) and outputs of stacks. */
@Command(name = "describe-stacks", mixinStandardHelpOptions = true,
    description = "Show a stack (or every stack that is not deleted): status and reason, parameters (NoEcho as ****), outputs.")
public final class DescribeStacksCommand extends StateCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A stack name or id (default: all).")
  String stack;

  @Mixin OutputOptions output;

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    List<StackRecord> stacks;
    if (stack != null) {
      var found = s.find(stack, err);
      if (found.isEmpty()) {
        return ExitCodes.FAILED;
      }
      stacks = List.of(found.get());
    } else {
      stacks = s.store().listStacks().stream().filter(r -> r.status() != StackStatus.DELETE_COMPLETE).toList();
    }
    if (output.json()) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      ArrayNode a = root.putArray("Stacks");
      var drift = s.driftInformation(stacks.stream().map(StackRecord::stackId).toList());
      stacks.forEach(r -> a.add(StackViews.stack(r, drift.getOrDefault(r.stackId(),
          org.stacktician.engine.drift.DriftInformation.NOT_CHECKED))));
      StackViews.printJson(out, root);
    } else {
      for (StackRecord r : stacks) {
        StackViews.summary(out, r);
        out.println("  created: " + StackViews.time(r.createdAt()) + " UTC, updated: "
            + StackViews.time(r.updatedAt()) + " UTC");
        if (r.terminationProtection()) {
          out.println("  termination protection: enabled (delete-stack is refused)");
        }
        if (!r.parameters().isEmpty()) {
          out.println("Parameters:");
          for (StackParameter p : r.parameters()) {
            out.println("  " + StackViews.text(p.key()) + " = " + StackViews.text(p.displayValue()));
          }
        }
        out.println();
      }
      if (stacks.isEmpty()) {
        out.println("No stacks.");
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
