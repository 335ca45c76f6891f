package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.template.ParameterOptions;
import org.stacktician.cli.template.TemplateInput;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.TemplateLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate update-stack}: update a stack to a new template and/or parameter values and watch its events. */
@Command(name = "update-stack", mixinStandardHelpOptions = true,
    description = {"Update a stack to a new template (--template-file) or its current one (--use-previous-template) "
        + "with new parameter values (-p K=V; -p K=UsePreviousValue keeps a value; a parameter not given takes its "
        + "default), and stream the events until it is UPDATE_COMPLETE or rolled back (UPDATE_ROLLBACK_COMPLETE / "
        + "UPDATE_ROLLBACK_FAILED). Resources are changed in place where their type allows it, else replaced (the "
        + "new one first, the old one deleted at the end); `stackmate plan --stack NAME` shows which beforehand.",
        "Exit 0 only when the stack is UPDATE_COMPLETE; 1 when it rolled back (or, with --disable-rollback, stopped "
        + "UPDATE_FAILED), the input is invalid or nothing changes (\"No updates are to be performed.\")."})
public final class UpdateStackCommand extends CloudCommand {
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

  private TemplateInput.TemplateText text;

  @Override
  Integer checkInput(PrintWriter out, PrintWriter err) {
    Path file = template.templateFile;
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
    return null;
  }

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) throws InterruptedException {
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
    Path file = template.templateFile;
    StackRecord started;
    try {
      started = local.engine().updateStack(current.get().stackId(), new UpdateRequest(text == null ? null
          : text.body(), values, disableRollback), file == null ? null : file.toAbsolutePath().toString());
    } catch (StackValidationException e) {
      return rejected(e.errors(), out, err);
    }
    return follow(local, started, out, "Updating stack " + started.stackName() + " (" + local.cloudLabel() + ")",
        StackStatus.UPDATE_COMPLETE);
  }

  private int rejected(List<TemplateError> errors, PrintWriter out, PrintWriter err) {
    return rejected(errors, "the stack was not updated", template.templateFile != null
        ? template.templateFile.toString() : "current template of " + stackName, out, err);
  }
}
