package org.stacktician.template.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterDefinition;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;
import org.stacktician.template.parameters.ParameterResolver;
import org.stacktician.testing.SharedFiles;

/**
 * The corpus measure: every third-party template in {@code ../shared/corpus} that CloudFormation
 * accepts and that uses nothing out of scope on CloudStack plans. The templates that do not plan
 * are listed below, each with why; each is checked to be refused for that reason, and a listed
 * template that starts to plan fails the test so that the list stays true. cfn-lint's {@code bad/}
 * fixtures and its result files are not templates CloudFormation accepts and are not measured.
 */
class CorpusConformanceTest {
  /** Why a corpus template does not plan, and a fragment of the message that shows it. */
  enum Reason {
    REFUSED_BY_AWS("CloudFormation refuses it too (recorded against AWS or meant as invalid)", ""),
    NO_RESOURCES("CloudFormation refuses a template without Resources (a cfn-lint configuration fixture)",
        "At least one Resources member must be defined"),
    NOT_A_TEMPLATE("not a template (a stack policy or an empty file)", ""),
    JINJA("a LocalStack fixture with Jinja placeholders ({{ ... }}) that its test renders first", ""),
    MACRO("a transform other than AWS::LanguageExtensions (SAM or a macro): AWS runs code to rewrite the "
        + "template", "is not supported by StackMate"),
    INCLUDE("Fn::Transform (AWS::Include or a macro): AWS runs code to rewrite part of the template",
        "Fn::Transform"),
    SSM("an SSM parameter type: values come from AWS Systems Manager, which CloudStack does not have",
        "SSM parameter types"),
    RAIN("!Rain:: tags: the Rain CLI preprocesses them before CloudFormation sees the template", "!Rain::"),
    MODULE("CloudFormation modules: registry types that AWS expands", "Module"),
    CROSS_ACCOUNT("Fn::GetStackOutput with RoleArn reads another account's stack", "RoleArn"),
    HEAT("OpenStack Heat's dialect (HeatTemplateFormatVersion, names with _ or -, Heat-only rules)", "");

    final String why;
    final String shows;

    Reason(String why, String shows) {
      this.why = why;
      this.shows = shows;
    }
  }

  static final Map<String, Reason> OUT_OF_SCOPE = new TreeMap<>();

