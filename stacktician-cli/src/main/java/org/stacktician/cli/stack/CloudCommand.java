package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.template.ErrorReport;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.template.TemplateError;
import picocli.CommandLine.Mixin;

/**
 * A command that works on stacks in a cloud (create, update, delete, watch, change sets, drift): the options they all
 * take, and one run of each: its input checked before anything opens, the state and cloud opened (or why not), the
 * command's work, an operation the engine refuses reported as {@code error: MESSAGE} (exit 1), everything closed.
 */
abstract class CloudCommand extends LocalCommand {
  /** How long a command follows an operation at the most (longer than any resource may take). */
  private static final Duration FOLLOW_LIMIT = Duration.ofHours(13);

  @Mixin CloudOptions cloud;
  @Mixin StateOptions state;
  @Mixin OutputOptions output;

  @Override
  final int call(PrintWriter out, PrintWriter err) throws Exception {
    Integer refused = checkInput(out, err);
    if (refused != null) {
      return refused;
    }
    LocalStackmate opened = LocalStackmate.openOrReport(cloud, state, err);
    if (opened == null) {
      return ExitCodes.FAILED;
    }
    try (LocalStackmate local = opened) {
      return run(local, out, err);
    } catch (StackOperationException e) {
      return StackViews.error(err, e.getMessage());
    }
  }

  /** Reads and checks the command's input before the state and cloud are opened: the exit code of a refusal, or null. */
  Integer checkInput(PrintWriter out, PrintWriter err) {
    return null;
  }

  /**
   * The command's work on the opened state and cloud; returns the exit code.
   *
   * @throws StackOperationException when the engine refuses the operation (reported as {@code error: MESSAGE})
   */
  abstract int run(LocalStackmate local, PrintWriter out, PrintWriter err) throws Exception;

  /** True when the output is text (the live events table), false for JSON. */
  final boolean textOutput() {
    return !output.json();
  }

  /**
   * Follows a started operation to its end: {@code heading} (text output; none when null), then the events as they
   * happen and the summary, or the JSON of the stack and its events; exit 0 only when it ends in {@code success}.
   */
  final int follow(LocalStackmate local, StackRecord started, PrintWriter out, String heading, StackStatus success)
      throws InterruptedException {
    if (textOutput() && heading != null) {
      out.println(heading);
    }
    return StackRun.finish(local, started, out, textOutput(), FOLLOW_LIMIT, success);
  }

  /**
   * Reports a template or parameters that were refused, in validate-template's shape for JSON, else as {@code error:
   * NOT-DONE; } with each error at its place in {@code source}; the exit code of a failure.
   */
  final int rejected(List<TemplateError> errors, String notDone, String source, PrintWriter out, PrintWriter err) {
    if (output.json()) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("valid", false);
      root.set("errors", ErrorReport.json(errors));
      StackViews.printJson(out, root);
      out.flush();
    } else {
      err.print("error: " + notDone + "; " + ErrorReport.text(source, errors));
      err.flush();
    }
    return ExitCodes.FAILED;
  }
}
