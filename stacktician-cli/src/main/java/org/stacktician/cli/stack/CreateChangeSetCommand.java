package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.template.ParameterOptions;
import org.stacktician.cli.template.TemplateInput;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.change.ChangeSetRecord;
import org.stacktician.engine.change.ChangeSets;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.TemplateLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate create-change-set}: compute and store what an update of a stack would do. */
@Command(name = "create-change-set", mixinStandardHelpOptions = true,
    description = {"Compute what updating a stack to a template and parameter values would do to each resource "
        + "(Add, Modify in place or by replacement, Remove), with no cloud change, and store it as a change set to "
        + "review (describe-change-set) and run (execute-change-set).",
        "-p K=UsePreviousValue keeps a parameter's current value. Exit 0 when the change set is CREATE_COMPLETE; "
        + "1 when it FAILED (e.g. it would change nothing) or the input is invalid."})
public final class CreateChangeSetCommand extends CloudCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Option(names = "--change-set-name", required = true, paramLabel = "CS", description = "The change set's name.")
  String changeSetName;

  @ArgGroup(exclusive = true, multiplicity = "1")
  TemplateChoice template;

  /** Exactly one of --template-file and --use-previous-template. */
  static final class TemplateChoice {
    @Option(names = "--template-file", required = true, paramLabel = "FILE", description = "The new template.")
    Path file;

    @Option(names = "--use-previous-template", required = true, description = "Keep the stack's template.")
    boolean usePrevious;
  }

  @Mixin ParameterOptions parameters;

  @Option(names = "--description", paramLabel = "TEXT", description = "What the change set is for.")
  String description;

  private TemplateInput.TemplateText text;

  @Override
  Integer checkInput(PrintWriter out, PrintWriter err) {
    try {
      if (template.file != null) {
        text = TemplateInput.read(template.file, TemplateLimits.defaults());
      }
    } catch (TemplateInput.Unreadable e) {
      return StackViews.error(err, e.getMessage());
    }
    return null;
  }

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) {
    Map<String, UpdateRequest.ParameterValue> values = new LinkedHashMap<>();
    try {
      // The template decides whether a -p value's ';' separates parameters: the new one, or the stack's.
      LoadResult declared = text != null ? text.loaded() : local.engine().describeStack(stackName)
          .map(s -> TemplateLoader.load(s.templateBody(), "current template")).orElse(null);
      parameters.values(declared).forEach((k, v) -> values.put(k, UpdateRequest.ParameterValue.parse(v)));
    } catch (IllegalArgumentException e) {
      return StackViews.error(err, e.getMessage());
    }
    ChangeSetRecord cs;
    try {
      cs = local.engine().createChangeSet(new ChangeSets.Request(stackName, changeSetName,
          new UpdateRequest(text == null ? null : text.body(), values),
          template.file == null ? null : template.file.toAbsolutePath().toString(), description));
    } catch (StackValidationException e) {
      return rejected(e.errors(), "the change set was not created", template.file == null
          ? "current template of " + stackName : template.file.toString(), out, err);
    }
    if (output.json()) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("Id", cs.changeSetId());
      root.put("StackId", cs.stackId());
      StackViews.printJson(out, root);
    } else {
      StackRecord stack = local.engine().describeStack(cs.stackId()).orElseThrow();
      ChangeSetViews.header(out, cs);
      out.print(PlanStackChanges.text(stack, cs.changeSet()));
    }
    out.flush();
    if (cs.status() == ChangeSetRecord.Status.FAILED) {
      err.println("error: change set " + StackViews.text(cs.changeSetName()) + " FAILED: " + cs.statusReason());
      err.flush();
      return ExitCodes.FAILED;
    }
    return ExitCodes.OK;
  }
}