  static {
    String ls = "localstack/tests/aws/templates/";
    String cl = "cfnlint/test/fixtures/templates/";
    String aws = "aws-samples/aws-cloudformation-templates/";
    for (String f : List.of("getatt_validation.yml", "getatt_validation2.yml",
        "engine/cfn_dependson_nonexisting_resource.yaml", "mappings/simple-mapping-invalid-ref.yaml",
        "mappings/simple-mapping-nesting-depth.yaml", "mappings/simple-mapping-single-level.yaml")) {
      OUT_OF_SCOPE.put(ls + f, Reason.REFUSED_BY_AWS);
    }
    OUT_OF_SCOPE.put(cl + "integration/get-stack-output.yaml", Reason.REFUSED_BY_AWS);
    OUT_OF_SCOPE.put(cl + "integration/aws-ec2-launchtemplate.yaml", Reason.REFUSED_BY_AWS);
    OUT_OF_SCOPE.put(cl + "good/functions/sub_needed.yaml", Reason.REFUSED_BY_AWS);
    // cfn-lint checks their shape only: the FindInMap keys are not in the mappings, which AWS refuses
    OUT_OF_SCOPE.put(cl + "good/functions_findinmap.yaml", Reason.REFUSED_BY_AWS);
    OUT_OF_SCOPE.put(cl + "good/resources_deletionpolicy.yaml", Reason.REFUSED_BY_AWS);
    OUT_OF_SCOPE.put(cl + "good/resources_updatereplacepolicy.yaml", Reason.REFUSED_BY_AWS);
    for (String f : List.of("good/core/config_cfn_lint.json", "good/core/config_cfn_lint.yaml",
        "good/core/config_only_i1002.yaml", "good/core/config_only_i1003.yaml", "good/core/config_parameters.yaml",
        "good/decode/parsing.json", "good/mappings/name.yaml", "good/parameters/default.yaml",
        "good/resources/cloudformation/stack_nested.yaml", "integration/metdata.yaml")) {
      OUT_OF_SCOPE.put(cl + f, Reason.NO_RESOURCES);
    }
    OUT_OF_SCOPE.put(ls + "empty_policy.json", Reason.NOT_A_TEMPLATE);
    OUT_OF_SCOPE.put(ls + "stack_policy.json", Reason.NOT_A_TEMPLATE);
    OUT_OF_SCOPE.put(ls + "invalid_stack_policy.json", Reason.NOT_A_TEMPLATE);
    OUT_OF_SCOPE.put(cl + "empty.yaml", Reason.NOT_A_TEMPLATE);
    OUT_OF_SCOPE.put(cl + "good/custom/is-defined.yaml", Reason.NOT_A_TEMPLATE);
    for (String f : List.of("apigateway-mock-cors-deployment.json", "apigateway-url-output.yaml",
        "cfn_intrinsic_functions.yaml", "dynamicparameter_ssm_list.yaml", "dynamicparameter_ssm_string.yaml",
        "for_removal_remove.yaml", "for_removal_setup.yaml", "iam_policy_attachments.yaml",
        "mappings/mapping-aws-ref-map-key.yaml", "nested-stack-output-refs.yaml", "s3_bucketpolicy.yaml")) {
      OUT_OF_SCOPE.put(ls + f, Reason.JINJA);
    }
    OUT_OF_SCOPE.put(cl + "good/functions/ref.yaml", Reason.MODULE);
    OUT_OF_SCOPE.put(cl + "integration/module-sub-resources.yaml", Reason.MODULE);
    OUT_OF_SCOPE.put(cl + "good/functions/get_stack_output.yaml", Reason.CROSS_ACCOUNT);
    for (String f : List.of("heat-templates/cfn/F17/AutoScalingCeilometer.yaml", "heat-templates/cfn/F17/Neutron.template",
        "heat-templates/cfn/F17/Neutron.yaml", "heat-templates/cfn/F17/Neutron_floating.template",
        "heat-templates/cfn/F17/Rails_Single_Instance.template", "heat-templates/cfn/F17/WordPress_Single_Instance.yaml",
        "heat-templates/cfn/F17/WordPress_Single_Instance_With_HA.yaml",
        "heat-templates/cfn/F17/WordPress_Single_Instance_With_Neutron.template",
        "heat-templates/cfn/F17/invalid/AutoScalingMultiAZSample.template",
        "heat-templates/cfn/F17/invalid/AutoScalingMultiAZSample.yaml",
        "heat-templates/cfn/F17/invalid/WordPress_Single_Instance_With_HA.template",
        "heat-templates/cfn/F17/invalid/WordPress_Single_Instance_With_HA_AccessPolicy.template",
        "heat-templates/cfn/F17/invalid/WordPress_Single_Instance_With_IHA.template",
        "heat-templates/cfn/F18/WordPress_NoKey.yaml", "heat-templates/cfn/F19/WordPress_NoKey.yaml",
        "heat-templates/cfn/aws_asg.template", "heat-templates/cfn/deb/MultiNode_DevStack.yaml",
        "heat/heat/tests/templates/Neutron.template", "heat/heat/tests/templates/Neutron.yaml",
        "heat/heat/tests/templates/WordPress_Single_Instance.yaml")) {
      OUT_OF_SCOPE.put("heat/" + f, Reason.HEAT);
    }
  }

  /** The reasons recognised from the refusal itself: every message of the refusal shows it. */
  static final List<Reason> RECOGNISED = List.of(Reason.INCLUDE, Reason.SSM, Reason.RAIN, Reason.MACRO);

  /** A template's listed reason, or the one every message of its refusal shows. */
  static Reason reason(String name, List<TemplateError> errors) {
    Reason listed = OUT_OF_SCOPE.get(name);
    if (listed != null || errors.isEmpty()) {
      return listed;
    }
    for (Reason r : RECOGNISED) {
      if (errors.stream().allMatch(e -> e.message().contains(r.shows))) {
        return r;
      }
    }
    return null;
  }

  /** Regions for templates whose mappings are keyed by an AWS region other than the planning default. */
  static final Map<String, String> REGIONS = Map.of(
      "aws-samples/awslabs-aws-cloudformation-templates-2023/aws/solutions/PersistAZMapping/FindInMapAZs.json",
      "ap-northeast-2");

