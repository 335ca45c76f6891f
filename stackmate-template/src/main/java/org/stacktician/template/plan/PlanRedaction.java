package org.stacktician.template.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stacktician.template.Evaluator;
import org.stacktician.template.Plan;
import org.stacktician.template.PlannedOutput;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceValues;

/**
 * Makes a plan safe to show: every NoEcho parameter's value becomes {@code ****} and everything
 * derived from it is resolved again with the mask, so the secret cannot appear even inside a
 * Join, Sub or Base64 result; as a second guard a string equal to a secret is masked (not parts of
 * strings: a username such as {@code admin} must not mangle {@code mysqladmin} in a script).
 * Condition values are kept (CloudFormation shows them too).
 */
public final class PlanRedaction {
  private PlanRedaction() {}

  /** A copy of {@code plan} with NoEcho values masked; the same plan when there are none. */
  public static Plan redact(Plan plan) {
    List<String> secrets = new ArrayList<>();
    Map<String, ResolvedParameter> masked = new LinkedHashMap<>();
    for (ResolvedParameter p : plan.parameters().values()) {
      if (p.noEcho()) {
        collect(p.value(), secrets);
        masked.put(p.name(), new ResolvedParameter(p.name(), p.type(), mask(p.value()), true));
      } else {
        masked.put(p.name(), p);
      }
    }
    if (secrets.isEmpty() && masked.values().stream().noneMatch(ResolvedParameter::noEcho)) {
      return plan;
    }
    Evaluator display = plan.evaluator().withParameters(masked);
    Map<String, PlannedResource> resources = new LinkedHashMap<>();
    for (PlannedResource r : plan.resources().values()) {
      ObjectNode properties = r.properties();
      if (r.included()) {
        JsonNode shown = shown(display, r.definition().properties(), "Resources/" + r.logicalId() + "/Properties");
        properties = shown instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
      }
      resources.put(r.logicalId(), new PlannedResource(r.logicalId(), r.type(), r.included(), r.dependsOn(),
          (ObjectNode) scrub(properties, secrets), r.definition()));
    }
    Map<String, PlannedOutput> outputs = new LinkedHashMap<>();
    for (PlannedOutput o : plan.outputs().values()) {
      var definition = plan.template().outputs().get(o.name());
      JsonNode value = scrub(shown(display, definition.value(), "Outputs/" + o.name() + "/Value"), secrets);
      JsonNode export = o.export() == null ? null
          : scrub(shown(display, definition.exportName(), "Outputs/" + o.name() + "/Export/Name"), secrets);
      outputs.put(o.name(), new PlannedOutput(o.name(), value, export, o.description()));
    }
    return new Plan(plan.template(), masked, plan.conditions(), resources, plan.waves(), outputs, display);
  }

  private static JsonNode shown(Evaluator display, JsonNode expression, String path) {
    Resolution r = display.resolve(expression, path, ResourceValues.NONE);
    return switch (r) {
      case Resolution.Resolved resolved -> resolved.value();
      case Resolution.Deferred deferred -> deferred.partial();
      case Resolution.Failed failed -> expression;
    };
  }

  private static JsonNode mask(JsonNode value) {
    if (value.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      value.forEach(v -> a.add(ResolvedParameter.MASK));
      return a;
    }
    return TextNode.valueOf(ResolvedParameter.MASK);
  }

  private static void collect(JsonNode value, List<String> secrets) {
    if (value.isArray()) {
      value.forEach(v -> collect(v, secrets));
    } else if (!value.asText().isEmpty()) {
      secrets.add(value.asText());
    }
  }

  private static JsonNode scrub(JsonNode node, List<String> secrets) {
    if (secrets.isEmpty() || node == null) {
      return node;
    }
    if (node.isTextual()) {
      return secrets.contains(node.textValue()) ? TextNode.valueOf(ResolvedParameter.MASK) : node;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), scrub(e.getValue(), secrets)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(v -> copy.add(scrub(v, secrets)));
      return copy;
    }
    return node;
  }
}
