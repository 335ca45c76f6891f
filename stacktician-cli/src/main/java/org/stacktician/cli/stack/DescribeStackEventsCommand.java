package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate describe-stack-events}: every status transition of a stack, newest first. */
@Command(name = "describe-stack-events", mixinStandardHelpOptions = true,
    description = "Show a stack's events, newest first as CloudFormation lists them (--oldest-first for a log).")
public final class DescribeStackEventsCommand extends StateCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "A stack name or id.")
  String stack;

  @Option(names = "--oldest-first", description = "List the events in the order they happened.")
  boolean oldestFirst;

  @Mixin OutputOptions output;

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    var found = s.find(stack, err);
    if (found.isEmpty()) {
      return ExitCodes.FAILED;
    }
    StackRecord r = found.get();
    List<StackEvent> events = new ArrayList<>(s.store().events(r.stackId(), 0));
    if (!oldestFirst) {
      Collections.reverse(events);
    }
    if (output.json()) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.set("StackEvents", StackViews.events(events));
      StackViews.printJson(out, root);
    } else {
      StackViews.eventHeader(out);
      events.forEach(e -> StackViews.eventRow(out, e));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