  /** Parameter values for templates whose constraints or mappings the generic choice does not meet. */
  static final Map<String, Map<String, String>> VALUES = new LinkedHashMap<>();

  static {
    String ls = "localstack/tests/aws/templates/";
    String cl = "cfnlint/test/fixtures/templates/";
    String aws = "aws-samples/aws-cloudformation-templates/Solutions/";
    VALUES.put(cl + "good/functions/foreach.yaml", Map.of("Environment", "Production"));
    VALUES.put(cl + "good/conditions/and.yaml", Map.of("Users", ",another"));
    VALUES.put(cl + "good/mappings/used.yaml", Map.of("Environment", "acceptance"));
    VALUES.put(cl + "quickstart/nist_vpc_management.yaml", Map.of("pProductionVPC", "vpc-1"));
    VALUES.put(cl + "quickstart/vpc-management.json", Map.of("pProductionVPC", "vpc-1"));
    VALUES.put(cl + "quickstart/vpc.json", Map.of("AvailabilityZones", "a,b,c,d"));
    VALUES.put(ls + "update_retain_policy.yaml", Map.of("PolicyType", "Retain"));
    VALUES.put(ls + "functions_cidr.yml", Map.of("IpBlock", "10.0.0.0/16", "Count", "2", "CidrBits", "8",
        "Select", "1"));
    VALUES.put(ls + "mappings/simple-mapping.yaml", Map.of("TopicNameSuffixSelector", "A"));
    VALUES.put(ls + "mappings/mapping-ref-map-key.yaml", Map.of("MapName", "MyMap", "MapKey", "A"));
    VALUES.put(ls + "conditions/intrinsic-functions-in-conditions.yaml", Map.of("TopicName", "p-us-east-1",
        "TopicPrefix", "p", "TopicNameWithSuffix", "p-us-east-1-s", "TopicNameSuffix", "s"));
    VALUES.put("aws-samples/aws-cloudformation-templates/EFS/efs_with_automount_to_ec2.yaml",
        Map.of("Subnets", "subnet-1,subnet-2,subnet-3,subnet-4"));
    VALUES.put("aws-samples/awslabs-aws-cloudformation-templates-2023/aws/solutions/WordPress_Single_Instance.yaml",
        Map.of("DBPassword", "Abcdefgh1", "DBRootPassword", "Abcdefgh1"));
    String kms = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    VALUES.put(aws + "VPCFlowLogs/templates/VPCFlowLogs-main.cfn.yaml", Map.of("VPCFlowLogsBucketKMSKey", kms,
        "VPCFlowLogsCloudWatchKMSKey", kms, "CreateVPCFlowLogsToCloudWatch", "Yes"));
    VALUES.put(aws + "VPCFlowLogs/templates/VPCFlowLogsCloudWatch.cfn.yaml", Map.of("VPCFlowLogsCloudWatchKMSKey", kms));
    VALUES.put(aws + "VPCFlowLogs/templates/VPCFlowLogsS3.cfn.yaml", Map.of("VPCFlowLogsBucketKMSKey", kms));
    VALUES.put(aws + "VPCPeering/templates/VPCPeering-Accepter-Role.cfn.yaml", Map.of("PeerOwnerIds", "111122223333"));
    String pcx = "pcx-0123456789abcdef0";
    String rtb = "rtb-0123456789abcdef0";
    String vpc = "vpc-0123456789abcdef0";
    String role = "arn:aws:iam::111122223333:role/peer";
    VALUES.put(aws + "VPCPeering/templates/VPCPeering-Accepter-Tag.cfn.yaml", Map.of("LambdaLogsCloudWatchKMSKey", kms,
        "VPCPeeringConnectionId", pcx));
    VALUES.put(aws + "VPCPeering/templates/VPCPeering-Accepter.main.cfn.yaml", Map.of("RouteTableIds", rtb,
        "VPCPeeringConnectionId", pcx));
    VALUES.put(aws + "VPCPeering/templates/VPCPeering-Updates.cfn.yaml", Map.of("RouteTableIds", rtb,
        "VPCPeeringConnectionId", pcx));
    VALUES.put(aws + "VPCPeering/templates/VPCPeering-Requester-Setup.cfn.yaml", Map.of("PeerOwnerId", "000000000000",
        "PeerRoleARN", role, "PeerVPCID", vpc));
    VALUES.put(aws + "VPCPeering/templates/VPCPeering-Requester.main.cfn.yaml", Map.of("PeerOwnerId", "000000000000",
        "PeerRoleARN", role, "PeerVPCID", vpc, "RouteTableIds", rtb));
  }

