package org.stacktician.cloudstack.client.catalog;

import java.util.List;
import java.util.Optional;

/** One CloudStack API command as {@code listApis} describes it. */
public record ApiDefinition(String name, String description, boolean async, List<ApiParameter> parameters,
    List<ResponseField> responseFields, String since) {

  public ApiDefinition {
    parameters = List.copyOf(parameters);
    responseFields = List.copyOf(responseFields);
  }

  /** The parameter with this name (CloudStack parameter names are matched case-insensitively). */
  public Optional<ApiParameter> parameter(String parameterName) {
    return parameters.stream().filter(p -> p.name().equalsIgnoreCase(parameterName)).findFirst();
  }

  /** The top-level response field with this name. */
  public Optional<ResponseField> responseField(String fieldName) {
    return responseFields.stream().filter(f -> f.name().equalsIgnoreCase(fieldName)).findFirst();
  }

  /** Read-only by CloudStack's naming convention ({@code list*, get*, query*, find*}): safe to send by GET and to retry. */
  public static boolean isReadOnlyCommand(String command) {
    return command.startsWith("list") || command.startsWith("get") || command.startsWith("query")
        || command.startsWith("find");
  }
}
