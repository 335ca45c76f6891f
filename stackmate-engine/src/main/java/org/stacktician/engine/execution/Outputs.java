package org.stacktician.engine.execution;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlannedOutput;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceValues;

/** Evaluates a stack's outputs (and their export names) once every resource exists. */
final class Outputs {
  private Outputs() {}

  /** The outputs, or the first error (then {@code outputs} is empty). */
  record Evaluated(List<StackOutput> outputs, String error) {}

  static Evaluated evaluate(Plan plan, ResourceValues values, Collection<String> secrets) {
    List<StackOutput> out = new ArrayList<>();
    for (Map.Entry<String, PlannedOutput> e : plan.outputs().entrySet()) {
      PlannedOutput o = e.getValue();
      String base = "Outputs/" + e.getKey();
      Resolution value = plan.evaluator().resolve(o.value(), base + "/Value", values);
      if (!(value instanceof Resolution.Resolved resolved)) {
        return new Evaluated(List.of(), "Output " + e.getKey() + " could not be evaluated: " + describe(value));
      }
      String exportName = null;
      if (o.export() != null && !o.export().isNull() && !o.export().isMissingNode()) {
        JsonNode nameExpr = o.export().has("Name") ? o.export().get("Name") : o.export();
        Resolution name = plan.evaluator().resolve(nameExpr, base + "/Export/Name", values);
        if (!(name instanceof Resolution.Resolved rn) || !rn.value().isValueNode()) {
          return new Evaluated(List.of(), "Export name of output " + e.getKey() + " could not be evaluated: "
              + describe(name));
        }
        exportName = rn.value().asText();
      }
      String text = text(resolved.value());
      boolean secret = secrets.stream().anyMatch(s -> s != null && !s.isEmpty() && text.contains(s));
      out.add(new StackOutput(e.getKey(), text, o.description(), exportName, secret));
    }
    return new Evaluated(out, null);
  }

  private static String text(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
      return String.join(",", parts);
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static String describe(Resolution r) {
    return switch (r) {
      case Resolution.Resolved x -> "not a single value";
      case Resolution.Deferred d -> "it still needs " + d.waitingOn();
      case Resolution.Failed f -> f.errors().stream().map(e -> e.message()).toList().toString();
    };
  }
}
