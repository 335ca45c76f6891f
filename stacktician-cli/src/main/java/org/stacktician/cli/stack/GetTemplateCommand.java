package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate get-template}: the template a stack was created from, exactly as given. */
@Command(name = "get-template", mixinStandardHelpOptions = true,
    description = "Print the template body a stack was created from, exactly as it was given.")
public final class GetTemplateCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin StateOptions state;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "A stack name or id.")
  String stack;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    try (StackStore s = new StackStore(state)) {
      var found = s.find(stack, spec.commandLine().getErr());
      if (found.isEmpty()) {
        return ExitCodes.FAILED;
      }
      String body = found.get().templateBody();
      out.print(body);
      if (!body.endsWith("\n")) {
        out.println();
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
