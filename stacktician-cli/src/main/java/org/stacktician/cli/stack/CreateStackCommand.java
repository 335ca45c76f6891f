package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.template.ParameterOptions;
import org.stacktician.cli.template.TemplateInput;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StackAlreadyExistsException;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate create-stack}: create a stack and watch its events until it is done. */
@Command(name = "create-stack", mixinStandardHelpOptions = true,
    description = {"Create a stack from a template and stream its events until it is CREATE_COMPLETE, or has "
        + "rolled back (ROLLBACK_COMPLETE / ROLLBACK_FAILED), or CREATE_FAILED with --disable-rollback.",
        "Exit 0 only when the stack is CREATE_COMPLETE; 1 when it failed or the input is invalid."})
public final class CreateStackCommand extends CloudCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name.")
  String stackName;

  @Option(names = "--template-file", required = true, paramLabel = "FILE", description = "The template (JSON or YAML).")
  Path templateFile;

  @Mixin ParameterOptions parameters;

  @Option(names = "--disable-rollback", description = "Keep what was created when the stack fails (CREATE_FAILED).")
  boolean disableRollback;

  @Option(names = "--timeout-in-minutes", paramLabel = "N", description = "Fail (and roll back) the creation after N minutes.")
  Integer timeoutMinutes;

  @Option(names = "--enable-termination-protection",
      description = "Refuse delete-stack until update-termination-protection --disable turns it off.")
  boolean enableTerminationProtection;

  private TemplateInput.TemplateText template;
  private Map<String, String> values;

  @Override
  Integer checkInput(PrintWriter out, PrintWriter err) {
    try {
      template = TemplateInput.read(templateFile, TemplateLimits.defaults());
      values = parameters.values(template.loaded());
    } catch (TemplateInput.Unreadable | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    if (template.loaded() instanceof LoadResult.Invalid invalid) {
      return rejected(invalid.errors(), out, err);
    }
    if (timeoutMinutes != null && timeoutMinutes < 1) {
      err.println("error: --timeout-in-minutes must be at least 1");
      err.flush();
      return ExitCodes.FAILED;
    }
    return null;
  }

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) throws InterruptedException {
    if (textOutput()) {
      out.println("Creating stack " + stackName + " (" + local.cloudLabel() + ")");
    }
    StackRecord started;
    try {
      started = local.engine().createStack(new CreateStackRequest(stackName, template.body(),
          templateFile.toAbsolutePath().toString(), values, disableRollback, timeoutMinutes, null,
          enableTerminationProtection, null));
    } catch (StackValidationException e) {
      return rejected(e.errors(), out, err);
    } catch (StackAlreadyExistsException e) {
      err.println("error: " + org.stacktician.engine.stack.TerminalText.lines(e.getMessage()) + " (delete it first, or choose another name)");
      err.flush();
      return ExitCodes.FAILED;
    }
    return follow(local, started, out, null, StackStatus.CREATE_COMPLETE);
  }

  private int rejected(List<TemplateError> errors, PrintWriter out, PrintWriter err) {
    return rejected(errors, "the stack was not created", templateFile.toString(), out, err);
  }
}
