package org.stacktician.engine.aws;

import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.provider.PropertyUpdate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.engine.cloudstack.CallSequence;
import org.stacktician.engine.cloudstack.ResponseAttributes;
import java.util.Optional;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.engine.provider.ActualState;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.Values;

/**
 * {@code AWS::EC2::SecurityGroup} as {@code createSecurityGroup} named {@code <stack>-<logical>}
 * (or {@code <stack>-<GroupName>}), tagged, then one authorize call per SecurityGroupIngress and
 * SecurityGroupEgress rule (CidrIp or SourceSecurityGroupName), all submitted at once. {@code Ref} gives the group name
 * (EC2-Classic style, what {@code SecurityGroups} of an instance takes); {@code GroupId} the id.
 */
final class SecurityGroupHandler extends StepHandler {
  /** As CloudFormation: rules change by authorizing and revoking the rules that differ; the name is unique. */
  private static final UpdateRules UPDATES = UpdateRules.of(java.util.Map.of(
      "SecurityGroupIngress", PropertyUpdate.noInterruption("authorizeSecurityGroupIngress",
          "revokeSecurityGroupIngress").withNote("only the rules that differ"),
      "SecurityGroupEgress", PropertyUpdate.noInterruption("authorizeSecurityGroupEgress",
          "revokeSecurityGroupEgress").withNote("only the rules that differ"),
      "Tags", PropertyUpdate.noInterruption("createTags", "deleteTags"))).withUniqueNames("GroupName");

  @Override
  public UpdateRules updateRules() {
    return UPDATES;
  }

  static final String TYPE = "AWS::EC2::SecurityGroup";
  private static final Set<String> KNOWN = Set.of("GroupDescription", "GroupName", "SecurityGroupIngress",
      "SecurityGroupEgress", "Tags", "VpcId");

  @Override
  public List<PropertyError> validate(ObjectNode props) {
    List<PropertyError> errors = AwsProperties.check(props, KNOWN, Set.of("GroupDescription"), TYPE);
    AwsProperties.scalar(props, "GroupDescription", errors);
    AwsProperties.scalar(props, "GroupName", errors);
    AwsProperties.tags(props, errors);
    for (String list : List.of("SecurityGroupIngress", "SecurityGroupEgress")) {
      JsonNode rules = props.get(list);
      if (rules == null || rules.isNull() || Values.isUnresolved(rules)) {
        continue;
      }
      if (!rules.isArray()) {
        errors.add(new PropertyError(list, "must be a list of rules"));
        continue;
      }
      for (int i = 0; i < rules.size(); i++) {
        if (!Values.isUnresolved(rules.get(i))) {
          SecurityRules.check(rules.get(i), list + "[" + i + "]", errors);
        }
      }
    }
    return errors;
  }

  @Override
  protected ProgressEvent beginCreate(Step s) {
    requireValid(s.request.properties());
    String name = s.request.stack().stackName() + "-"
        + AwsProperties.text(s.request.properties(), "GroupName").orElse(s.request.nameStem());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("name", name);
    params.put("description", AwsProperties.text(s.request.properties(), "GroupDescription").orElse(name));
    JsonNode group = Step.unwrap(s.client.call("createSecurityGroup", params), "securitygroup");
    s.state().put("physicalId", group.path("name").asText(name));
    s.state().set("group", group);
    s.state().with("attributes").put("GroupId", group.path("id").asText());
    s.tagWithoutWaiting("SecurityGroup", group.path("id").asText());
    List<Map.Entry<String, Map<String, String>>> calls = new ArrayList<>();
    for (String list : List.of("SecurityGroupIngress", "SecurityGroupEgress")) {
      for (JsonNode rule : s.request.properties().path(list)) {
        Map<String, String> rp = new LinkedHashMap<>();
        rp.put("securitygroupid", group.path("id").asText());
        rp.putAll(SecurityRules.params(rule, group.path("account").asText()));
        calls.add(Map.entry(list.endsWith("Ingress") ? "authorizeSecurityGroupIngress" : "authorizeSecurityGroupEgress", rp));
      }
    }
    if (calls.isEmpty()) {
      return done(s, group);
    }
    // All rules at once: each is its own job, and none depends on another.
    return s.asyncAll("rules", calls);
  }

  @Override
  protected ProgressEvent afterCreate(Step s, String step, JsonNode result) {
    String id = s.state().path("attributes").path("GroupId").asText();
    List<JsonNode> groups = s.client.list("listSecurityGroups", Map.of("id", id));
    return done(s, groups.isEmpty() ? s.state().get("group") : groups.get(0));
  }

  private static ProgressEvent done(Step s, JsonNode group) {
    Map<String, JsonNode> a = ResponseAttributes.of(group);
    a.put("GroupId", TextNode.valueOf(s.state().path("attributes").path("GroupId").asText()));
    return ProgressEvent.success(s.physicalId(), a);
  }

