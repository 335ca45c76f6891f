package org.stacktician.template.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.template.LoadResult;
import org.stacktician.template.OutputDefinition;
import org.stacktician.template.ParameterDefinition;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.SourceMap;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.functions.ConditionEvaluator;
import org.stacktician.template.functions.Intrinsics;
import org.stacktician.template.functions.Intrinsics.Section;
import org.stacktician.template.extensions.ForEachExpander;
import org.stacktician.template.extensions.LanguageExtensions;
import org.stacktician.template.graph.DependencyGraph;
import org.stacktician.template.parameters.ParameterReader;
import org.stacktician.template.parse.ParsedDocument;
import org.stacktician.template.rules.RuleReader;

/**
 * Validates a parsed template the way CloudFormation's ValidateTemplate and CreateStack do before
 * anything is created: sections and their members, logical ids, limits, every intrinsic function's
 * shape and references, condition references, and the resource dependency graph (cycles are
 * reported with their members). Every error is collected; none stops the others from being found.
 * Resource types are only checked for shape ({@code Vendor::Service::Type}); whether a provider
 * exists for a type is the engine's concern.
 */
public final class TemplateValidator {
  /** A resource type: 2 to 4 parts joined by {@code ::}, letters and digits (later parts also {@code _} and {@code -}). */
  static boolean isResourceType(String type) {
    int parts = 0;
    int start = 0;
    while (true) {
      int sep = type.indexOf("::", start);
      int end = sep < 0 ? type.length() : sep;
      if (end == start) {
        return false;
      }
      for (int j = start; j < end; j++) {
        char c = type.charAt(j);
        if (!(isAlphanumeric(c) || (parts > 0 && (c == '_' || c == '-')))) {
          return false;
        }
      }
      parts++;
      if (sep < 0) {
        return parts >= 2 && parts <= 4;
      }
      start = sep + 2;
    }
  }

  /** A logical id: ASCII letters and digits only (a plain loop: regular expressions were a hot spot). */
  static boolean isLogicalId(String id) {
    if (id.isEmpty()) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isAlphanumeric(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  static final String FORMAT_VERSION = "2010-09-09";
  static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters",
      "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "CSTemplateFormatVersion");
  static final Set<String> RESOURCE_ATTRIBUTES = Set.of("Type", "Properties", "DependsOn", "Condition",
      "DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy", "Metadata", "Description", "Version");
  static final Set<String> OUTPUT_ATTRIBUTES = Set.of("Value", "Description", "Condition", "Export");
  /** The values DeletionPolicy can take. */
  public static final Set<String> DELETION_POLICIES = Set.of("Delete", "Retain", "RetainExceptOnCreate", "Snapshot");
  /** The values UpdateReplacePolicy can take. */
  public static final Set<String> UPDATE_REPLACE_POLICIES = Set.of("Delete", "Retain", "Snapshot");
  static final Set<String> SUPPORTED_TRANSFORMS = Set.of("AWS::LanguageExtensions");

  private final SourceMap map;
  private final TemplateLimits limits;
  private final List<TemplateError> errors = new ArrayList<>();
  private Set<String> parameterNames = Set.of();

  private TemplateValidator(SourceMap map, TemplateLimits limits) {
    this.map = map;
    this.limits = limits;
  }

  /** Validates and, when there is no error, builds the {@link Template}. */
  public static LoadResult validate(ParsedDocument parsed, TemplateLimits limits) {
    return validate(parsed, limits, null);
  }

  /**
   * Validates with the stack's parameter values known ({@code parameterValues}, null when validating
   * alone: then a {@code Fn::ForEach} over a parameter uses its Default; see {@link ForEachExpander}).
   */
  public static LoadResult validate(ParsedDocument parsed, TemplateLimits limits,
      Map<String, JsonNode> parameterValues) {
    if (!parsed.errors().isEmpty()) {
      return new LoadResult.Invalid(parsed.errors());
    }
    JsonNode root = parsed.root();
    if (root == null || !root.isObject()) {
      return new LoadResult.Invalid(List.of(new TemplateError("", 1, 1,
          "Template format error: the template must be a JSON object or YAML mapping of sections")));
    }
    SourceMap map = parsed.sourceMap();
    TemplateValidator v = new TemplateValidator(map, limits);
    // an unsupported transform rewrites the template in ways StackMate cannot know: report it alone
    if (!v.transform(root.get("Transform"))) {
      return new LoadResult.Invalid(v.errors);
    }
    List<String> includes = new ArrayList<>();
    findTransforms(root, "", includes);
    if (!includes.isEmpty()) {
      for (String path : includes) {
        v.error(path, "Template format error: Fn::Transform (AWS::Include or a macro) is not supported by StackMate: "
            + "it rewrites the template with code that runs in AWS");
      }
      return new LoadResult.Invalid(v.errors);
    }
    if (LanguageExtensions.declared(root) || ForEachExpander.hasLoops(root)) {
      ForEachExpander.Result expanded = ForEachExpander.expand((ObjectNode) root, map,
          LanguageExtensions.declared(root), LanguageExtensions.parameterValues(root, parameterValues));
      if (!expanded.errors().isEmpty()) {
        return new LoadResult.Invalid(expanded.errors());
      }
      root = expanded.root();
      v = new TemplateValidator(map.expanded(root), limits);
    }
    Template template = v.read((ObjectNode) root);
    if (!v.errors.isEmpty()) {
      return new LoadResult.Invalid(v.errors);
    }
    return new LoadResult.Loaded(template);
  }

  /** The paths of every Fn::Transform in the document. */
  private static void findTransforms(JsonNode node, String path, List<String> found) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "/" + e.getKey();
        if (e.getKey().equals("Fn::Transform")) {
          found.add(child);
        } else {
          findTransforms(e.getValue(), child, found);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        findTransforms(node.get(i), path + "/" + i, found);
      }
    }
  }

