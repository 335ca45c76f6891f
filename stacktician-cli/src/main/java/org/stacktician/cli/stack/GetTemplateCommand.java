package org.stacktician.cli.stack;

import java.io.PrintWriter;
import org.stacktician.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stackmate get-template}: the template a stack was created from, exactly as given. */
@Command(name = "get-template", mixinStandardHelpOptions = true,
    description = "Print the template body a stack was created from, exactly as it was given.")
public final class GetTemplateCommand extends StateCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "A stack name or id.")
  String stack;

  @Override
  int run(StackStore s, PrintWriter out, PrintWriter err) {
    var found = s.find(stack, err);
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
