package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.stacktician.server.cfn.CfnApi.Action;
import org.stacktician.server.cfn.CfnApi.Reply;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.templates.TemplateValidation;
import org.stacktician.template.ParameterDefinition;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.Template;

/** The template actions: GetTemplate, GetTemplateSummary and ValidateTemplate, validated as validate-template does. */
final class TemplateActions {
  private final ServerEngine.Holder stacks;

  private TemplateActions(ServerEngine.Holder stacks) {
    this.stacks = stacks;
  }

  static void register(Map<String, Action> actions, ServerEngine.Holder stacks) {
    TemplateActions a = new TemplateActions(stacks);
    actions.put("GetTemplate", a::getTemplate);
    actions.put("GetTemplateSummary", a::getTemplateSummary);
    actions.put("ValidateTemplate", (caller, p) -> new Reply.Result(validateTemplate(p)));
  }

  /** The request's TemplateBody (this server reads no TemplateURL). */
  static String body(QueryParams p) {
    String body = p.text("TemplateBody");
    if (p.text("TemplateURL") != null) {
      throw CfnError.validation(body != null ? "Specify exactly one of TemplateBody or TemplateURL."
          : "TemplateURL is not supported by this server: send the template in TemplateBody");
    }
    if (body == null) {
      throw CfnError.validation("Either Template URL or Template Body must be specified.");
    }
    return body;
  }

  /** A valid template, or the ValidationError that lists every error with its path, line and column. */
  static Template valid(String body) {
    TemplateValidation.Result result = TemplateValidation.validate(body, "TemplateBody");
    if (!result.valid()) {
      throw CfnError.validation("Template format error: " + result.errors().stream().map(Object::toString)
          .collect(Collectors.joining("; ")));
    }
    return result.template();
  }

  private Reply getTemplate(org.stacktician.server.users.Caller caller, QueryParams p) {
    String stage = p.text("TemplateStage");
    if (stage != null && !stage.equals("Original") && !stage.equals("Processed")) {
      throw CfnError.validation("Value '" + stage + "' at 'templateStage' failed to satisfy constraint: Member must"
          + " satisfy enum value set: [Original, Processed]");
    }
    String changeSet = p.text("ChangeSetName");
    String body = changeSet != null
        ? ChangeSetActions.named(stacks, caller, changeSet, p.text("StackName")).changeSet().templateBody()
        : stacks.service().templateBody(stacks.service().find(caller, p.required("StackName")));
    ObjectNode out = CfnShapes.object();
    out.put("TemplateBody", body);
    out.putArray("StagesAvailable").add("Original").add("Processed");
    return new Reply.Result(out);
  }

  private Reply getTemplateSummary(org.stacktician.server.users.Caller caller, QueryParams p) {
    String stack = p.text("StackName");
    if (stack != null && (p.text("TemplateBody") != null || p.text("TemplateURL") != null)) {
      throw CfnError.validation("Specify exactly one of TemplateBody, TemplateURL or StackName.");
    }
    Template t = valid(stack != null ? stacks.service().templateBody(stacks.service().find(caller, stack)) : body(p));
    ObjectNode out = CfnShapes.object();
    ArrayNode params = out.putArray("Parameters");
    for (ParameterDefinition d : t.parameters().values()) {
      ObjectNode o = params.addObject();
      o.put("ParameterKey", d.name());
      o.put("DefaultValue", defaultValue(d));
      o.put("ParameterType", d.type());
      o.put("NoEcho", d.noEcho());
      o.put("Description", d.description());
      ArrayNode allowed = o.putObject("ParameterConstraints").putArray("AllowedValues");
      d.allowedValues().forEach(allowed::add);
    }
    out.put("Description", t.description());
    out.putArray("Capabilities");
    Set<String> types = new LinkedHashSet<>();
    for (ResourceDefinition r : t.resources().values()) {
      types.add(r.type());
    }
    ArrayNode typeList = out.putArray("ResourceTypes");
    types.forEach(typeList::add);
    out.put("Version", t.formatVersion());
    JsonNode metadata = t.metadata();
    out.put("Metadata", metadata == null || metadata.isNull() || metadata.isMissingNode() ? null : metadata.toString());
    out.putArray("DeclaredTransforms");
    return new Reply.Result(out);
  }

  private static ObjectNode validateTemplate(QueryParams p) {
    Template t = valid(body(p));
    ObjectNode out = CfnShapes.object();
    ArrayNode params = out.putArray("Parameters");
    for (ParameterDefinition d : t.parameters().values()) {
      params.addObject().put("ParameterKey", d.name()).put("DefaultValue", defaultValue(d)).put("NoEcho", d.noEcho())
          .put("Description", d.description());
    }
    out.put("Description", t.description());
    out.putArray("Capabilities");
    out.putArray("DeclaredTransforms");
    return out;
  }

  /** A parameter's Default as text (a list's items joined with commas), masked when NoEcho. */
  private static String defaultValue(ParameterDefinition d) {
    JsonNode v = d.defaultValue();
    if (v == null || v.isNull()) {
      return null;
    }
    if (d.noEcho()) {
      return "****";
    }
    if (v.isArray()) {
      java.util.List<String> parts = new java.util.ArrayList<>();
      v.forEach(x -> parts.add(x.asText()));
      return String.join(",", parts);
    }
    return v.asText();
  }
}
