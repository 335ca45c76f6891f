package org.stacktician.template;

/**
 * One problem in a template or its parameters: where it is (a path such as {@code
 * Resources/Web/Properties/ImageId} and a 1-based line and column, 0 when unknown) and what is wrong.
 */
public record TemplateError(String path, int line, int column, String message) {
  /** An error that has no position in the template text (for example a missing parameter value). */
  public static TemplateError of(String path, String message) {
    return new TemplateError(path, 0, 0, message);
  }

  /** {@code path (line:column): message}, the form the CLI prints. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (path != null && !path.isEmpty()) {
      sb.append(path);
    }
    if (line > 0) {
      sb.append(sb.isEmpty() ? "" : " ").append('(').append(line).append(':').append(column).append(')');
    }
    if (!sb.isEmpty()) {
      sb.append(": ");
    }
    return sb.append(message).toString();
  }
}
