package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;

/**
 * {@code AWS::EC2::SecurityGroupIngress} / {@code SecurityGroupEgress}: one rule added to a group
 * given by GroupName or GroupId; {@code Ref} gives the CloudStack rule id, delete revokes it.
 */
final class SecurityGroupRuleHandler extends StepHandler {
  static final String INGRESS = "AWS::EC2::SecurityGroupIngress";
  static final String EGRESS = "AWS::EC2::SecurityGroupEgress";

  private final boolean ingress;
  private final String type;

  SecurityGroupRuleHandler(boolean ingress) {
    this.ingress = ingress;
    this.type = ingress ? INGRESS : EGRESS;
  }

  @Override
  public List<PropertyError> validate(ObjectNode props) {
    Set<String> known = new java.util.HashSet<>(SecurityRules.RULE_PROPERTIES);
    known.add("GroupName");
    known.add("GroupId");
    List<PropertyError> errors = AwsProperties.check(props, known, Set.of("IpProtocol"), type);
    errors.removeIf(e -> e.property().equals("IpProtocol"));
    ObjectNode rule = props.deepCopy();
    rule.remove("GroupName");
    rule.remove("GroupId");
    SecurityRules.check(rule, "", errors);
    errors.replaceAll(e -> e.property().startsWith(".") ? new PropertyError(e.property().substring(1), e.message(), e.about()) : e);
    errors.removeIf(e -> e.message().startsWith("is not a security group rule property"));
    if (!props.has("GroupName") && !props.has("GroupId")) {
      errors.add(new PropertyError("GroupId", "is required (or GroupName)"));
    }
    return errors;
  }

  @Override
  protected ProgressEvent beginCreate(Step s) {
    requireValid(s.request.properties());
    ObjectNode p = s.request.properties();
    Map<String, String> params = new LinkedHashMap<>();
    AwsProperties.text(p, "GroupId").ifPresentOrElse(id -> params.put("securitygroupid", id),
        () -> params.put("securitygroupname", AwsProperties.text(p, "GroupName").orElseThrow()));
    params.putAll(SecurityRules.params(p, ""));
    if (params.containsKey("usersecuritygrouplist[0].account") && params.get("usersecuritygrouplist[0].account").isEmpty()) {
      params.remove("usersecuritygrouplist[0].account");
    }
    ObjectNode sent = s.state().putObject("params");
    params.forEach(sent::put);
    return s.async("authorize", ingress ? "authorizeSecurityGroupIngress" : "authorizeSecurityGroupEgress", params);
  }

  @Override
  protected ProgressEvent afterCreate(Step s, String step, JsonNode result) {
    JsonNode group = Step.unwrap(result, "securitygroup");
    Map<String, String> sent = new LinkedHashMap<>();
    s.state().path("params").fields().forEachRemaining(e -> sent.put(e.getKey(), e.getValue().asText()));
    List<String> ids = SecurityRules.ruleIds(group, ingress ? "ingressrule" : "egressrule", sent);
    if (ids.isEmpty()) {
      return ProgressEvent.failed(org.stacktician.engine.provider.ErrorCode.GENERAL_SERVICE_EXCEPTION,
          s.request.logicalId() + ": CloudStack added the rule but its answer names no rule id");
    }
    String id = String.join(",", ids);
    return ProgressEvent.success(id, Map.of("GroupId", TextNode.valueOf(group.path("id").asText())));
  }

  @Override
  protected ProgressEvent beginDelete(Step s) {
    List<String> ids = new ArrayList<>(List.of(s.physicalId().split(",")));
    int index = s.state().path("revokeIndex").asInt(0);
    s.state().put("revokeIndex", index);
    return s.async("revoke", ingress ? "revokeSecurityGroupIngress" : "revokeSecurityGroupEgress", Map.of("id", ids.get(index)));
  }

  @Override
  protected ProgressEvent afterDelete(Step s, String step, JsonNode result) {
    String[] ids = s.physicalId().split(",");
    int next = s.state().path("revokeIndex").asInt() + 1;
    if (next < ids.length) {
      s.state().put("revokeIndex", next);
      return s.async("revoke", ingress ? "revokeSecurityGroupIngress" : "revokeSecurityGroupEgress", Map.of("id", ids[next]));
    }
    return ProgressEvent.success(null);
  }
}
