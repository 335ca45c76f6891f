package org.stacktician.cli.stack;

import java.io.PrintWriter;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.stack.StackRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate update-termination-protection}: turn a stack's termination protection on or off. */
@Command(name = "update-termination-protection", mixinStandardHelpOptions = true,
    description = {"Turn a stack's termination protection on (--enable: delete-stack is refused) or off (--disable).",
        "A nested stack takes its root stack's protection; update the root stack."})
public final class UpdateTerminationProtectionCommand extends StateCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stack;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Choice choice;

  /** Exactly one of --enable and --disable. */
  static final class Choice {
    @Option(names = "--enable", required = true, description = "Refuse delete-stack.") boolean enable;

    @Option(names = "--disable", required = true, description = "Allow delete-stack again.") boolean disable;
  }

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    StackRecord updated = StackEngine.updateTerminationProtection(s.store(), stack, choice.enable);
    out.println("Termination protection of stack " + StackViews.text(updated.stackName()) + " is "
        + (updated.terminationProtection() ? "enabled" : "disabled") + ".");
    out.println("  id: " + StackViews.text(updated.stackId()));
    out.flush();
    return ExitCodes.OK;
  }
}