  private void error(String path, String message) {
    errors.add(map.error(path, message));
  }

  private Template read(ObjectNode root) {
    List<String> unknown = new ArrayList<>();
    root.fieldNames().forEachRemaining(k -> {
      if (!SECTIONS.contains(k)) {
        unknown.add(k);
      }
    });
    if (!unknown.isEmpty()) {
      error(unknown.get(0), "Template format error: Invalid template property or properties " + unknown);
    }
    String version = null;
    JsonNode versionNode = root.get("AWSTemplateFormatVersion");
    if (versionNode != null) {
      version = versionNode.isTextual() ? versionNode.textValue() : versionNode.asText();
      if (!FORMAT_VERSION.equals(version)) {
        error("AWSTemplateFormatVersion", "Template format error: Unsupported AWSTemplateFormatVersion '" + version
            + "'; the only version is 2010-09-09");
      }
    }
    String description = null;
    JsonNode descriptionNode = root.get("Description");
    if (descriptionNode != null) {
      if (!descriptionNode.isTextual()) {
        error("Description", "Template format error: Description must be a string");
      } else {
        description = descriptionNode.textValue();
        int bytes = description.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.descriptionBytes()) {
          error("Description", "Template format error: Description is " + bytes + " bytes long; the limit is "
              + limits.descriptionBytes());
        }
      }
    }
    JsonNode metadata = root.get("Metadata");
    if (metadata != null && !metadata.isObject()) {
      error("Metadata", "Template format error: Metadata must be an object");
    }
    Map<String, ParameterDefinition> parameters = parameters(root.get("Parameters"));
    parameterNames = parameters.keySet();
    RuleReader.read(root.get("Rules"), map, parameterNames, errors);
    ObjectNode mappings = mappings(root.get("Mappings"));
    Map<String, JsonNode> conditions = conditions(root.get("Conditions"));
    Map<String, ResourceDefinition> resources = resources(root.get("Resources"), parameters, conditions);
    Map<String, OutputDefinition> outputs = outputs(root.get("Outputs"), conditions);
    Template template = new Template(version, description, metadata, parameters, mappings, conditions, resources,
        outputs, map);
    if (!resources.isEmpty()) {
      expressions(template);
    }
    return template;
  }

  /** Checks the Transform section; false when it names a transform StackMate does not run. */
  private boolean transform(JsonNode node) {
    if (node == null) {
      return true;
    }
    List<JsonNode> names = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(names::add);
    } else {
      names.add(node);
    }
    for (JsonNode name : names) {
      String shown = name.isTextual() ? name.textValue()
          : name.path("Name").isTextual() ? name.path("Name").textValue() : name.toString();
      if (!name.isTextual() || !SUPPORTED_TRANSFORMS.contains(name.textValue())) {
        error("Transform", "Template format error: Transform " + shown + " is not supported by StackMate: it "
            + "rewrites the template with code that runs in AWS (only " + SUPPORTED_TRANSFORMS + " is supported)");
        return false;
      }
    }
    return true;
  }

  private ObjectNode section(JsonNode node, String name) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      error(name, "Template format error: the " + name + " section must be an object");
      return null;
    }
    return (ObjectNode) node;
  }

  private void limit(String section, int count, int max, String what) {
    if (count > max) {
      error(section, "Template format error: Number of " + what + ", " + count + ", is greater than maximum "
          + "allowed, " + max);
    }
  }

  private boolean logicalId(String path, String kind, String id) {
    if (!isLogicalId(id)) {
      error(path, "Template format error: " + kind + " name " + id + " is non alphanumeric.");
      return false;
    }
    if (id.length() > limits.logicalIdLength()) {
      error(path, "Template format error: " + kind + " name " + id.substring(0, 20) + "... is longer than "
          + limits.logicalIdLength() + " characters");
      return false;
    }
    return true;
  }

  private Map<String, ParameterDefinition> parameters(JsonNode node) {
    Map<String, ParameterDefinition> out = new LinkedHashMap<>();
    ObjectNode section = section(node, "Parameters");
    if (section == null) {
      return out;
    }
    limit("Parameters", section.size(), limits.parameters(), "parameters");
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!logicalId("Parameters/" + e.getKey(), "Parameter", e.getKey())) {
        continue;
      }
      ParameterDefinition p = ParameterReader.read(e.getKey(), e.getValue(), map, errors);
      // a parameter refused for its type (SSM, ...) still exists: Refs to it are not errors too
      out.put(e.getKey(), p != null ? p : new ParameterDefinition(e.getKey(), "String", null, false, null,
          List.of(), null, null, null, null, null, null, null));
    }
    return out;
  }

  private ObjectNode mappings(JsonNode node) {
    ObjectNode section = section(node, "Mappings");
    if (section == null) {
      return JsonNodeFactory.instance.objectNode();
    }
    limit("Mappings", section.size(), limits.mappings(), "mappings");
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = "Mappings/" + e.getKey();
      if (!e.getValue().isObject()) {
        error(path, "Template format error: Every Mappings member " + e.getKey() + " must be a map");
        continue;
      }
      limit(path, e.getValue().size(), limits.mappingAttributes(), "mapping attributes in " + e.getKey());
      for (Iterator<Map.Entry<String, JsonNode>> top = e.getValue().fields(); top.hasNext(); ) {
        Map.Entry<String, JsonNode> t = top.next();
        if (!t.getValue().isObject()) {
          error(path + "/" + t.getKey(), "Template format error: Every Mappings member " + t.getKey()
              + " must be a map");
          continue;
        }
        for (Iterator<Map.Entry<String, JsonNode>> second = t.getValue().fields(); second.hasNext(); ) {
          Map.Entry<String, JsonNode> s = second.next();
          JsonNode value = s.getValue();
          boolean ok = isScalar(value) || (value.isArray() && allScalars(value));
          if (!ok) {
            error(path + "/" + t.getKey() + "/" + s.getKey(),
                "Template format error: Every Mappings attribute must be a String or a List.");
          }
        }
      }
    }
    return section;
  }

  private static boolean isScalar(JsonNode v) {
    return v.isValueNode() && !v.isNull();
  }

  private static boolean allScalars(JsonNode array) {
    for (JsonNode v : array) {
      if (!isScalar(v)) {
        return false;
      }
    }
    return true;
  }

  private Map<String, JsonNode> conditions(JsonNode node) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    ObjectNode section = section(node, "Conditions");
    if (section == null) {
      return out;
    }
    section.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private Map<String, ResourceDefinition> resources(JsonNode node, Map<String, ParameterDefinition> parameters,
      Map<String, JsonNode> conditions) {
    Map<String, ResourceDefinition> out = new LinkedHashMap<>();
    if (node == null) {
      error("", "Template format error: At least one Resources member must be defined.");
      return out;
    }
    ObjectNode section = section(node, "Resources");
    if (section == null) {
      return out;
    }
    if (section.isEmpty()) {
      error("Resources", "Template format error: At least one Resources member must be defined.");
      return out;
    }
    limit("Resources", section.size(), limits.resources(), "resources");
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String id = e.getKey();
      String path = "Resources/" + id;
      if (!logicalId(path, "Resource", id)) {
        continue;
      }
      if (parameters.containsKey(id)) {
        error(path, "Template format error: " + id + " is both a parameter and a resource; logical names must be "
            + "unique");
      }
      if (!e.getValue().isObject()) {
        error(path, "Template format error: Any Resources member must be an object.");
        continue;
      }
      ResourceDefinition r = resource(id, (ObjectNode) e.getValue(), path, conditions);
      if (r != null) {
        out.put(id, r);
      }
    }
    for (ResourceDefinition r : out.values()) {
      for (int i = 0; i < r.dependsOn().size(); i++) {
        String target = r.dependsOn().get(i);
        if (!out.containsKey(target) && !section.has(target)) {
          error("Resources/" + r.logicalId() + "/DependsOn" + (isList(section, r) ? "/" + i : ""),
              "Template format error: Unresolved resource dependencies [" + target
                  + "] in the Resources block of the template");
        }
      }
    }
    return out;
  }

  private static boolean isList(ObjectNode section, ResourceDefinition r) {
    return section.path(r.logicalId()).path("DependsOn").isArray();
  }

  private ResourceDefinition resource(String id, ObjectNode node, String path, Map<String, JsonNode> conditions) {
    int before = errors.size();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!RESOURCE_ATTRIBUTES.contains(key)) {
        error(path + "/" + key, "Invalid template resource property '" + key + "'");
      }
    }
    String type = null;
    JsonNode typeNode = node.get("Type");
    if (typeNode == null) {
      error(path, "Template format error: [/" + path + "] Every Resources object must contain a Type member.");
    } else if (!typeNode.isTextual()) {
      error(path + "/Type", "Template format error: the Type of resource " + id + " must be a string");
    } else if (!isResourceType(typeNode.textValue())) {
      error(path + "/Type", "Template format error: Invalid resource type '" + typeNode.textValue() + "' of " + id
          + ": a type has the form Vendor::Service::Resource (for example CloudStack::VirtualMachine, "
          + "AWS::EC2::Instance or Custom::Name)");
    } else {
      type = typeNode.textValue();
    }
    ObjectNode properties = JsonNodeFactory.instance.objectNode();
    JsonNode propertiesNode = node.get("Properties");
    if (propertiesNode != null) {
      if (!propertiesNode.isObject()) {
        error(path + "/Properties", "Template format error: the Properties of resource " + id + " must be an object");
      } else {
        properties = (ObjectNode) propertiesNode;
      }
    }
    List<String> dependsOn = new ArrayList<>();
    JsonNode dependsNode = node.get("DependsOn");
    if (dependsNode != null) {
      if (dependsNode.isTextual()) {
        dependsOn.add(dependsNode.textValue());
      } else if (dependsNode.isArray()) {
        int i = 0;
        for (JsonNode d : dependsNode) {
          if (d.isTextual()) {
            if (!dependsOn.contains(d.textValue())) {
              dependsOn.add(d.textValue());
            }
          } else {
            error(path + "/DependsOn/" + i, "Template format error: DependsOn must name resources as strings");
          }
          i++;
        }
      } else {
        error(path + "/DependsOn", "Template format error: DependsOn must be a resource name or a list of them");
      }
    }
    String deletionPolicy = policy(node, "DeletionPolicy", path, DELETION_POLICIES, conditions);
    String updateReplacePolicy = policy(node, "UpdateReplacePolicy", path, UPDATE_REPLACE_POLICIES, conditions);
    JsonNode creationPolicy = node.get("CreationPolicy");
    if (creationPolicy != null) {
      creationPolicy(creationPolicy, path + "/CreationPolicy");
    }
    JsonNode updatePolicy = node.get("UpdatePolicy");
    if (updatePolicy != null && !updatePolicy.isObject()) {
      error(path + "/UpdatePolicy", "Template format error: UpdatePolicy must be an object");
    }
    JsonNode metadata = node.get("Metadata");
    if (metadata != null && !metadata.isObject()) {
      error(path + "/Metadata", "Template format error: the Metadata of resource " + id + " must be an object");
    }
    int structural = errors.size();
    // A bad Condition leaves the resource well-formed: keep it, so its properties are checked too.
    String condition = conditionName(node, path, conditions);
    if (structural > before) {
      return null;
    }
    return new ResourceDefinition(id, type, properties, List.copyOf(dependsOn), condition, deletionPolicy,
        updateReplacePolicy, creationPolicy, updatePolicy, metadata);
  }

  private String conditionName(ObjectNode node, String path, Map<String, JsonNode> conditions) {
    JsonNode c = node.get("Condition");
    if (c == null) {
      return null;
    }
    if (!c.isTextual()) {
      error(path + "/Condition", "Template format error: Condition must be the name of a condition");
      return null;
    }
    if (!conditions.containsKey(c.textValue())) {
      error(path + "/Condition", "Template format error: Unresolved condition dependency " + c.textValue() + " in "
          + path + "; it is not defined in the Conditions section");
      return null;
    }
    return c.textValue();
  }

  private String policy(ObjectNode node, String field, String path, Set<String> allowed,
      Map<String, JsonNode> conditions) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (v.isObject()) {
      // Ref or Fn::If (documented with AWS::LanguageExtensions; AWS accepts it without, as LocalStack
      // recorded): resolved when the stack is planned (ResourcePolicies), only its shape is checked here
      policyExpression(v, field, path + "/" + field, allowed, conditions);
      return null;
    }
    if (!v.isTextual() || !allowed.contains(v.textValue())) {
      error(path + "/" + field, "Template format error: " + field + " must be one of " + new java.util.TreeSet<>(allowed)
          + ", not " + v);
      return null;
    }
    return v.textValue();
  }

  /** A policy written as {@code Ref} to a parameter or {@code Fn::If} between policies. */
  private void policyExpression(JsonNode v, String field, String path, Set<String> allowed,
      Map<String, JsonNode> conditions) {
    if (v.isTextual() && allowed.contains(v.textValue())) {
      return;
    }
    if (v.isObject() && v.size() == 1 && v.path("Ref").isTextual()) {
      if (!parameterNames.contains(v.get("Ref").textValue())) {
        error(path + "/Ref", "Template format error: " + field + " can refer only to a parameter; "
            + v.get("Ref").textValue() + " is not one");
      }
      return;
    }
    JsonNode fnIf = v.isObject() && v.size() == 1 ? v.get("Fn::If") : null;
    if (fnIf != null && fnIf.isArray() && fnIf.size() == 3 && fnIf.get(0).isTextual()) {
      if (!conditions.containsKey(fnIf.get(0).textValue())) {
        error(path + "/Fn::If/0", "Template format error: Unresolved condition dependency " + fnIf.get(0).textValue()
            + " in " + path + "; it is not defined in the Conditions section");
      }
      policyExpression(fnIf.get(1), field, path + "/Fn::If/1", allowed, conditions);
      policyExpression(fnIf.get(2), field, path + "/Fn::If/2", allowed, conditions);
      return;
    }
    if (v.isObject() && v.size() == 1 && v.fieldNames().next().startsWith("Fn::")) {
      return; // another function (Fn::FindInMap, Fn::Sub, ...): its value is checked when it is resolved
    }
    error(path, "Template format error: " + field + " must be one of " + new java.util.TreeSet<>(allowed)
        + " or a function that gives one, not " + v);
  }

  private void creationPolicy(JsonNode policy, String path) {
    if (!policy.isObject()) {
      error(path, "Template format error: CreationPolicy must be an object");
      return;
    }
    JsonNode signal = policy.get("ResourceSignal");
    if (signal == null) {
      return;
    }
    if (!signal.isObject()) {
      error(path + "/ResourceSignal", "Template format error: ResourceSignal must be an object with Count and Timeout");
      return;
    }
    JsonNode count = signal.get("Count");
    if (count != null && !count.isObject()) {
      String s = count.asText();
      if (!s.matches("\\d{1,9}") || Integer.parseInt(s) < 1) {
        error(path + "/ResourceSignal/Count", "ResourceSignal Count must be a whole number of 1 or more, not " + count);
      }
    }
    JsonNode timeout = signal.get("Timeout");
    if (timeout != null && !timeout.isObject()) {
      try {
        Duration d = Duration.parse(timeout.asText());
        if (d.isNegative() || d.toSeconds() > 43200) {
          error(path + "/ResourceSignal/Timeout", "ResourceSignal Timeout must be at most 12 hours (PT12H)");
        }
      } catch (DateTimeParseException e) {
        error(path + "/ResourceSignal/Timeout", "ResourceSignal Timeout must be an ISO 8601 duration such as PT15M, "
            + "not " + timeout);
      }
    }
  }

  private Map<String, OutputDefinition> outputs(JsonNode node, Map<String, JsonNode> conditions) {
    Map<String, OutputDefinition> out = new LinkedHashMap<>();
    ObjectNode section = section(node, "Outputs");
    if (section == null) {
      return out;
    }
    limit("Outputs", section.size(), limits.outputs(), "outputs");
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String path = "Outputs/" + name;
      if (!logicalId(path, "Output", name)) {
        continue;
      }
      if (!e.getValue().isObject()) {
        error(path, "Template format error: Every Outputs member must be an object");
        continue;
      }
      ObjectNode o = (ObjectNode) e.getValue();
      int before = errors.size();
      o.fieldNames().forEachRemaining(k -> {
        if (!OUTPUT_ATTRIBUTES.contains(k)) {
          error(path + "/" + k, "Invalid template output property '" + k + "'");
        }
      });
      JsonNode value = o.get("Value");
      if (value == null) {
        error(path, "Template format error: Every Outputs member must contain a Value object");
      } else if (value.isNull()) {
        error(path + "/Value", "[/" + path + "/Value] 'null' values are not allowed in templates");
      }
      String description = null;
      JsonNode d = o.get("Description");
      if (d != null) {
        if (!d.isTextual()) {
          error(path + "/Description", "Template format error: Output Description must be a string");
        } else {
          description = d.textValue();
        }
      }
      String condition = conditionName(o, path, conditions);
      JsonNode exportName = null;
      JsonNode export = o.get("Export");
      if (export != null) {
        if (!export.isObject() || !export.has("Name") || export.size() != 1) {
          error(path + "/Export", "Template format error: Export must be an object with one member, Name");
        } else {
          exportName = export.get("Name");
        }
      }
      if (errors.size() == before) {
        out.put(name, new OutputDefinition(name, value, description, condition, exportName));
      }
    }
    return out;
  }

  /** Checks every expression, then condition cycles and resource cycles. */
  private void expressions(Template template) {
    Intrinsics intrinsics = Intrinsics.forValidation(template);
    Map<String, Set<String>> conditionEdges = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> c : template.conditions().entrySet()) {
      Intrinsics.Check check = intrinsics.check(c.getValue(), "Conditions/" + c.getKey(), Section.CONDITIONS);
      errors.addAll(check.errors());
      conditionEdges.put(c.getKey(), check.conditions());
    }
    for (List<String> cycle : DependencyGraph.cycles(conditionEdges)) {
      List<String> shown = new ArrayList<>(cycle);
      shown.add(cycle.get(0));
      error("Conditions/" + cycle.get(0), ConditionEvaluator.cycleMessage(shown));
    }
    Map<String, Set<String>> edges = new LinkedHashMap<>();
    for (ResourceDefinition r : template.resources().values()) {
      String path = "Resources/" + r.logicalId();
      Set<String> refs = new LinkedHashSet<>(r.dependsOn());
      check(intrinsics, r.properties(), path + "/Properties", refs);
      if (r.metadata() != null) {
        check(intrinsics, r.metadata(), path + "/Metadata", refs);
      }
      if (r.creationPolicy() != null) {
        check(intrinsics, r.creationPolicy(), path + "/CreationPolicy", refs);
      }
      if (r.updatePolicy() != null) {
        check(intrinsics, r.updatePolicy(), path + "/UpdatePolicy", refs);
      }
      edges.put(r.logicalId(), refs);
    }
    for (OutputDefinition o : template.outputs().values()) {
      Set<String> ignored = new LinkedHashSet<>();
      check(intrinsics, o.value(), "Outputs/" + o.name() + "/Value", ignored);
      if (o.exportName() != null) {
        check(intrinsics, o.exportName(), "Outputs/" + o.name() + "/Export/Name", ignored);
      }
    }
    for (List<String> cycle : DependencyGraph.cycles(edges)) {
      error("Resources/" + cycle.get(0), "Template format error: Circular dependency between resources: " + cycle);
    }
  }

  private void check(Intrinsics intrinsics, JsonNode expression, String path, Set<String> refs) {
    Intrinsics.Check check = intrinsics.check(expression, path, Intrinsics.Section.of(path));
    errors.addAll(check.errors());
    refs.addAll(check.resources());
  }
}