  @Override
  protected ProgressEvent beginDelete(Step s) {
    String id = s.attribute("GroupId");
    Map<String, String> params = new LinkedHashMap<>();
    if (id != null) {
      params.put("id", id);
    } else if (s.physicalId().matches("[0-9a-fA-F-]{36}")) {
      params.put("id", s.physicalId()); // found by tags: the tag holds the id
    } else {
      params.put("name", s.physicalId());
    }
    s.client.call("deleteSecurityGroup", params);
    return ProgressEvent.success(null);
  }

  /**
   * The rules that differ, against the group as listed now: a rule only the previous template had is revoked (by the
   * id of the listed rule it made), a rule of the new template that the group does not have yet is authorized; a rule
   * in both is left alone. Tags by deleteTags/createTags.
   */
  @Override
  protected CallSequence planUpdate(Step s, ObjectNode before, ObjectNode after, Set<String> changed) {
    String groupId = groupId(s);
    JsonNode group = ReadBack.listed(s.client, "listSecurityGroups", Map.of("id", groupId))
        .orElseThrow(() -> new AwsPropertyException("security group " + s.physicalId() + " no longer exists"));
    String account = group.path("account").asText();
    CallSequence calls = new CallSequence();
    for (String name : changed) {
      switch (name) {
        case "SecurityGroupIngress", "SecurityGroupEgress" -> {
          boolean ingress = name.endsWith("Ingress");
          JsonNode listed = group.path(ingress ? "ingressrule" : "egressrule");
          List<Map<String, String>> wanted = new ArrayList<>();
          after.path(name).forEach(rule -> wanted.add(SecurityRules.params(rule, account)));
          for (JsonNode rule : before.path(name)) {
            Map<String, String> old = SecurityRules.params(rule, account);
            if (wanted.contains(old)) {
              continue;
            }
            for (JsonNode r : listed) {
              if (SecurityRules.matches(old, r)) {
                calls.add(ingress ? "revokeSecurityGroupIngress" : "revokeSecurityGroupEgress",
                    Map.of("id", r.path("ruleid").asText()));
              }
            }
          }
          for (Map<String, String> rule : wanted) {
            boolean present = false;
            for (JsonNode r : listed) {
              present |= SecurityRules.matches(rule, r);
            }
            if (!present) {
              Map<String, String> params = new LinkedHashMap<>();
              params.put("securitygroupid", groupId);
              params.putAll(rule);
              calls.add(ingress ? "authorizeSecurityGroupIngress" : "authorizeSecurityGroupEgress", params);
            }
          }
        }
        case "Tags" -> calls.tagChanges("SecurityGroup", groupId, AwsProperties.userTags(before),
            AwsProperties.userTags(after));
        default -> throw undeclared(List.of(name));
      }
    }
    return calls;
  }

  @Override
  protected ProgressEvent afterUpdate(Step s) {
    return found(s, groupId(s));
  }

  @Override
  protected String taggedId(Step s) {
    return groupId(s);
  }

  private static String groupId(Step s) {
    String id = s.attribute("GroupId");
    return id != null ? id : s.physicalId();
  }

  /**
   * The group's description and rules read back: a listed rule that an expected rule makes is shown
   * as the template writes it, any other as {@link SecurityRules#asTemplateRule}, so that only rules
   * added or revoked outside the stack differ.
   */
  @Override
  public ActualState readActual(ResourceRequest request) {
    Optional<CloudStackClient> client = request.context().cloudStack();
    if (client.isEmpty()) {
      return new ActualState.NotChecked("no CloudStack endpoint is configured");
    }
    JsonNode groupId = request.attributes() == null ? null : request.attributes().get("GroupId");
    Optional<JsonNode> found = ReadBack.listed(client.get(), "listSecurityGroups",
        groupId != null && !groupId.asText().isEmpty() ? Map.of("id", groupId.asText())
            : Map.of("securitygroupname", request.physicalId()));
    if (found.isEmpty()) {
      return new ActualState.Gone();
    }
    JsonNode group = found.get();
    ObjectNode actual = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    if (request.properties().has("GroupDescription")) {
      actual.put("GroupDescription", group.path("description").asText());
    }
    for (String list : List.of("SecurityGroupIngress", "SecurityGroupEgress")) {
      JsonNode expected = request.properties().get(list);
      if (expected == null || !expected.isArray()) {
        continue; // a list the template does not give is not compared (as CloudFormation)
      }
      var rules = actual.putArray(list);
      for (JsonNode listed : group.path(list.endsWith("Ingress") ? "ingressrule" : "egressrule")) {
        JsonNode shown = SecurityRules.asTemplateRule(listed);
        for (JsonNode rule : expected) {
          if (SecurityRules.matches(SecurityRules.params(rule, group.path("account").asText()), listed)) {
            shown = rule;
            break;
          }
        }
        rules.add(shown);
      }
    }
    actual.set("Tags", ReadBack.tags(group));
    return new ActualState.Found(actual);
  }

  @Override
  protected String tagResourceType() {
    return "SecurityGroup";
  }

  @Override
  protected ProgressEvent found(Step s, String id) {
    return foundById(s, "listSecurityGroups", "security group", id, found -> {
      s.state().put("physicalId", found.path("name").asText());
      s.state().with("attributes").put("GroupId", id);
      return done(s, found);
    });
  }
}
