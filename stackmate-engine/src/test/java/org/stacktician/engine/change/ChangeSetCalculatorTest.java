package org.stacktician.engine.change;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.change.ChangeDetail.Evaluation;
import org.stacktician.engine.change.ChangeDetail.Source;
import org.stacktician.engine.change.ResourceChange.Action;
import org.stacktician.engine.change.ResourceChange.Replacement;
import org.stacktician.engine.change.Target.Attribute;
import org.stacktician.engine.change.Target.RequiresRecreation;
import org.stacktician.engine.change.UpdateRequest.ParameterValue;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateError;

/** Change sets over the real handlers' update rules (CloudStack:: types from the simulator's listApis). */
class ChangeSetCalculatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static SimulatedCloud cloud;
  static ChangeSetCalculator calculator;

  @BeforeAll
  static void start() {
    cloud = new SimulatedCloud();
    calculator = ChangeSetCalculator.using(ProviderRegistry.describing(cloud.base));
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  static final String WEB = """
      {"Parameters": {"Name": {"Type": "String", "Default": "web"},
                      "Offering": {"Type": "String", "Default": "small"},
                      "Zone": {"Type": "String", "Default": "z1"}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": "web-sg", "description": "web"}},
         "Vm": {"Type": "CloudStack::VirtualMachine", "Properties": {
           "zoneid": {"Ref": "Zone"}, "templateid": "t1", "serviceofferingid": {"Ref": "Offering"},
           "displayname": {"Ref": "Name"}, "securitygroupids": {"Ref": "Sg"}}},
         "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"Vm": {"Value": {"Ref": "Vm"}}}}
      """;

  static final Map<String, String> IDS = Map.of("Sg", "sg-1", "Vm", "vm-1", "Handle", "https://handle");

  private static StackSnapshot stack(String template, Map<String, String> parameters) {
    return new StackSnapshot("web", template, parameters, IDS);
  }

  private static final Map<String, String> DEFAULTS = Map.of("Name", "web", "Offering", "small", "Zone", "z1");

  private static ChangeSet diff(String newTemplate, Map<String, ParameterValue> parameters) {
    ChangeSetResult r = calculator.compute(stack(WEB, DEFAULTS), new UpdateRequest(newTemplate, parameters),
        StackContext.forPlanning("web"));
    assertThat(r).as("%s", r).isInstanceOf(ChangeSetResult.Computed.class);
    return ((ChangeSetResult.Computed) r).changeSet();
  }

  private static List<TemplateError> rejected(String newTemplate, Map<String, ParameterValue> parameters) {
    ChangeSetResult r = calculator.compute(stack(WEB, DEFAULTS), new UpdateRequest(newTemplate, parameters),
        StackContext.forPlanning("web"));
    assertThat(r).as("%s", r).isInstanceOf(ChangeSetResult.Rejected.class);
    return ((ChangeSetResult.Rejected) r).errors();
  }

  private static Map<String, ParameterValue> given(String... kv) {
    Map<String, ParameterValue> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], ParameterValue.parse(kv[i + 1]));
    }
    return out;
  }

  private static ResourceChange only(ChangeSet cs, String logicalId) {
    return cs.changes().stream().filter(c -> c.logicalResourceId().equals(logicalId)).findFirst().orElseThrow(
        () -> new AssertionError(logicalId + " not in " + cs.changes()));
  }

  private static ChangeDetail detail(Attribute a, String name, RequiresRecreation r, Evaluation e, Source s, String cause) {
    return new ChangeDetail(new Target(a, name, r), e, s, cause);
  }

  @Test
  void theSameTemplateAndValuesChangeNothing() {
    ChangeSet cs = diff(WEB, Map.of());
    assertThat(cs.changes()).isEmpty();
    assertThat(cs.noUpdates()).isTrue();
    assertThat(diff(null, given("Name", "UsePreviousValue")).noUpdates()).isTrue();
    assertThat(ChangeSet.NO_UPDATES).isEqualTo("No updates are to be performed.");
  }

  @Test
  void aPropertyTheCloudUpdatesInPlaceIsAModifyWithoutReplacement() {
    ChangeSet cs = diff(WEB.replace("\"templateid\": \"t1\"", "\"templateid\": \"t1\", \"group\": \"g\""), Map.of());
    ResourceChange vm = only(cs, "Vm");
    assertThat(vm.action()).isEqualTo(Action.MODIFY);
    assertThat(vm.physicalResourceId()).isEqualTo("vm-1");
    assertThat(vm.replacement()).isEqualTo(Replacement.FALSE);
    assertThat(vm.scope()).containsExactly(Attribute.PROPERTIES);
    assertThat(vm.details()).containsExactly(detail(Attribute.PROPERTIES, "group", RequiresRecreation.NEVER,
        Evaluation.STATIC, Source.DIRECT_MODIFICATION, null));
    assertThat(cs.changes()).hasSize(1);
    assertThat(cs.noUpdates()).isFalse();
  }

  @Test
  void aParameterChangeIsADynamicDirectModificationAndAStaticParameterReference() {
    ChangeSet cs = diff(null, given("Name", "web2"));
    ResourceChange vm = only(cs, "Vm");
    Target target = new Target(Attribute.PROPERTIES, "displayname", RequiresRecreation.NEVER);
    assertThat(vm.details()).containsExactly(
        new ChangeDetail(target, Evaluation.DYNAMIC, Source.DIRECT_MODIFICATION, null),
        new ChangeDetail(target, Evaluation.STATIC, Source.PARAMETER_REFERENCE, "Name"));
    assertThat(vm.replacement()).isEqualTo(Replacement.FALSE);
    assertThat(cs.parameterValues()).containsEntry("Name", "web2").containsEntry("Offering", "small");
  }

  @Test
  void aServiceOfferingChangeIsAnInterruptionNotAReplacement() {
    ResourceChange vm = only(diff(null, given("Offering", "large")), "Vm");
    assertThat(vm.replacement()).isEqualTo(Replacement.FALSE);
    assertThat(vm.details()).extracting(d -> d.target().name()).containsOnly("serviceofferingid");
  }

  @Test
  void aPropertyNoUpdateApiTakesReplacesTheResourceAndDependentsMayChange() {
    ChangeSet cs = diff(WEB.replace("\"name\": \"web-sg\", \"description\": \"web\"",
        "\"name\": \"web-sg2\", \"description\": \"new\""), Map.of());
    ResourceChange sg = only(cs, "Sg");
    assertThat(sg.replacement()).isEqualTo(Replacement.TRUE);
    assertThat(sg.details()).containsExactly(
        detail(Attribute.PROPERTIES, "name", RequiresRecreation.ALWAYS, Evaluation.STATIC,
            Source.DIRECT_MODIFICATION, null),
        detail(Attribute.PROPERTIES, "description", RequiresRecreation.ALWAYS, Evaluation.STATIC,
            Source.DIRECT_MODIFICATION, null));
    // the VM refers to the group: its new id is only known when the update runs
    ResourceChange vm = only(cs, "Vm");
    assertThat(vm.details()).containsExactly(detail(Attribute.PROPERTIES, "securitygroupids",
        RequiresRecreation.NEVER, Evaluation.DYNAMIC, Source.RESOURCE_REFERENCE, "Sg"));
    assertThat(vm.replacement()).isEqualTo(Replacement.FALSE);
    assertThat(cs.changes()).extracting(ResourceChange::logicalResourceId).containsExactly("Sg", "Vm");
  }

  @Test
  void aReferenceToAReplacedResourceInAPropertyThatReplacesIsAConditionalReplacement() {
    String t = WEB.replace("\"name\": \"web-sg\"", "\"name\": \"web-sg2\"")
        .replace("\"templateid\": \"t1\"", "\"templateid\": {\"Fn::Sub\": \"tpl-${Sg}\"}");
    String before = WEB.replace("\"templateid\": \"t1\"", "\"templateid\": {\"Fn::Sub\": \"tpl-${Sg}\"}");
    ChangeSetResult r = calculator.compute(stack(before, DEFAULTS), new UpdateRequest(t, Map.of()),
        StackContext.forPlanning("web"));
    ChangeSet cs = ((ChangeSetResult.Computed) r).changeSet();
    ResourceChange vm = only(cs, "Vm");
    assertThat(vm.replacement()).isEqualTo(Replacement.CONDITIONAL);
    assertThat(vm.details()).contains(detail(Attribute.PROPERTIES, "templateid", RequiresRecreation.ALWAYS,
        Evaluation.DYNAMIC, Source.RESOURCE_REFERENCE, "Sg"));
  }

  @Test
  void aGetAttOfAModifiedResourceIsADynamicResourceAttributeChange() {
    String before = WEB.replace("\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}",
        "\"Custom\": {\"Type\": \"Custom::Thing\", \"Properties\": {\"ServiceToken\": \"http://x\", "
            + "\"Ip\": {\"Fn::GetAtt\": [\"Vm\", \"ipaddress\"]}}}");
    String after = before.replace("\"templateid\": \"t1\"", "\"templateid\": \"t1\", \"group\": \"g\"");
    ChangeSet cs = ((ChangeSetResult.Computed) calculator.compute(stack(before, DEFAULTS),
        new UpdateRequest(after, Map.of()), StackContext.forPlanning("web"))).changeSet();
    ResourceChange custom = only(cs, "Custom");
    assertThat(custom.details()).containsExactly(detail(Attribute.PROPERTIES, "Ip", RequiresRecreation.NEVER,
        Evaluation.DYNAMIC, Source.RESOURCE_ATTRIBUTE, "Vm.ipaddress"));
  }

  @Test
  void addedAndRemovedResourcesInCloudFormationsOrder() {
    String after = WEB.replace("\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}",
        "\"Handle2\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}");
    ChangeSet cs = diff(after, Map.of());
    assertThat(cs.changes()).containsExactly(
        ResourceChange.remove("Handle", "https://handle", "AWS::CloudFormation::WaitConditionHandle"),
        ResourceChange.add("Handle2", "AWS::CloudFormation::WaitConditionHandle"));
  }

  @Test
  void aConditionTurningFalseRemovesTheResourceAndTurningTrueAddsIt() {
    String conditional = WEB.replace("\"Resources\": {", "\"Conditions\": {\"WithHandle\": {\"Fn::Equals\": "
        + "[{\"Ref\": \"Name\"}, \"web\"]}}, \"Resources\": {")
        .replace("\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}",
            "\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\", \"Condition\": \"WithHandle\"}");
    ChangeSet off = diff(conditional, given("Name", "other"));
    assertThat(only(off, "Handle").action()).isEqualTo(Action.REMOVE);
    ChangeSetResult on = calculator.compute(stack(conditional, Map.of("Name", "other", "Offering", "small",
        "Zone", "z1")), new UpdateRequest(null, given("Name", "web")), StackContext.forPlanning("web"));
    assertThat(only(((ChangeSetResult.Computed) on).changeSet(), "Handle"))
        .isEqualTo(ResourceChange.add("Handle", "AWS::CloudFormation::WaitConditionHandle"));
  }

  @Test
  void deletionPolicyAndMetadataOnlyChangesAreModifiesWithTheirScope() {
    ChangeSet policy = diff(WEB.replace("\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}",
        "\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\", \"DeletionPolicy\": \"Retain\"}"),
        Map.of());
    ResourceChange handle = only(policy, "Handle");
    assertThat(handle.scope()).containsExactly(Attribute.DELETION_POLICY);
    assertThat(handle.replacement()).isEqualTo(Replacement.FALSE);
    assertThat(handle.details()).containsExactly(detail(Attribute.DELETION_POLICY, null, RequiresRecreation.NEVER,
        Evaluation.STATIC, Source.DIRECT_MODIFICATION, null));

    ChangeSet metadata = diff(WEB.replace("\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}",
        "\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\", \"Metadata\": {\"k\": {\"Ref\": \"Name\"}}}"),
        Map.of());
    assertThat(only(metadata, "Handle").scope()).containsExactly(Attribute.METADATA);
  }

  @Test
  void tagsAreTheirOwnScope() {
    ChangeSet cs = diff(WEB.replace("\"templateid\": \"t1\"",
        "\"templateid\": \"t1\", \"tags\": [{\"Key\": \"team\", \"Value\": \"a\"}]"), Map.of());
    ResourceChange vm = only(cs, "Vm");
    assertThat(vm.scope()).containsExactly(Attribute.TAGS);
    assertThat(vm.details()).containsExactly(detail(Attribute.TAGS, null, RequiresRecreation.NEVER,
        Evaluation.STATIC, Source.DIRECT_MODIFICATION, null));
  }

  @Test
  void replacingAResourceThatKeepsItsUniqueNameIsRefusedWithCloudFormationsMessage() {
    List<TemplateError> errors = rejected(WEB.replace("\"description\": \"web\"", "\"description\": \"new\""),
        Map.of());
    assertThat(errors).extracting(TemplateError::path).containsExactly("Resources/Sg/Properties/name");
    assertThat(errors).extracting(TemplateError::message).containsExactly("CloudFormation cannot update a stack when "
        + "a custom-named resource requires replacing. Rename web-sg and update the stack again.");
  }

  @Test
  void aChangedResourceTypeIsRefused() {
    List<TemplateError> errors = rejected(WEB.replace("\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}",
        "\"Handle\": {\"Type\": \"Custom::Handle\", \"Properties\": {\"ServiceToken\": \"http://x\"}}"), Map.of());
    assertThat(errors).extracting(TemplateError::message).containsExactly("Update of resource type is not permitted. "
        + "The new template modifies resource type of the following resources: [Handle]");
  }

  @Test
  void theNewTemplatesPropertiesAreCheckedAsCreateChecksThem() {
    assertThat(rejected(WEB.replace("\"templateid\": \"t1\"", "\"templateid\": \"t1\", \"flavour\": \"x\""),
        Map.of())).extracting(TemplateError::path).containsExactly("Resources/Vm/Properties/flavour");
    assertThat(rejected(WEB.replace("AWS::CloudFormation::WaitConditionHandle", "AWS::Nope::Thing"), Map.of()))
        .extracting(TemplateError::message).singleElement().asString()
        .startsWith("names an unknown resource type 'AWS::Nope::Thing'");
  }

  @Test
  void usePreviousValueKeepsTheStoredValueAndIsRefusedForANewParameter() {
    ChangeSet cs = diff(null, given("Name", "UsePreviousValue", "Offering", "large"));
    assertThat(cs.parameterValues()).containsEntry("Name", "web").containsEntry("Offering", "large");
    assertThat(rejected(null, given("Nope", "UsePreviousValue"))).extracting(TemplateError::message)
        .containsExactly("Invalid input for parameter key Nope. Cannot specify usePreviousValue as true for a "
            + "parameter key not in the previous template");
  }

  @Test
  void anUnchangedNestedStackIsListedAsAutomaticButIsNoUpdate() {
    String nested = WEB.replace("\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}",
        "\"Child\": {\"Type\": \"AWS::CloudFormation::Stack\", \"Properties\": {\"TemplateURL\": \"file:child.json\"}}");
    ChangeSet cs = ((ChangeSetResult.Computed) calculator.compute(stack(nested, DEFAULTS),
        new UpdateRequest(null, Map.of()), StackContext.forPlanning("web"))).changeSet();
    assertThat(only(cs, "Child").details()).containsExactly(detail(Attribute.PROPERTIES, null,
        RequiresRecreation.NEVER, Evaluation.DYNAMIC, Source.AUTOMATIC, null));
    assertThat(cs.noUpdates()).isTrue();
    ChangeSet moved = ((ChangeSetResult.Computed) calculator.compute(stack(nested, DEFAULTS),
        new UpdateRequest(nested.replace("file:child.json", "file:child2.json"), Map.of()),
        StackContext.forPlanning("web"))).changeSet();
    assertThat(only(moved, "Child").details()).containsExactly(detail(Attribute.PROPERTIES, "TemplateURL",
        RequiresRecreation.NEVER, Evaluation.STATIC, Source.DIRECT_MODIFICATION, null));
    assertThat(only(moved, "Child").replacement()).isEqualTo(Replacement.FALSE);
  }

  @Test
  void anOutputOnlyChangeIsAnUpdateWithNoResourceChanges() {
    ChangeSet cs = diff(WEB.replace("\"Outputs\": {\"Vm\": {\"Value\": {\"Ref\": \"Vm\"}}}",
        "\"Outputs\": {\"Vm\": {\"Value\": {\"Ref\": \"Sg\"}}}"), Map.of());
    assertThat(cs.changes()).isEmpty();
    assertThat(cs.noUpdates()).isFalse();
  }

  @Test
  void jsonHasTheAwsCliShape() throws Exception {
    ChangeSet cs = diff(null, given("Name", "web2"));
    JsonNode expected = JSON.readTree("""
        [{"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "Vm",
          "PhysicalResourceId": "vm-1", "ResourceType": "CloudStack::VirtualMachine", "Replacement": "False",
          "Scope": ["Properties"], "Details": [
            {"Target": {"Attribute": "Properties", "Name": "displayname", "RequiresRecreation": "Never"},
             "Evaluation": "Dynamic", "ChangeSource": "DirectModification"},
            {"Target": {"Attribute": "Properties", "Name": "displayname", "RequiresRecreation": "Never"},
             "Evaluation": "Static", "ChangeSource": "ParameterReference", "CausingEntity": "Name"}]}}]
        """);
    assertThat(ChangeSetJson.changes(cs)).isEqualTo(expected);
    JsonNode add = ChangeSetJson.changes(new ChangeSet(List.of(ResourceChange.add("A", "Custom::A")), "{}", List.of(),
        false)).get(0).get("ResourceChange");
    assertThat(add.toString()).isEqualTo("{\"Action\":\"Add\",\"LogicalResourceId\":\"A\",\"ResourceType\":"
        + "\"Custom::A\",\"Scope\":[],\"Details\":[]}");
  }
}
