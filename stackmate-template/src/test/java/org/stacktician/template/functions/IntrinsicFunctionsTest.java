package org.stacktician.template.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stacktician.template.ExportLookup;
import org.stacktician.template.Plan;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;

/** Every intrinsic function's value rules and error messages, evaluated after planning. */
class IntrinsicFunctionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String BASE = """
      Parameters:
        Name: {Type: String, Default: web}
        Count: {Type: Number, Default: "3"}
        Zones: {Type: CommaDelimitedList, Default: "z1, z2 ,z3"}
        Ports: {Type: List<Number>, Default: "80,443"}
        Secret: {Type: String, Default: hunter22, NoEcho: true}
        Env: {Type: String, Default: prod}
      Mappings:
        Sizes:
          prod: {Offering: Large, Zones: [a, b]}
          dev: {Offering: Small}
      Conditions:
        IsProd: !Equals [!Ref Env, prod]
        IsDev: !Not [!Condition IsProd]
      Resources:
        Vm:
          Type: CloudStack::VirtualMachine
          Properties: {name: x}
        Net:
          Type: CloudStack::Network
        DevOnly:
          Type: CloudStack::Volume
          Condition: IsDev
      """;

  private static Plan plan() {
    return plan(StackContext.forPlanning("demo"));
  }

  private static Plan plan(StackContext context) {
    Template t = TemplateFixtures.load(BASE);
    return TemplateFixtures.plan(t, Map.of(), context);
  }

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new UncheckedIOException(new java.io.IOException(e));
    }
  }

  private static Resolution resolve(String expression) {
    return resolve(expression, ResourceValues.NONE);
  }

  private static Resolution resolve(String expression, ResourceValues values) {
    return plan().evaluator().resolve(json(expression), "Resources/Vm/Properties", values);
  }

  private static JsonNode value(String expression) {
    Resolution r = resolve(expression);
    assertThat(r).as("%s", r).isInstanceOf(Resolution.Resolved.class);
    return ((Resolution.Resolved) r).value();
  }

  private static List<String> errors(String expression) {
    Resolution r = resolve(expression);
    assertThat(r).as("%s", r).isInstanceOf(Resolution.Failed.class);
    return ((Resolution.Failed) r).errors().stream().map(TemplateError::message).toList();
  }

  private static Resolution.Deferred deferred(String expression) {
    Resolution r = resolve(expression);
    assertThat(r).as("%s", r).isInstanceOf(Resolution.Deferred.class);
    return (Resolution.Deferred) r;
  }

  /** Resources Vm and Net exist with these ids and attributes. */
  static final ResourceValues CREATED = new ResourceValues() {
    @Override
    public Optional<JsonNode> ref(String id) {
      return switch (id) {
        case "Vm" -> Optional.of(json("\"vm-123\""));
        case "Net" -> Optional.of(json("\"net-9\""));
        default -> Optional.empty();
      };
    }

    @Override
    public Optional<JsonNode> getAtt(String id, String attribute) {
      if (id.equals("Vm") && attribute.equals("ipaddress")) {
        return Optional.of(json("\"10.0.0.5\""));
      }
      if (id.equals("Vm") && attribute.equals("nics")) {
        return Optional.of(json("[\"a\",\"b\"]"));
      }
      return Optional.empty();
    }
  };

  // ---- Ref

  @Test
  void refGivesParameterValuesAsStringsAndListsForListTypes() {
    assertThat(value("{\"Ref\":\"Name\"}").asText()).isEqualTo("web");
    assertThat(value("{\"Ref\":\"Count\"}")).isEqualTo(json("\"3\""));
    assertThat(value("{\"Ref\":\"Zones\"}")).isEqualTo(json("[\"z1\",\"z2\",\"z3\"]"));
    assertThat(value("{\"Ref\":\"Ports\"}")).isEqualTo(json("[\"80\",\"443\"]"));
  }

  @Test
  void refGivesPseudoParameters() {
    assertThat(value("{\"Ref\":\"AWS::StackName\"}").asText()).isEqualTo("demo");
    assertThat(value("{\"Ref\":\"CloudStack::StackName\"}").asText()).isEqualTo("demo");
    assertThat(value("{\"Ref\":\"AWS::StackId\"}").asText()).contains("stack/demo/");
    assertThat(value("{\"Ref\":\"CloudStack::StackId\"}")).isEqualTo(value("{\"Ref\":\"AWS::StackId\"}"));
    assertThat(value("{\"Ref\":\"AWS::Region\"}").asText()).isEqualTo("us-east-1");
    assertThat(value("{\"Ref\":\"AWS::Partition\"}").asText()).isEqualTo("cloudstack");
    assertThat(value("{\"Ref\":\"AWS::AccountId\"}").asText()).isEqualTo("000000000000");
    assertThat(value("{\"Ref\":\"AWS::URLSuffix\"}").asText()).isEqualTo("localdomain");
    assertThat(value("{\"Ref\":\"AWS::NotificationARNs\"}")).isEqualTo(json("[]"));
    assertThat(value("{\"Ref\":\"CloudStack::StackMateApiURL\"}").asText()).isEqualTo("http://localhost:4567/");
  }

  @Test
  void noValueRemovesTheProperty() {
    assertThat(value("{\"a\":{\"Ref\":\"AWS::NoValue\"},\"b\":1}")).isEqualTo(json("{\"b\":1}"));
    assertThat(value("[1,{\"Ref\":\"AWS::NoValue\"},2]")).isEqualTo(json("[1,2]"));
    assertThat(value("{\"Ref\":\"AWS::NoValue\"}").isMissingNode()).isTrue();
  }

  @Test
  void refToAResourceWaitsForItThenGivesItsPhysicalId() {
    Resolution.Deferred d = deferred("{\"x\":{\"Ref\":\"Vm\"},\"y\":{\"Ref\":\"Name\"}}");
    assertThat(d.waitingOn()).containsExactly("Vm");
    assertThat(d.partial()).isEqualTo(json("{\"x\":{\"Ref\":\"Vm\"},\"y\":\"web\"}"));
    assertThat(resolve("{\"Ref\":\"Vm\"}", CREATED)).isEqualTo(new Resolution.Resolved(json("\"vm-123\"")));
  }

  @Test
  void refErrors() {
    assertThat(errors("{\"Ref\":\"Nope\"}")).containsExactly(
        "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template");
    assertThat(errors("{\"Ref\":[\"Name\"]}")).containsExactly(
        "Template format error: Every Ref object must have a single String value.");
    assertThat(errors("{\"Ref\":\"DevOnly\"}")).containsExactly(
        "Template format error: Unresolved resource dependencies [DevOnly] in the Resources block of the template");
  }

  @Test
  void lookupIsTheOriginalsExtensionForParametersAndPseudoParameters() {
    assertThat(value("{\"Fn::Lookup\":\"Name\"}").asText()).isEqualTo("web");
    assertThat(value("{\"Fn::Lookup\":\"AWS::StackName\"}").asText()).isEqualTo("demo");
    assertThat(errors("{\"Fn::Lookup\":\"Vm\"}")).singleElement().asString().contains("Fn::Lookup", "'Vm'");
  }

  // ---- GetAtt

  @Test
  void getAttBothFormsWaitThenResolve() {
    assertThat(deferred("{\"Fn::GetAtt\":[\"Vm\",\"ipaddress\"]}").waitingOn()).containsExactly("Vm");
    assertThat(deferred("{\"Fn::GetAtt\":\"Vm.ipaddress\"}").partial())
        .isEqualTo(json("{\"Fn::GetAtt\":[\"Vm\",\"ipaddress\"]}"));
    assertThat(resolve("{\"Fn::GetAtt\":[\"Vm\",\"ipaddress\"]}", CREATED))
        .isEqualTo(new Resolution.Resolved(json("\"10.0.0.5\"")));
    assertThat(resolve("{\"Fn::GetAtt\":\"Vm.ipaddress\"}", CREATED))
        .isEqualTo(new Resolution.Resolved(json("\"10.0.0.5\"")));
  }

  @Test
  void getAttAttributeNameMayBeARef() {
    Template t = TemplateFixtures.load(BASE.replace("Name: {Type: String, Default: web}",
        "Name: {Type: String, Default: web}\n  Attr: {Type: String, Default: ipaddress}"));
    Plan p = TemplateFixtures.plan(t, Map.of());
    assertThat(p.evaluator().resolve(json("{\"Fn::GetAtt\":[\"Vm\",{\"Ref\":\"Attr\"}]}"), "Resources/Vm/Properties",
        CREATED)).isEqualTo(new Resolution.Resolved(json("\"10.0.0.5\"")));
  }

  @Test
  void getAttErrors() {
    String shape = "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name "
        + "and the resource attribute";
    assertThat(errors("{\"Fn::GetAtt\":[\"Vm\"]}")).containsExactly(shape);
    assertThat(errors("{\"Fn::GetAtt\":[\"Vm\",\"\"]}")).containsExactly(shape);
    assertThat(errors("{\"Fn::GetAtt\":\"Vm\"}").get(0)).startsWith(shape);
    assertThat(errors("{\"Fn::GetAtt\":[\"Ghost\",\"ip\"]}")).containsExactly(
        "Template error: instance of Fn::GetAtt references undefined resource Ghost");
    Resolution unknownAttr = resolve("{\"Fn::GetAtt\":[\"Vm\",\"colour\"]}", CREATED);
    assertThat(unknownAttr).isInstanceOf(Resolution.Failed.class);
    assertThat(((Resolution.Failed) unknownAttr).errors().get(0).message())
        .isEqualTo("Template error: resource Vm does not support attribute type colour in Fn::GetAtt");
  }

  // ---- Join

  @Test
  void joinJoinsStringsNumbersAndListsFromFunctions() {
    assertThat(value("{\"Fn::Join\":[\"-\",[\"a\",{\"Ref\":\"Name\"},3,true]]}").asText()).isEqualTo("a-web-3-true");
    assertThat(value("{\"Fn::Join\":[\",\",{\"Ref\":\"Zones\"}]}").asText()).isEqualTo("z1,z2,z3");
    assertThat(value("{\"Fn::Join\":[\"\",[]]}").asText()).isEmpty();
    assertThat(value("{\"Fn::Join\":[\"\",[\"Sample\",{\"Ref\":\"AWS::NoValue\"}]]}").asText()).isEqualTo("Sample");
  }

  @Test
  void joinWithAResourceStaysPartial() {
    Resolution.Deferred d = deferred("{\"Fn::Join\":[\"/\",[{\"Ref\":\"Name\"},{\"Ref\":\"Vm\"}]]}");
    assertThat(d.partial()).isEqualTo(json("{\"Fn::Join\":[\"/\",[\"web\",{\"Ref\":\"Vm\"}]]}"));
    assertThat(d.waitingOn()).containsExactly("Vm");
  }

  @Test
  void joinErrors() {
    String shape = StringFunctions.JOIN_SHAPE;
    assertThat(errors("{\"Fn::Join\":{\"foo\":\"bar\"}}")).containsExactly(shape);
    assertThat(errors("{\"Fn::Join\":[\"a\",\"b\",\"c\"]}")).containsExactly(shape);
    assertThat(errors("{\"Fn::Join\":[\"a\",\"b\"]}")).containsExactly(shape);
    assertThat(errors("{\"Fn::Join\":[[\"a\"],[\"b\"]]}").get(0)).startsWith(shape);
    assertThat(errors("{\"Fn::Join\":[\"/\",[[\"a\"],\"b\"]]}").get(0)).startsWith(shape).contains("element 0");
  }

  // ---- Sub

  @Test
  void subReplacesParametersPseudoParametersAndMapVariables() {
    assertThat(value("{\"Fn::Sub\":\"${AWS::StackName}-${Name}-${Count}\"}").asText()).isEqualTo("demo-web-3");
    assertThat(value("{\"Fn::Sub\":[\"${A}/${Name}\",{\"A\":{\"Ref\":\"Env\"}}]}").asText()).isEqualTo("prod/web");
    assertThat(value("{\"Fn::Sub\":[\"${Name}\",{\"Name\":\"shadowed\"}]}").asText()).isEqualTo("shadowed");
    assertThat(value("{\"Fn::Sub\":\"${!Literal} and ${ Name }\"}").asText()).isEqualTo("${Literal} and web");
    assertThat(value("{\"Fn::Sub\":\"no variables, ${unterminated\"}").asText()).isEqualTo("no variables, ${unterminated");
    assertThat(value("{\"Fn::Sub\":[\"plain\"]}").asText()).isEqualTo("plain");
  }

  @Test
  void subWithResourcesAndAttributesIsDeferredWithKnownPartsFilledIn() {
    Resolution.Deferred d = deferred("{\"Fn::Sub\":\"${Name} ${Vm} ${Vm.ipaddress} ${!Keep}\"}");
    assertThat(d.waitingOn()).containsExactly("Vm");
    assertThat(d.partial()).isEqualTo(json("{\"Fn::Sub\":\"web ${Vm} ${Vm.ipaddress} ${!Keep}\"}"));
    assertThat(plan().evaluator().resolve(d.partial(), "Resources/Vm/Properties", CREATED))
        .isEqualTo(new Resolution.Resolved(json("\"web vm-123 10.0.0.5 ${Keep}\"")));
  }

  @Test
  void subErrors() {
    assertThat(errors("{\"Fn::Sub\":\"${Nope}\"}")).containsExactly(
        "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template");
    assertThat(errors("{\"Fn::Sub\":[1,2]}")).containsExactly(StringFunctions.SUB_SHAPE);
    assertThat(errors("{\"Fn::Sub\":\"${Zones}\"}").get(0)).contains("variable Zones", "list");
  }

  // ---- Select, Split, Length

  @Test
  void selectPicksFromListsAndFunctionResults() {
    assertThat(value("{\"Fn::Select\":[\"1\",[\"a\",\"b\",\"c\"]]}").asText()).isEqualTo("b");
    assertThat(value("{\"Fn::Select\":[0,{\"Ref\":\"Zones\"}]}").asText()).isEqualTo("z1");
    assertThat(value("{\"Fn::Select\":[2,{\"Fn::Split\":[\",\",\"a,,b\"]}]}").asText()).isEqualTo("b");
    assertThat(value("{\"Fn::Select\":[1,{\"Fn::FindInMap\":[\"Sizes\",\"prod\",\"Zones\"]}]}").asText())
        .isEqualTo("b");
    // the chosen element may still wait on a resource; the others do not matter
    assertThat(deferred("{\"Fn::Select\":[1,[\"a\",{\"Ref\":\"Vm\"}]]}").waitingOn()).containsExactly("Vm");
  }

  @Test
  void selectErrors() {
    String shape = "Template error: Fn::Select requires a list argument with two elements: an integer index and a list";
    assertThat(errors("{\"Fn::Select\":[\"a\",\"b\",\"c\"]}")).containsExactly(shape);
    assertThat(errors("{\"Fn::Select\":{\"foo\":\"bar\"}}")).containsExactly(shape);
    assertThat(errors("{\"Fn::Select\":[\"x\",[\"a\"]]}").get(0)).startsWith(shape);
    assertThat(errors("{\"Fn::Select\":[0,\"notalist\"]}").get(0)).startsWith(shape);
    assertThat(errors("{\"Fn::Select\":[3,[\"a\",\"b\"]]}").get(0)).startsWith(shape).contains("index 3 is out of range");
    assertThat(errors("{\"Fn::Select\":[-1,[\"a\"]]}").get(0)).contains("out of range");
  }

  @Test
  void selectOutOfRangeAtRunTimeFails() {
    Resolution r = resolve("{\"Fn::Select\":[5,{\"Fn::GetAtt\":[\"Vm\",\"nics\"]}]}", CREATED);
    assertThat(r).isInstanceOf(Resolution.Failed.class);
    assertThat(resolve("{\"Fn::Select\":[1,{\"Fn::GetAtt\":[\"Vm\",\"nics\"]}]}", CREATED))
        .isEqualTo(new Resolution.Resolved(json("\"b\"")));
  }

  @Test
  void splitKeepsEmptyMembers() {
    assertThat(value("{\"Fn::Split\":[\",\",\"a,,b\"]}")).isEqualTo(json("[\"a\",\"\",\"b\"]"));
    assertThat(value("{\"Fn::Split\":[\"::\",\"a::b::\"]}")).isEqualTo(json("[\"a\",\"b\",\"\"]"));
    assertThat(value("{\"Fn::Split\":[\"|\",\"\"]}")).isEqualTo(json("[\"\"]"));
    assertThat(value("{\"Fn::Select\":[4,{\"Fn::Split\":[\"-\",{\"Fn::Select\":[2,{\"Fn::Split\":[\"/\","
        + "\"arn:aws:cloudformation:r:1:stack/demo/11-22-33-44-55\"]}]}]}]}").asText()).isEqualTo("55");
    assertThat(errors("{\"Fn::Split\":[\",\"]}")).containsExactly(StringFunctions.SPLIT_SHAPE);
    assertThat(errors("{\"Fn::Split\":[\"\",\"abc\"]}").get(0)).contains("delimiter is empty");
  }

  @Test
  void lengthCountsListMembers() {
    assertThat(value("{\"Fn::Length\":[1,2,3]}").asInt()).isEqualTo(3);
    assertThat(value("{\"Fn::Length\":{\"Ref\":\"Zones\"}}").asInt()).isEqualTo(3);
    assertThat(value("{\"Fn::Length\":[\"a\",{\"Ref\":\"Vm\"}]}").asInt()).isEqualTo(2);
    assertThat(errors("{\"Fn::Length\":\"abc\"}")).containsExactly(ListFunctions.LENGTH_SHAPE);
  }

  @Test
  void toJsonStringWritesCompactJson() {
    assertThat(value("{\"Fn::ToJsonString\":[\"a\",\"b\",\"c\"]}").asText()).isEqualTo("[\"a\",\"b\",\"c\"]");
    assertThat(value("{\"Fn::ToJsonString\":{\"k\":{\"Ref\":\"Name\"}}}").asText()).isEqualTo("{\"k\":\"web\"}");
    assertThat(deferred("{\"Fn::ToJsonString\":{\"k\":{\"Ref\":\"Vm\"}}}").waitingOn()).containsExactly("Vm");
    assertThat(errors("{\"Fn::ToJsonString\":\"x\"}")).containsExactly(StringFunctions.TOJSON_SHAPE);
  }

  // ---- FindInMap, Base64, GetAZs, Cidr, ImportValue

  @Test
  void findInMapLooksUpWithKeysFromFunctionsAndDefaults() {
    assertThat(value("{\"Fn::FindInMap\":[\"Sizes\",{\"Ref\":\"Env\"},\"Offering\"]}").asText()).isEqualTo("Large");
    assertThat(value("{\"Fn::FindInMap\":[\"Sizes\",\"prod\",\"Zones\"]}")).isEqualTo(json("[\"a\",\"b\"]"));
    assertThat(value("{\"Fn::FindInMap\":[\"Sizes\",\"qa\",\"Offering\",{\"DefaultValue\":\"Tiny\"}]}").asText())
        .isEqualTo("Tiny");
    assertThat(value("{\"Fn::FindInMap\":[\"Nope\",\"qa\",\"Offering\",{\"DefaultValue\":\"Tiny\"}]}").asText())
        .isEqualTo("Tiny");
  }

  @Test
  void findInMapErrors() {
    assertThat(errors("{\"Fn::FindInMap\":[\"Sizes\",\"dev\",\"Zones\"]}")).containsExactly(
        "Template error: Unable to get mapping for Sizes::dev::Zones");
    assertThat(errors("{\"Fn::FindInMap\":[\"Sizes\",\"dev\"]}")).containsExactly(MappingFunctions.FINDINMAP_SHAPE);
    assertThat(errors("{\"Fn::FindInMap\":[\"Other\",\"dev\",\"x\"]}").get(0)).contains("Mapping named 'Other'");
    assertThat(errors("{\"Fn::FindInMap\":[\"Sizes\",\"dev\",\"x\",{\"Default\":1}]}").get(0))
        .startsWith(MappingFunctions.FINDINMAP_SHAPE).contains("DefaultValue");
  }

  @Test
  void base64EncodesUtf8() {
    assertThat(value("{\"Fn::Base64\":\"héllo\"}").asText()).isEqualTo("aMOpbGxv");
    assertThat(value("{\"Fn::Base64\":{\"Fn::Join\":[\"\",[\"#!\",{\"Ref\":\"Name\"}]]}}").asText())
        .isEqualTo(java.util.Base64.getEncoder().encodeToString("#!web".getBytes()));
    assertThat(errors("{\"Fn::Base64\":[\"a\"]}")).containsExactly(StringFunctions.BASE64_SHAPE);
  }

  @Test
  void getAzsGivesCloudStackZoneNamesWhenKnown() {
    assertThat(deferred("{\"Fn::GetAZs\":\"\"}").waitingOn()).isEmpty();
    Plan p = plan(StackContext.forPlanning("demo").withAvailabilityZones(List.of("zone-a", "zone-b")));
    assertThat(p.evaluator().resolve(json("{\"Fn::Select\":[1,{\"Fn::GetAZs\":{\"Ref\":\"AWS::Region\"}}]}"),
        "Resources/Vm/Properties", ResourceValues.NONE)).isEqualTo(new Resolution.Resolved(json("\"zone-b\"")));
    assertThat(errors("{\"Fn::GetAZs\":[1]}")).containsExactly(ListFunctions.GETAZS_SHAPE);
  }

  @Test
  void cidrCarvesSubnets() {
    assertThat(value("{\"Fn::Cidr\":[\"192.168.0.0/24\",6,5]}")).isEqualTo(json(
        "[\"192.168.0.0/27\",\"192.168.0.32/27\",\"192.168.0.64/27\",\"192.168.0.96/27\",\"192.168.0.128/27\","
            + "\"192.168.0.160/27\"]"));
    assertThat(value("{\"Fn::Select\":[0,{\"Fn::Cidr\":[\"10.0.0.0/16\",\"1\",\"8\"]}]}").asText())
        .isEqualTo("10.0.0.0/24");
    assertThat(value("{\"Fn::Cidr\":[\"2001:db8::/56\",2,64]}")).isEqualTo(json(
        "[\"2001:db8::/64\",\"2001:db8:0:1::/64\"]"));
    assertThat(errors("{\"Fn::Cidr\":[\"10.0.0.0/24\",2]}")).containsExactly(ListFunctions.CIDR_SHAPE);
    assertThat(errors("{\"Fn::Cidr\":[\"10.0.0.0/24\",300,4]}").get(0)).contains("count");
    assertThat(errors("{\"Fn::Cidr\":[\"10.0.0.0/24\",2,9]}").get(0)).contains("cidrBits");
    assertThat(errors("{\"Fn::Cidr\":[\"999.0.0.0/24\",2,4]}").get(0)).contains("999.0.0.0/24");
    assertThat(errors("{\"Fn::Cidr\":[\"10.0.0.0/30\",8,1]}").get(0)).contains("holds only 2 subnets");
  }

  @Test
  void importValueUsesTheExportLookup() {
    assertThat(deferred("{\"Fn::ImportValue\":\"shared-net\"}").waitingOn()).isEmpty();
    StackContext context = StackContext.forPlanning("demo")
        .withExports(name -> name.equals("shared-net") ? Optional.of("net-77") : Optional.empty());
    Plan p = plan(context);
    assertThat(p.evaluator().resolve(json("{\"Fn::ImportValue\":{\"Fn::Sub\":\"shared-${Zones}\"}}"),
        "Resources/Vm/Properties", ResourceValues.NONE)).isInstanceOf(Resolution.Failed.class);
    assertThat(p.evaluator().resolve(json("{\"Fn::ImportValue\":{\"Fn::Sub\":\"shared-net\"}}"),
        "Resources/Vm/Properties", ResourceValues.NONE)).isEqualTo(new Resolution.Resolved(json("\"net-77\"")));
    Resolution missing = p.evaluator().resolve(json("{\"Fn::ImportValue\":\"other\"}"), "Resources/Vm/Properties",
        ResourceValues.NONE);
    assertThat(((Resolution.Failed) missing).errors().get(0).message()).isEqualTo("No export named other found.");
  }

  @Test
  void getStackOutputReadsAStackOfTheSameCloudThroughTheLookup() {
    String fn = "{\"Fn::GetStackOutput\":{\"StackName\":\"network\",\"OutputName\":{\"Fn::Sub\":\"NetId\"}}}";
    assertThat(deferred(fn).waitingOn()).as("unknown until a store is there").isEmpty();
    StackContext context = StackContext.forPlanning("demo").withExports(new ExportLookup() {
      @Override
      public Optional<String> find(String exportName) {
        return Optional.empty();
      }

      @Override
      public Optional<String> stackOutput(String stack, String output) {
        return stack.equals("network") && output.equals("NetId") ? Optional.of("net-9") : Optional.empty();
      }
    });
    Plan p = plan(context);
    assertThat(p.evaluator().resolve(json(fn), "Resources/Vm/Properties", ResourceValues.NONE))
        .isEqualTo(new Resolution.Resolved(json("\"net-9\"")));
    assertThat(((Resolution.Failed) p.evaluator().resolve(json(fn.replace("network", "other")),
        "Resources/Vm/Properties", ResourceValues.NONE)).errors().get(0).message())
        .isEqualTo("Template error: Fn::GetStackOutput found no output NetId of a stack other in this cloud");
    assertThat(((Resolution.Failed) p.evaluator().resolve(json(fn.replace("}}}", "},\"Region\":\"eu-west-1\"}}")),
        "Resources/Vm/Properties", ResourceValues.NONE)).errors().get(0).message())
        .isEqualTo("Template error: Fn::GetStackOutput cannot read stack network in region eu-west-1; StackMate "
            + "reads the stacks of the same store and cloud (region us-east-1)");
    assertThat(errors("{\"Fn::GetStackOutput\":[\"network\",\"NetId\"]}").get(0)).isEqualTo("Template error: "
        + "Fn::GetStackOutput requires an object with StackName and OutputName (and optionally Region)");
    assertThat(errors("{\"Fn::GetStackOutput\":{\"StackName\":\"n\",\"OutputName\":\"o\",\"RoleArn\":\"r\"}}")
        .get(0)).contains("RoleArn");
  }

  // ---- If and condition functions

  @Test
  void ifChoosesByConditionAndOnlyTheChosenBranchCounts() {
    assertThat(value("{\"Fn::If\":[\"IsProd\",\"big\",\"small\"]}").asText()).isEqualTo("big");
    assertThat(value("{\"Fn::If\":[\"IsDev\",\"big\",\"small\"]}").asText()).isEqualTo("small");
    assertThat(value("{\"a\":{\"Fn::If\":[\"IsDev\",\"x\",{\"Ref\":\"AWS::NoValue\"}]}}")).isEqualTo(json("{}"));
    // the untaken branch refers to a resource that is not created: no error, no dependency
    assertThat(value("{\"Fn::If\":[\"IsProd\",\"ok\",{\"Ref\":\"DevOnly\"}]}").asText()).isEqualTo("ok");
    assertThat(errors("{\"Fn::If\":[\"IsDev\",\"ok\",{\"Fn::GetAtt\":[\"DevOnly\",\"id\"]}]}").get(0))
        .contains("[DevOnly]");
  }

  @Test
  void ifErrors() {
    assertThat(errors("{\"Fn::If\":[\"Missing\",\"a\",\"b\"]}")).containsExactly(
        "Template error: unresolved condition dependency Missing in Fn::If");
    assertThat(errors("{\"Fn::If\":[\"IsProd\",\"a\"]}")).containsExactly(ConditionFunctions.IF_SHAPE);
  }

  @Test
  void conditionFunctionsOutsideConditionsAndUnknownFunctionsAreErrors() {
    assertThat(errors("{\"Fn::Equals\":[\"a\",\"a\"]}").get(0)).contains("condition function");
    assertThat(errors("{\"Fn::Bogus\":1}").get(0)).startsWith(
        "Template format error: Encountered unsupported function: Fn::Bogus Supported functions are: [");
    assertThat(errors("{\"Fn::ForEach\":[]}").get(0)).contains("not supported");
  }

  @Test
  void errorsCarryThePathOfTheFunction() {
    Resolution r = resolve("{\"list\":[{\"Ref\":\"Nope\"}]}");
    TemplateError e = ((Resolution.Failed) r).errors().get(0);
    assertThat(e.path()).isEqualTo("Resources/Vm/Properties/list/0/Ref");
  }

  @Test
  void everyErrorIsReportedNotOnlyTheFirst() {
    assertThat(errors("{\"a\":{\"Ref\":\"X1\"},\"b\":{\"Fn::GetAtt\":[\"X2\",\"y\"]},\"c\":{\"Fn::Sub\":\"${X3}\"}}"))
        .hasSize(3);
  }

  @Test
  void objectsWithSeveralKeysAreNotFunctions() {
    assertThat(value("{\"Ref\":\"Name\",\"Other\":1}")).isEqualTo(json("{\"Ref\":\"Name\",\"Other\":1}"));
  }
}
