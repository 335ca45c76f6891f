package org.stacktician.template.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.stacktician.template.Evaluator;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.validate.TemplateValidator;

/**
 * The one place a resource's DeletionPolicy and UpdateReplacePolicy are resolved: written as a
 * literal they are already in the definition; written with {@code Ref} or {@code Fn::If} (under
 * {@code AWS::LanguageExtensions}) they are resolved here with the stack's parameters and
 * conditions, and the plan (and so the engine) sees only the resolved policy.
 */
final class ResourcePolicies {
  private ResourcePolicies() {}

  /** {@code r} with its policies resolved; errors are added when one resolves to no policy. */
  static ResourceDefinition resolve(ResourceDefinition r, Template template, Evaluator evaluator,
      List<TemplateError> errors) {
    if (template.sourceMap() == null) {
      return r;
    }
    JsonNode written = template.sourceMap().root().path("Resources").path(r.logicalId());
    String deletion = r.deletionPolicy();
    String updateReplace = r.updateReplacePolicy();
    if (written.path("DeletionPolicy").isObject()) {
      deletion = resolve(written.get("DeletionPolicy"), r.logicalId(), "DeletionPolicy",
          TemplateValidator.DELETION_POLICIES, template, evaluator, errors);
    }
    if (written.path("UpdateReplacePolicy").isObject()) {
      updateReplace = resolve(written.get("UpdateReplacePolicy"), r.logicalId(), "UpdateReplacePolicy",
          TemplateValidator.UPDATE_REPLACE_POLICIES, template, evaluator, errors);
    }
    if (deletion == r.deletionPolicy() && updateReplace == r.updateReplacePolicy()) {
      return r;
    }
    return new ResourceDefinition(r.logicalId(), r.type(), r.properties(), r.dependsOn(), r.condition(), deletion,
        updateReplace, r.creationPolicy(), r.updatePolicy(), r.metadata());
  }

  private static String resolve(JsonNode expression, String id, String field, Set<String> allowed, Template template,
      Evaluator evaluator, List<TemplateError> errors) {
    String path = "Resources/" + id + "/" + field;
    Resolution resolution = evaluator.resolve(expression, path, ResourceValues.NONE);
    if (resolution instanceof Resolution.Failed f) {
      errors.addAll(f.errors());
      return null;
    }
    JsonNode value = resolution instanceof Resolution.Resolved r ? r.value() : null;
    if (value == null || !value.isTextual() || !allowed.contains(value.textValue())) {
      errors.add(template.sourceMap().error(path, "Template format error: " + field + " of " + id + " must be one of "
          + new TreeSet<>(allowed) + (value != null && value.isTextual() ? ", not " + value.textValue() : "")));
      return null;
    }
    return value.textValue();
  }
}
