package org.stacktician.cli.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stacktician.cli.OutputOptions;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.LoggingOptions;
import org.stacktician.cli.template.ParameterOptions;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StackAlreadyExistsException;
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
  static final int MAX_FILE_BYTES = 1_048_576;

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

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String body;
    Map<String, String> values;
    try {
      body = read(templateFile);
      values = parameters.values();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
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
        started = local.engine().createStack(new CreateStackRequest(stackName, body, templateFile.toString(), values,
            disableRollback, timeoutMinutes, null));
      } catch (StackValidationException e) {
        err.println("error: the stack was not created; " + e.errors().size() + " problem(s) in "
            + templateFile + " or its parameters:");
        e.errors().forEach(te -> err.println("  " + te));
        err.flush();
        return ExitCodes.FAILED;
      } catch (StackAlreadyExistsException e) {
        err.println("error: " + e.getMessage() + " (delete it first, or choose another name)");
        err.flush();
        return ExitCodes.FAILED;
      }
      return StackRun.finish(local, started, out, text, Duration.ofHours(13), StackStatus.CREATE_COMPLETE);
    }
  }

  static String read(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
