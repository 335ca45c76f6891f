package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.template.ErrorReport;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate create-stack}: create a stack and watch its events until it is done. */
@Command(name = "create-stack", mixinStandardHelpOptions = true,
    description = {"Create a stack from a template and stream its events until it is CREATE_COMPLETE, or has "
        + "rolled back (ROLLBACK_COMPLETE / ROLLBACK_FAILED), or CREATE_FAILED with --disable-rollback.",
        "Exit 0 only when the stack is CREATE_COMPLETE; 1 when it failed or the input is invalid."})
public final class CreateStackCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin CloudOptions cloud;
  @Mixin StateOptions state;
  @Spec CommandSpec spec;

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

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TemplateInput.TemplateText template;
    Map<String, String> values;
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
    LocalStackmate opened = LocalStackmate.openOrReport(cloud, state, err);
    if (opened == null) {
      return ExitCodes.FAILED;
    }
    try (LocalStackmate local = opened) {
      boolean text = !output.json();
      if (text) {
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
      return StackRun.finish(local, started, out, text, Duration.ofHours(13), StackStatus.CREATE_COMPLETE);
    }
  }

  /** Reports a template or parameters that were refused, in validate-template's shape for JSON. */
  private int rejected(List<TemplateError> errors, PrintWriter out, PrintWriter err) {
    if (output.json()) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("valid", false);
      root.set("errors", ErrorReport.json(errors));
      StackViews.printJson(out, root);
      out.flush();
    } else {
      err.print("error: the stack was not created; " + ErrorReport.text(templateFile.toString(), errors));
      err.flush();
    }
    return ExitCodes.FAILED;
  }
}
