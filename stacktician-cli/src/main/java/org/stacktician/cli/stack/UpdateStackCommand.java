package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.template.ErrorReport;
import org.stacktician.cli.template.ParameterOptions;
import org.stacktician.cli.template.TemplateInput;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.stack.TerminalText;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.TemplateLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackmate update-stack}: update a stack to a new template and/or parameter values and watch its events. */
@Command(name = "update-stack", mixinStandardHelpOptions = true,
    description = {"Update a stack to a new template (--template-file) or its current one (--use-previous-template) "
        + "with new parameter values (-p K=V; -p K=UsePreviousValue keeps a value; a parameter not given takes its "
        + "default), and stream the events until it is UPDATE_COMPLETE or rolled back (UPDATE_ROLLBACK_COMPLETE / "
        + "UPDATE_ROLLBACK_FAILED). Resources are changed in place where their type allows it, else replaced (the "
        + "new one first, the old one deleted at the end); `stackmate plan --stack NAME` shows which beforehand.",
        "Exit 0 only when the stack is UPDATE_COMPLETE; 1 when it rolled back (or, with --disable-rollback, stopped "
        + "UPDATE_FAILED), the input is invalid or nothing changes (\"No updates are to be performed.\")."})
public final class UpdateStackCommand implements Callable<Integer> {
  @Mixin LoggingOptions logging;
  @Mixin CloudOptions cloud;
  @Mixin StateOptions state;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @ArgGroup(exclusive = true, multiplicity = "1")
  TemplateChoice template;

  /** Where the new template comes from. */
  static final class TemplateChoice {
    @Option(names = "--template-file", paramLabel = "FILE", description = "The new template (JSON or YAML).")
    Path templateFile;

    @Option(names = "--use-previous-template", description = "Keep the stack's current template.")
    boolean usePrevious;
  }

  @Mixin ParameterOptions parameters;

  @Option(names = "--disable-rollback", description = "When the update fails, leave the stack UPDATE_FAILED with "
      + "what it changed as it is, instead of rolling back (then: update-stack again, rollback-stack, or delete-stack).")
  boolean disableRollback;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file = template.templateFile;
    TemplateInput.TemplateText text = null;
    try {
      if (file != null) {
        text = TemplateInput.read(file, TemplateLimits.defaults());
        if (text.loaded() instanceof LoadResult.Invalid invalid) {
          return rejected(invalid.errors(), out, err);
        }
      }
    } catch (TemplateInput.Unreadable e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    LocalStackmate opened = LocalStackmate.openOrReport(cloud, state, err);
    if (opened == null) {
      return ExitCodes.FAILED;
    }
    try (LocalStackmate local = opened) {
      Optional<StackRecord> current = local.engine().describeStack(stackName);
      if (current.isEmpty()) {
        err.println("error: Stack with id " + stackName + " does not exist");
        err.flush();
        return ExitCodes.FAILED;
      }
      Map<String, UpdateRequest.ParameterValue> values = new LinkedHashMap<>();
      try {
        // The template's declared parameters decide how a -p value's ';' reads (as for create-stack).
        LoadResult declared = text != null ? text.loaded()
            : TemplateLoader.load(current.get().templateBody(), "current template of " + stackName);
        parameters.values(declared).forEach((k, v) -> values.put(k, UpdateRequest.ParameterValue.parse(v)));
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return ExitCodes.FAILED;
      }
      boolean plain = !output.json();
      StackRecord started;
      try {
        started = local.engine().updateStack(current.get().stackId(), new UpdateRequest(text == null ? null
            : text.body(), values, disableRollback), file == null ? null : file.toAbsolutePath().toString());
      } catch (StackValidationException e) {
        return rejected(e.errors(), out, err);
      } catch (StackOperationException e) {
        err.println("error: " + TerminalText.lines(e.getMessage()));
        err.flush();
        return ExitCodes.FAILED;
      }
      if (plain) {
        out.println("Updating stack " + started.stackName() + " (" + local.cloudLabel() + ")");
      }
      return StackRun.finish(local, started, out, plain, Duration.ofHours(13), StackStatus.UPDATE_COMPLETE);
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
      String source = template.templateFile != null ? template.templateFile.toString()
          : "current template of " + stackName;
      err.print("error: the stack was not updated; " + ErrorReport.text(source, errors));
      err.flush();
    }
    return ExitCodes.FAILED;
  }
}
