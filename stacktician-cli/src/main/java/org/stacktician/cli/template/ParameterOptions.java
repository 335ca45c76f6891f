package org.stacktician.cli.template;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.template.LoadResult;
import org.stacktician.template.parameters.ParameterSyntax;
import picocli.CommandLine.Option;

/** The parameter options of {@code plan} and {@code create-stack}: {@code -p} values and {@code --parameters-file}. */
public final class ParameterOptions {
  static final int MAX_PARAMETERS_FILE_BYTES = 1_048_576;

  @Option(names = {"-p", "--parameter", "--parameters"}, paramLabel = "PARAM",
      description = {"A parameter value; repeatable. Forms: K=V (the value taken whole), \"K=V;K2=V2\" "
          + "(the original StackMate's, when every part names a declared parameter), or "
          + "ParameterKey=K,ParameterValue=V (the AWS CLI's). Later values override earlier ones and the file's."})
  List<String> parameters = new ArrayList<>();

  @Option(names = "--parameters-file", paramLabel = "FILE",
      description = "Parameter values in the AWS CLI's JSON format: [{\"ParameterKey\": \"K\", \"ParameterValue\": \"V\"}].")
  Path parametersFile;

  /**
   * The values: the file's, then the {@code -p} options over them. The template's parameter names
   * (none when it did not load, or is null) decide whether a {@code -p} value's {@code ;} separates parameters.
   *
   * @throws IllegalArgumentException with a message for the user when a value or the file is malformed or unreadable
   */
  public Map<String, String> values(LoadResult template) {
    Set<String> declared = template instanceof LoadResult.Loaded loaded ? loaded.template().parameters().keySet()
        : Set.of();
    Map<String, String> values = new LinkedHashMap<>();
    if (parametersFile != null) {
      try {
        byte[] bytes = TemplateInput.read(parametersFile, MAX_PARAMETERS_FILE_BYTES);
        if (bytes.length > MAX_PARAMETERS_FILE_BYTES) {
          throw new IllegalArgumentException(parametersFile + " is larger than " + MAX_PARAMETERS_FILE_BYTES + " bytes");
        }
        values.putAll(ParameterSyntax.parseJsonFile(new String(bytes, StandardCharsets.UTF_8)));
      } catch (TemplateInput.Unreadable e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
    values.putAll(ParameterSyntax.parseOptions(parameters, declared));
    return values;
  }
}