  @Test
  void everyAcceptedTemplateThatUsesNothingOutOfScopePlans() throws IOException {
    Path root = SharedFiles.resolve("corpus");
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).filter(p -> measured(root.relativize(p).toString())).sorted().toList();
    }
    List<String> problems = new ArrayList<>();
    Map<Reason, Integer> refused = new TreeMap<>();
    int planned = 0;
    StringBuilder outOfScope = new StringBuilder();
    for (Path p : files) {
      String name = root.relativize(p).toString().replace('\\', '/');
      List<TemplateError> errors = planErrors(Files.readAllBytes(p), VALUES.getOrDefault(name, Map.of()),
          REGIONS.getOrDefault(name, StackContext.DEFAULT_REGION));
      Reason reason = reason(name, errors);
      if (errors.isEmpty()) {
        planned++;
        if (reason != null) {
          problems.add(name + ": listed as out of scope (" + reason + ") but it plans; take it off the list");
        }
      } else if (reason == null) {
        problems.add(name + ": " + errors.stream().limit(3).map(TemplateError::toString).toList());
      } else if (errors.stream().noneMatch(e -> e.message().contains(reason.shows))) {
        problems.add(name + ": refused, but not because of " + reason + ": " + errors.get(0));
      } else {
        refused.merge(reason, 1, Integer::sum);
        outOfScope.append("\n  ").append(name).append(": ").append(reason.why);
      }
    }
    System.out.println("[corpus] " + files.size() + " templates: " + planned + " plan; out of scope " + refused
        + outOfScope);
    assertThat(problems).as("corpus templates that should plan, or whose listed reason is wrong").isEmpty();
    assertThat(planned + refused.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(files.size());
  }

  /** Template files of the corpus, without the extracts, the result files and cfn-lint's bad fixtures. */
  static boolean measured(String name) {
    String n = name.replace('\\', '/');
    boolean template = n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".template");
    return template && n.indexOf('/') != n.lastIndexOf('/') && !n.endsWith(".snapshot.json")
        && !n.endsWith(".validation.json") && !n.startsWith("cfnlint/test/fixtures/results/")
        && !n.contains("/templates/bad/") && !n.startsWith("moto/");
  }

  private static List<TemplateError> planErrors(byte[] bytes, Map<String, String> given, String region) {
    LoadResult loaded = TemplateLoader.load(bytes, "corpus");
    if (loaded instanceof LoadResult.Invalid invalid) {
      return invalid.errors();
    }
    Template t = ((LoadResult.Loaded) loaded).template();
    Map<String, String> values = new LinkedHashMap<>();
    for (ParameterDefinition d : t.parameters().values()) {
      if (given.containsKey(d.name())) {
        values.put(d.name(), given.get(d.name()));
      } else if (d.defaultValue() == null) {
        values.put(d.name(), candidate(d));
      }
    }
    PlanResult r = Planner.plan(t, new ParameterInput(values), StackContext.forPlanning("corpus").withRegion(region));
    return r instanceof PlanResult.Rejected rejected ? rejected.errors() : List.of();
  }

  /** A value that meets the parameter's constraints, tried from its allowed values and common shapes. */
  private static String candidate(ParameterDefinition d) {
    List<String> candidates = new ArrayList<>(d.allowedValues());
    if (d.minValue() != null) {
      candidates.add(d.minValue().toPlainString());
    }
    candidates.addAll(List.of("Abc123", "abc", "10.0.0.0/16", "1", "abc.example.com", "Abcdefgh1!", "a-b_c",
        "ami-12345678", "t2.micro", "sg-12345678", "vpc-12345678", "subnet-1,subnet-2", "a,b,c"));
    return candidates.stream().filter(c -> ParameterResolver.check(d, c).isEmpty()).findFirst().orElse("x");
  }
}
