package org.stacktician.cli.template;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.stacktician.template.TemplateError;

/** Renders template errors for the CLI: one line each in text, objects with path/line/column/message in JSON. */
public final class ErrorReport {
  private ErrorReport() {}

  /** Prints errors as the template commands do: a JSON object {valid: false, errors} on out, or text on err. */
  public static void print(java.io.PrintWriter out, java.io.PrintWriter err, boolean json, String file,
      List<TemplateError> errors) throws java.io.IOException {
    if (json) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("valid", false);
      root.set("errors", json(errors));
      out.println(ValidateTemplateCommand.JSON.writeValueAsString(root));
    } else {
      err.print(text(file, errors));
    }
    out.flush();
    err.flush();
  }

  public static ArrayNode json(List<TemplateError> errors) {
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    for (TemplateError e : errors) {
      ObjectNode o = list.addObject();
      o.put("path", e.path());
      o.put("line", e.line());
      o.put("column", e.column());
      o.put("message", e.message());
    }
    return list;
  }

  /** Prints warnings on {@code err}, one line each: {@code warning: FILE:LINE:COLUMN: PATH: message}. */
  public static void warnings(java.io.PrintWriter err, String file, List<TemplateError> warnings) {
    for (TemplateError w : warnings) {
      err.print("warning: " + located(file, w));
      err.println(w.message());
    }
    err.flush();
  }

  /** {@code FILE:LINE:COLUMN: PATH: } of a problem (what of it is known). */
  private static String located(String file, TemplateError e) {
    StringBuilder sb = new StringBuilder();
    if (e.line() > 0) {
      sb.append(file).append(':').append(e.line()).append(':').append(e.column()).append(": ");
    }
    if (e.path() != null && !e.path().isEmpty()) {
      sb.append(e.path()).append(": ");
    }
    return sb.toString();
  }

  public static String text(String file, List<TemplateError> errors) {
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(": ").append(errors.size()).append(errors.size() == 1 ? " error" : " errors")
        .append(System.lineSeparator());
    for (TemplateError e : errors) {
      sb.append("  ").append(located(file, e)).append(e.message()).append(System.lineSeparator());
    }
    return sb.toString();
  }
}
