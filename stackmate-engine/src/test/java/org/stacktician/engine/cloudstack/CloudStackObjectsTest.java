package org.stacktician.engine.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.engine.testing.SimulatedCloud;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;
import org.stacktician.template.rules.RuleChecker;

/**
 * Fn::RefAll, Fn::ValueOf and Fn::ValueOfAll evaluated against a simulator over HTTP, with
 * CloudFormation's documented uses rewritten for CloudStack-aware parameter types: zones by name and
 * their network type, a network's tag and zone, a service offering's CPUs in a RuleCondition.
 */
class CloudStackObjectsTest {
  static final String TEMPLATE = """
      Parameters:
        Zone: {Type: CloudStack::Zone::Id}
        Nets: {Type: List<CloudStack::Network::Id>}
        Offering: {Type: CloudStack::ServiceOffering::Name}
      Rules:
        zones:
          Assertions:
            - Assert: !Contains [!RefAll CloudStack::Zone::Name, !ValueOf [Zone, name]]
              AssertDescription: the zone must be one of the cloud's
            - Assert: !EachMemberEquals [!ValueOfAll [CloudStack::Zone::Id, networktype], Advanced]
              AssertDescription: zones must be Advanced
        nets:
          Assertions:
            - Assert: !EachMemberEquals [!ValueOf [Nets, Tags.Department], IT]
              AssertDescription: every network must belong to IT
            - Assert: !EachMemberEquals [!ValueOf [Nets, zoneid], !Ref Zone]
              AssertDescription: the networks must be in the zone
        offering:
          RuleCondition: !Equals [!ValueOf [Offering, cpunumber], 1]
          Assertions:
            - Assert: !Contains [[Small Instance, Medium Instance], !Ref Offering]
              AssertDescription: a one-CPU offering must be Small Instance or Medium Instance
      Resources:
        Sg: {Type: CloudStack::SecurityGroup, Properties: {name: web}}
      """;

  static SimulatedCloud cloud;
  static ApiCatalog apis;
  static String zone;
  static String itNet;
  static String otherNet;

  @BeforeAll
  static void start() {
    cloud = new SimulatedCloud();
    apis = cloud.client.discover();
    zone = cloud.idOf("listZones", "Sandbox-simulator", Map.of());
    String offering = cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService", Map.of());
    itNet = network("it", offering);
    otherNet = network("other", offering);
    cloud.client.submitAndAwait("createTags", Map.of("resourceids", itNet, "resourcetype", "Network",
        "tags[0].key", "Department", "tags[0].value", "IT"), Duration.ofSeconds(30));
  }

  private static String network(String name, String offering) {
    return cloud.client.call("createNetwork", Map.of("name", name, "displaytext", name, "zoneid", zone,
        "networkofferingid", offering)).path("network").path("id").asText();
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  private static Template template(String text) {
    return ((LoadResult.Loaded) TemplateLoader.load(text, "rules.yaml")).template();
  }

  /** The errors planning {@code text} with these values gives, the rules asking the simulator. */
  private static List<String> planErrors(String text, Map<String, String> values) {
    StackContext context = StackContext.forPlanning("rules").withCloudObjects(CloudStackObjects.of(cloud.client, apis));
    PlanResult r = Planner.plan(template(text), new ParameterInput(values), context);
    return r instanceof PlanResult.Rejected rejected
        ? rejected.errors().stream().map(e -> e.path() + ": " + e.message()).toList() : List.of();
  }

  private static Map<String, String> values(String nets, String offering) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("Zone", zone);
    v.put("Nets", nets);
    v.put("Offering", offering);
    return v;
  }

  @Test
  void assertionsThatHoldInTheCloudPass() {
    assertThat(planErrors(TEMPLATE, values(itNet, "Small Instance"))).isEmpty();
    // Two CPUs: the offering rule's condition is false, so its assertion is not applied.
    assertThat(planErrors(TEMPLATE, values(itNet, "Large Instance"))).isEmpty();
  }

  @Test
  void assertionsThatAreFalseInTheCloudRefuseTheStackWithTheirDescription() {
    assertThat(planErrors(TEMPLATE, values(itNet + "," + otherNet, "t1.micro"))).containsExactly(
        "Rules/nets/Assertions/0: every network must belong to IT",
        "Rules/offering/Assertions/0: a one-CPU offering must be Small Instance or Medium Instance");
    String elsewhere = cloud.idOf("listZones", "Sandbox-simulator-2", Map.of());
    Map<String, String> v = values(itNet, "Small Instance");
    v.put("Zone", elsewhere);
    assertThat(planErrors(TEMPLATE, v)).containsExactly(
        "Rules/nets/Assertions/1: the networks must be in the zone");
  }

  @Test
  void whatTheCloudCannotAnswerFailsTheAssertionSayingWhy() {
    assertThat(planErrors(TEMPLATE.replace("[Zone, name]", "[Zone, nme]"), values(itNet, "Small Instance")))
        .containsExactly("Rules/zones/Assertions/0: Fn::ValueOf [Zone, nme]: Zone objects (listZones) have no "
            + "attribute 'nme'; did you mean 'name'? (Tags.<key> reads one of their tags)");
    Map<String, String> v = values(itNet, "Small Instance");
    v.put("Zone", "00000000-0000-0000-0000-000000000000");
    assertThat(planErrors(TEMPLATE, v)).contains(
        "Rules/zones/Assertions/0: Fn::ValueOf [Zone, name]: no Zone of this cloud has that id");
    assertThat(planErrors(TEMPLATE.replace("!RefAll CloudStack::Zone::Name", "!RefAll AWS::EC2::VPC::Id"),
        values(itNet, "Small Instance"))).containsExactly("Rules/zones/Assertions/0: Fn::RefAll: AWS::EC2::VPC::Id "
            + "names no CloudStack object; on CloudStack use a CloudStack-aware type such as CloudStack::Zone::Name, "
            + "CloudStack::ServiceOffering::Id or CloudStack::Network::Id");
    assertThat(CloudStackObjects.problem(apis, new org.stacktician.template.ParameterType.CloudStackReference(
        "Gizmo", org.stacktician.template.ParameterType.IdOrName.ID), null))
        .contains("this cloud has no API that lists Gizmo objects (looked for listGizmos, listGizmoes)");
  }

  @Test
  void withoutACloudTheAssertionsThatNeedItAreUndecidedAndSaySo() {
    Template t = template(TEMPLATE);
    PlanResult planned = Planner.plan(t, new ParameterInput(values(itNet + "," + otherNet, "t1.micro")),
        StackContext.forPlanning("x"));
    assertThat(planned).as("offline, nothing the cloud would refuse is decided").isInstanceOf(PlanResult.Planned.class);
    RuleChecker.Outcome outcome = RuleChecker.evaluate(t, ((PlanResult.Planned) planned).plan().parameters(),
        StackContext.forPlanning("x"));
    assertThat(outcome.failed()).isEmpty();
    assertThat(outcome.undecided()).extracting(TemplateError::path).containsExactly("Rules/zones/Assertions/0",
        "Rules/zones/Assertions/1", "Rules/nets/Assertions/0", "Rules/nets/Assertions/1",
        "Rules/offering/RuleCondition");
    assertThat(outcome.undecided().get(0).message()).isEqualTo("Fn::RefAll, Fn::ValueOf cannot be evaluated "
        + "offline: needs the cloud (the assertion is checked when the stack is created or updated, or planned with "
        + "a cloud)");
  }
}
