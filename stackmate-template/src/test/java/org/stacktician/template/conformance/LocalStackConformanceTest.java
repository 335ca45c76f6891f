package org.stacktician.template.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlanResult;
import org.stacktician.template.PlannedOutput;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.Planner;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;
import org.stacktician.template.TemplateLoader;
import org.stacktician.testing.SharedFiles;

/**
 * LocalStack's AWS-validated cases (corpus/localstack/REPLAYABLE_CASES.md): the expected outputs
 * and error messages were recorded against real CloudFormation. Stacks made of
 * {@code AWS::SSM::Parameter} resources are run here by a tiny in-test engine with SSM's
 * semantics (Ref = Name, GetAtt Value = the resolved Value), so that only the template language
 * is exercised.
 */
class LocalStackConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String template(String name) throws IOException {
    return Files.readString(SharedFiles.resolve("corpus/localstack/tests/aws/templates/" + name));
  }

  private static Template load(String name) throws IOException {
    return TemplateFixtures.load(template(name));
  }

  /** Creates the stack wave by wave with SSM semantics and returns the resolved outputs. */
  static Map<String, JsonNode> run(Template template, Map<String, String> parameters) {
    PlanResult planned = Planner.plan(template, new ParameterInput(parameters), StackContext.forPlanning("stack1"));
    if (planned instanceof PlanResult.Rejected r) {
      throw new AssertionError("rejected: " + r.errors());
    }
    Plan plan = ((PlanResult.Planned) planned).plan();
    Map<String, JsonNode> ids = new HashMap<>();
    Map<String, JsonNode> values = new HashMap<>();
    ResourceValues state = new ResourceValues() {
      @Override
      public Optional<JsonNode> ref(String id) {
        return Optional.ofNullable(ids.get(id));
      }

      @Override
      public Optional<JsonNode> getAtt(String id, String attribute) {
        return attribute.equals("Value") ? Optional.ofNullable(values.get(id)) : Optional.empty();
      }
    };
    for (List<String> wave : plan.waves()) {
      for (String id : wave) {
        PlannedResource r = plan.resources().get(id);
        Resolution props = plan.evaluator().resolve(r.definition().properties(), "Resources/" + id + "/Properties",
            state);
        assertThat(props).as(id).isInstanceOf(Resolution.Resolved.class);
        JsonNode p = ((Resolution.Resolved) props).value();
        ids.put(id, p.has("Name") ? p.get("Name") : TextNode.valueOf("CFN-" + id + "-abc123"));
        values.put(id, p.get("Value"));
      }
    }
    Map<String, JsonNode> outputs = new LinkedHashMap<>();
    for (PlannedOutput o : plan.outputs().values()) {
      Resolution value = plan.evaluator().resolve(template.outputs().get(o.name()).value(),
          "Outputs/" + o.name() + "/Value", state);
      assertThat(value).as(o.name()).isInstanceOf(Resolution.Resolved.class);
      outputs.put(o.name(), ((Resolution.Resolved) value).value());
    }
    return outputs;
  }

  private static String text(Map<String, JsonNode> outputs, String name) {
    return outputs.get(name).asText();
  }

  @Test
  void a1FnSubCases() throws IOException {
    Map<String, JsonNode> out = run(load("engine/cfn_fn_sub.yaml"), Map.of("ParameterName", "Param1Value"));
    assertThat(text(out, "StringStatic")).isEqualTo("this is a static string");
    assertThat(text(out, "StringRefParam")).isEqualTo("Param1Value");
    assertThat(text(out, "StringRefResource")).isEqualTo("Param1Value");
    assertThat(text(out, "StringRefPseudoParam")).isEqualTo("us-east-1");
    assertThat(text(out, "StringRefMultiple")).isEqualTo("Param1Value - Param1Value");
    assertThat(text(out, "StringRefGetAtt")).isEqualTo("unimportant");
    assertThat(text(out, "ListRefMultipleMix")).isEqualTo("Param1Value-us-east-1-Param1Value");
    assertThat(text(out, "ListRefGetAttMapping")).isEqualTo("unimportant");
    assertThat(text(out, "UrlSuffixPseudoParam")).isEqualTo("localdomain");
  }

  @Test
  void a2NumberInSub() throws IOException {
    Template t = load("cfn_number_in_sub.yml");
    Plan plan = TemplateFixtures.plan(t, Map.of("ParameterName", "n"));
    assertThat(plan.resources().get("Parameter").properties().get("Value").asText()).isEqualTo("my number is 3");
  }

  @Test
  void a3StackIdParts() throws IOException {
    Map<String, JsonNode> out = run(load("stack-id-validation.yaml"), Map.of());
    assertThat(text(out, "ParameterValue")).isEqualTo("stack1-s3logs-000000000000");
  }

  @Test
  void a4NoValueIsDroppedFromJoinLists() throws IOException {
    Map<String, JsonNode> out = run(load("engine/join_no_value.yml"), Map.of());
    assertThat(text(out, "JoinWithNoValue")).isEqualTo("Sample");
    assertThat(text(out, "JoinOnlyNoValue")).isEmpty();
    assertThat(text(out, "JoinConditionalNoValue")).isEmpty();
  }

  @Test
  void a5ConditionFromSelectOverFindInMap() throws IOException {
    assertThat(text(run(load("engine/fn_select_fn_mapp.yml"), Map.of()), "ParameterValue")).isEqualTo("true");
  }

  @Test
  void a6Base64OfSub() throws IOException {
    assertThat(text(run(load("functions_getatt_sub_base64.yml"), Map.of("OriginalString", "hello wörld")), "Encoded"))
        .isEqualTo(Base64.getEncoder().encodeToString("hello wörld".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a7SplitLengthAndJoin() throws IOException {
    Map<String, JsonNode> out = run(load("functions_select_split_join.yml"),
        Map.of("MultipleValues", "v1;v2", "Value1", "v1", "Value2", "v2"));
    assertThat(text(out, "SplitResult")).isEqualTo("v1");
    assertThat(text(out, "JoinResult")).isEqualTo("v1_v2");
    assertThat(text(out, "SplitJoin")).isEqualTo("v1_v2");
    assertThat(out.get("LengthResult").asInt()).isEqualTo(2);
  }

  @Test
  void a8FindInMap() throws IOException {
    assertThat(text(run(load("function_find_in_map.yml"), Map.of()), "Result")).isEqualTo("us-east-1");
    assertThat(text(run(load("function_find_in_map.yml"), Map.of("SelectedRegion", "west")), "Result"))
        .isEqualTo("us-west-1");
  }

  @Test
  void a9Cidr() throws IOException {
    assertThat(text(run(load("functions_cidr.yml"),
        Map.of("IpBlock", "10.0.0.0/16", "Count", "1", "CidrBits", "8", "Select", "0")), "Address"))
        .isEqualTo("10.0.0.0/24");
  }

  @Test
  void a11ShortFormSubWithBlockScalar() throws IOException {
    assertThat(text(run(load("engine/cfn_short_sub.yml"), Map.of()), "Result")).isEqualTo("test");
  }

  @Test
  void a12ToJsonString() throws IOException {
    JsonNode json = JSON.readTree(text(run(load("function_to_json_string.yml"), Map.of("Value1", "a", "Value2", "b")),
        "Result"));
    assertThat(json).isEqualTo(JSON.readTree("{\"key1\":\"a\",\"key2\":\"b\"}"));
  }

  @Test
  void a13IfWithConditionalResources() throws IOException {
    assertThat(text(run(load("cfn_if_attribute_none.yml"), Map.of("CreateParameter", "false")), "Result"))
        .isEqualTo("Value1");
    assertThat(text(run(load("cfn_if_attribute_none.yml"), Map.of("CreateParameter", "true")), "Result"))
        .isEqualTo("Value2");
  }

  @Test
  void a14DependencyInTheUntakenIfBranchDoesNotFail() throws IOException {
    Template t = load("engine/cfn_if_conditional_reference.yaml");
    Map<String, JsonNode> fallback = run(t, Map.of());
    assertThat(fallback).containsKey("ParameterName");
    Plan p = TemplateFixtures.plan(t, Map.of("ShouldUseFallbackParameter", "false"));
    assertThat(p.resources().get("DependentParameter").dependsOn()).containsExactly("DefaultParameter");
    assertThat(p.resources().get("FallbackParameter").included()).isFalse();
  }

  @Test
  void a15ConditionInCondition() throws IOException {
    Template t = load("conditions/conditional-in-conditional.yml");
    assertThat(text(run(t, Map.of("Environment", "production", "SelectedRegion", "us-east-1")), "Result"))
        .isEqualTo("true");
    assertThat(text(run(t, Map.of("Environment", "dev", "SelectedRegion", "us-west-2")), "Result")).isEqualTo("false");
  }

  @Test
  void a16ReferencesToDisabledResources() throws IOException {
    Template t = load("references_to_conditions.yml");
    assertThat(run(t, Map.of("Toggle", "yes", "ParameterValue", "v"))).containsOnlyKeys("ConditionalParameterValue")
        .extractingByKey("ConditionalParameterValue").isEqualTo(TextNode.valueOf("v"));
    assertThat(run(t, Map.of("Toggle", "no", "ParameterValue", "v"))).isEmpty();
  }

  @Test
  void a17ListParameterType() throws IOException {
    assertThat(text(run(load("cfn_parameter_list_type.yaml"), Map.of("ParamsList", "foo,bar")), "ParamValue"))
        .isEqualTo("foo|bar");
  }

  private static List<String> loadErrors(String name) throws IOException {
    LoadResult r = TemplateLoader.load(template(name), name);
    assertThat(r).as(name).isInstanceOf(LoadResult.Invalid.class);
    return ((LoadResult.Invalid) r).errors().stream().map(TemplateError::message).toList();
  }

  private static List<String> planErrors(String name, Map<String, String> params) throws IOException {
    return TemplateFixtures.planErrors(load(name), params).stream().map(TemplateError::message).toList();
  }

  @Test
  void b1MissingParameterValue() throws IOException {
    assertThat(planErrors("ssm_parameter_defaultname.yaml", Map.of())).containsExactly(
        "Parameters: [Input] must have values");
  }

  @Test
  void b4DependsOnMissingResource() throws IOException {
    assertThat(loadErrors("engine/cfn_dependson_nonexisting_resource.yaml")).containsExactly(
        "Template format error: Unresolved resource dependencies [NonExistingResource] in the Resources block of the "
            + "template");
  }

  @Test
  void b6AndB7ReferencesToAResourceThatIsOff() throws IOException {
    String expected = "Template format error: Unresolved resource dependencies [MyTopic] in the Resources block of the "
        + "template";
    assertThat(allPlanErrors("conditions/ref-condition.yaml")).contains(expected);
    assertThat(allPlanErrors("conditions/get-att-condition.yml")).contains(expected);
    assertThat(allPlanErrors("conditions/ref-condition-output.yaml")).contains(
        "Unresolved resource dependencies [MyTopic] in the Outputs block of the template");
  }

  /** Plans with every parameter's last allowed value (option-b), which turns the conditional resource off. */
  private static List<String> allPlanErrors(String name) throws IOException {
    Template t = load(name);
    Map<String, String> params = new HashMap<>();
    t.parameters().values().forEach(p -> {
      if (p.defaultValue() == null) {
        params.put(p.name(), p.allowedValues().isEmpty() ? "x" : p.allowedValues().get(p.allowedValues().size() - 1));
      }
    });
    return TemplateFixtures.planErrors(t, params).stream().map(TemplateError::message).toList();
  }

  @Test
  void b12GetAttStructure() throws IOException {
    String expected = "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name "
        + "and the resource attribute";
    assertThat(loadErrors("getatt_validation.yml")).anySatisfy(m -> assertThat(m).startsWith(expected));
    assertThat(loadErrors("getatt_validation2.yml")).anySatisfy(m -> assertThat(m).startsWith(expected));
  }

  @Test
  void b14MissingMappingKey() throws IOException {
    Template t = load("mappings/simple-mapping.yaml");
    assertThat(TemplateFixtures.planErrors(t, Map.of("TopicName", "t", "TopicNameSuffixSelector", "C")).stream()
        .map(TemplateError::message))
        .contains("Template error: Unable to get mapping for TopicSuffixMap::C::Suffix");
  }

  @Test
  void b15AndB16BadMappings() throws IOException {
    assertThat(loadErrors("mappings/simple-mapping-invalid-ref.yaml")).contains(
        "Template format error: Every Mappings attribute must be a String or a List.");
    assertThat(loadErrors("mappings/simple-mapping-nesting-depth.yaml")).contains(
        "Template format error: Every Mappings attribute must be a String or a List.");
    assertThat(loadErrors("mappings/simple-mapping-single-level.yaml")).contains(
        "Template format error: Every Mappings member A must be a map");
  }

  @Test
  void b24ValidTemplate() throws IOException {
    Template t = load("valid_template.json");
    assertThat(t.parameters()).containsKey("KeyExample");
    assertThat(t.parameters().get("KeyExample").noEcho()).isFalse();
  }
}
