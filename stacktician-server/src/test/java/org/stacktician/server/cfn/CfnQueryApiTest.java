package org.stacktician.server.cfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.server.ApiClient;
import org.stacktician.server.StackticianServer;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.server.demo.DemoSetup;
import org.stacktician.testing.SharedFiles;

/**
 * The CloudFormation Query API over real HTTP on loopback against a real server (H2, the demo
 * cloud): Signature Version 4, every action, AWS's errors, NextToken, NoEcho masking and user
 * isolation; last, every answer of the class is checked against CloudFormation's service model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CfnQueryApiTest {
  static final String WEB = """
      {"Description": "a web tier",
       "Parameters": {"Secret": {"Type": "String", "NoEcho": true, "Default": "unset"},
                      "Env": {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"],
                              "Description": "where it runs"}},
       "Resources": {"Sg": {"Type": "CloudStack::SecurityGroup",
                            "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
                     "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle",
                                "Metadata": {"app": {"port": 80}}},
                     "Wait": {"Type": "AWS::CloudFormation::WaitCondition",
                              "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": "300"}}},
       "Outputs": {"SgId": {"Value": {"Ref": "Sg"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
                   "Hidden": {"Value": {"Ref": "Secret"}}}}
      """;
  static final String IMPORTER = """
      {"Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"Imported": {"Value": {"Fn::ImportValue": "web-sg"}}}}
      """;
  static final String BROKEN = """
      Resources:
        Handle:
          Type: AWS::CloudFormation::WaitConditionHandle
      Outputs:
        Url:
          Value: {"Ref": "Nowhere"}
      """;

  /** The actions the server answers. */
  static final List<String> ACTIONS = List.of("CreateStack", "DeleteStack", "DescribeStacks", "DescribeStackEvents",
      "DescribeStackResource", "DescribeStackResources", "ListStacks", "ListStackResources", "GetTemplate",
      "GetTemplateSummary", "ValidateTemplate", "ListExports", "ListImports", "SignalResource",
      "UpdateTerminationProtection", "CreateChangeSet", "DescribeChangeSet", "ListChangeSets", "DeleteChangeSet",
      "DetectStackDrift", "DescribeStackDriftDetectionStatus", "DescribeStackResourceDrifts", "UpdateStack",
      "RollbackStack");

  StackticianServer server;
  DemoSetup.Credentials demoCreds;
  CfnClient demo;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    server = StackticianServer.start(new ServerConfig(dataDir.resolve("data"), "127.0.0.1", 0, null, null, null, null,
        null, true));
    demoCreds = server.printedCredentials().orElseThrow();
    demo = new CfnClient(server.cfn(), demoCreds.accessKeyId(), demoCreds.secretAccessKey());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  ApiClient rest() {
    return ApiClient.signed(server.api(), demoCreds.accessKeyId(), demoCreds.secretAccessKey());
  }

  /** A new ordinary user (with a cloud account in the demo cloud when {@code withCloud}) and their CFN client. */
  CfnClient newUser(String name, boolean withCloud) {
    ApiClient.Answer made = rest().post("/users", Map.of("name", name, "password", "correct horse battery"));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    JsonNode key = made.body().path("accessKey");
    String id = key.path("accessKeyId").asText();
    String secret = key.path("secretAccessKey").asText();
    if (withCloud) {
      var sim = server.simulator().orElseThrow();
      ApiClient.Answer account = ApiClient.signed(server.api(), id, secret).post("/cloud-accounts", Map.of("name", "c",
          "endpoint", sim.endpoint().toString(), "apiKey", sim.credentials().apiKey(),
          "secretKey", sim.credentials().secretKey()));
      assertThat(account.status()).as(account.text()).isEqualTo(201);
    }
    return new CfnClient(server.cfn(), id, secret);
  }

  /** Polls DescribeStacks until the stack is no longer in progress; its answer. */
  static CfnClient.Answer settled(CfnClient client, String stack) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      CfnClient.Answer a = client.call("DescribeStacks", "StackName", stack);
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      if (!a.first("StackStatus").endsWith("_IN_PROGRESS")) {
        return a;
      }
      assertThat(System.nanoTime()).as("stack " + stack + " still " + a.first("StackStatus")).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  @Order(1)
  void requestsAreSignedWithAnActiveKey() {
    CfnClient.Answer none = demo.post("DescribeStacks", "Action=DescribeStacks&Version=2010-05-15", false);
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.code()).isEqualTo("MissingAuthenticationToken");
    assertThat(none.first("Type")).isEqualTo("Sender");

    CfnClient.Answer wrong = new CfnClient(server.cfn(), demoCreds.accessKeyId(), "not-the-secret")
        .call("DescribeStacks");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.code()).isEqualTo("SignatureDoesNotMatch");
    CfnClient.Answer otherService = new CfnClient(server.cfn(), demoCreds.accessKeyId(), demoCreds.secretAccessKey(),
        "stacktician").call("ListStacks");
    assertThat(otherService.status()).isEqualTo(403);
    assertThat(otherService.message()).isEqualTo("Credential should be scoped to correct service: 'cloudformation'.");
    CfnClient.Answer unknown = new CfnClient(server.cfn(), "STKNOSUCHKEY000000000", "x").call("ListStacks");
    assertThat(unknown.status()).isEqualTo(403);
    assertThat(unknown.code()).isEqualTo("InvalidClientTokenId");

    JsonNode key = rest().post("/access-keys", Map.of("description", "to revoke")).body();
    CfnClient revocable = new CfnClient(server.cfn(), key.path("accessKeyId").asText(),
        key.path("secretAccessKey").asText());
    assertThat(revocable.call("ListStacks").status()).isEqualTo(200);
    assertThat(rest().delete("/access-keys/" + key.path("accessKeyId").asText()).status()).isEqualTo(200);
    CfnClient.Answer revoked = revocable.call("ListStacks");
    assertThat(revoked.status()).isEqualTo(403);
    assertThat(revoked.code()).isEqualTo("InvalidClientTokenId");

    CfnClient.Answer viaGet = demo.get("ListStacks", "Action=ListStacks&Version=2010-05-15");
    assertThat(viaGet.status()).as(viaGet.text()).isEqualTo(200);
    assertThat(viaGet.xml().getDocumentElement().getLocalName()).isEqualTo("ListStacksResponse");
  }

  @Test
  @Order(2)
  void protocolErrorsAreAwsErrors() {
    CfnClient.Answer noAction = demo.post("ListStacks", "Version=2010-05-15", true);
    assertThat(noAction.status()).isEqualTo(400);
    assertThat(noAction.code()).isEqualTo("MissingAction");
    CfnClient.Answer bogus = demo.call("LaunchRockets");
    assertThat(bogus.status()).isEqualTo(400);
    assertThat(bogus.code()).isEqualTo("InvalidAction");
    assertThat(bogus.message()).contains("LaunchRockets", "CreateStack");
    CfnClient.Answer oldVersion = demo.post("ListStacks", "Action=ListStacks&Version=2009-01-01", true);
    assertThat(oldVersion.code()).isEqualTo("NoSuchVersion");
    CfnClient.Answer missing = demo.call("DescribeStackResource", "StackName", "x");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.code()).isEqualTo("ValidationError");
    assertThat(missing.message()).contains("logicalResourceId").contains("must not be null");
    CfnClient.Answer badToken = demo.call("ListStacks", "NextToken", "bm90LW1pbmU");
    assertThat(badToken.code()).isEqualTo("ValidationError");
    assertThat(badToken.message()).contains("NextToken");
    CfnClient.Answer badFilter = demo.call("ListStacks", "StackStatusFilter.member.1", "SIDEWAYS");
    assertThat(badFilter.code()).isEqualTo("ValidationError");
    assertThat(badFilter.message()).contains("SIDEWAYS");
  }

  @Test
  @Order(3)
  void templatesAreValidatedAndSummarized() {
    CfnClient.Answer valid = demo.call("ValidateTemplate", "TemplateBody", WEB);
    assertThat(valid.status()).as(valid.text()).isEqualTo(200);
    assertThat(valid.result("Description")).isEqualTo("a web tier");
    assertThat(valid.all("ParameterKey")).containsExactly("Secret", "Env");
    assertThat(valid.all("DefaultValue")).containsExactly("****", "dev");
    CfnClient.Answer broken = demo.call("ValidateTemplate", "TemplateBody", BROKEN);
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.code()).isEqualTo("ValidationError");
    assertThat(broken.message()).startsWith("Template format error: Outputs/Url/Value/Ref (6:").contains("Nowhere");
    assertThat(demo.call("ValidateTemplate").message()).contains("Template Body");
    assertThat(demo.call("ValidateTemplate", "TemplateURL", "https://example.com/t.json").message())
        .contains("TemplateURL is not supported");

    CfnClient.Answer summary = demo.call("GetTemplateSummary", "TemplateBody", WEB);
    assertThat(summary.status()).as(summary.text()).isEqualTo(200);
    assertThat(summary.all("ResourceTypes").get(0)).contains("CloudStack::SecurityGroup",
        "AWS::CloudFormation::WaitConditionHandle", "AWS::CloudFormation::WaitCondition");
    assertThat(summary.all("ParameterType")).containsExactly("String", "String");
    assertThat(summary.text()).contains("<AllowedValues><member>dev</member><member>prod</member></AllowedValues>");
  }

  @Test
  @Order(4)
  void aStackThroughItsWholeLifeAndIsolatedFromOthers() throws Exception {
    CfnClient.Answer created = demo.call("CreateStack", "StackName", "web", "TemplateBody", WEB,
        "Parameters.member.1.ParameterKey", "Secret", "Parameters.member.1.ParameterValue", "hush-noecho-value",
        "Parameters.member.2.ParameterKey", "Env", "Parameters.member.2.ParameterValue", "prod");
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    String arn = created.first("StackId");
    assertThat(arn).startsWith("arn:").contains(":stack/web/");

    CfnClient.Answer again = demo.call("CreateStack", "StackName", "web", "TemplateBody", WEB);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.code()).isEqualTo("AlreadyExistsException");
    assertThat(again.message()).isEqualTo("Stack [web] already exists");
    CfnClient.Answer invalid = demo.call("CreateStack", "StackName", "broken", "TemplateBody", BROKEN);
    assertThat(invalid.code()).isEqualTo("ValidationError");
    assertThat(invalid.message()).contains("Outputs/Url/Value/Ref (6:");

    // the wait condition waits for a signal, sent through SignalResource
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!demo.call("DescribeStackResource", "StackName", "web", "LogicalResourceId", "Wait").text()
        .contains("CREATE_IN_PROGRESS")) {
      assertThat(System.nanoTime()).as("the wait condition never started").isLessThan(deadline);
      Thread.sleep(200);
    }
    CfnClient.Answer notSignalable = demo.call("SignalResource", "StackName", "web", "LogicalResourceId", "Sg",
        "UniqueId", "i-1", "Status", "SUCCESS");
    assertThat(notSignalable.message()).contains("takes no signals");
    CfnClient.Answer signal = demo.call("SignalResource", "StackName", "web", "LogicalResourceId", "Wait",
        "UniqueId", "i-1", "Status", "SUCCESS");
    assertThat(signal.status()).as(signal.text()).isEqualTo(200);

    CfnClient.Answer done = settled(demo, "web");
    assertThat(done.first("StackStatus")).as(done.text()).isEqualTo("CREATE_COMPLETE");
    assertThat(done.first("StackId")).isEqualTo(arn);
    assertThat(done.text()).contains("<ParameterKey>Secret</ParameterKey><ParameterValue>****</ParameterValue>")
        .contains("<ParameterValue>prod</ParameterValue>").doesNotContain("hush-noecho-value")
        .contains("<OutputKey>Hidden</OutputKey><OutputValue>****</OutputValue>")
        .contains("<ExportName>web-sg</ExportName>");
    assertThat(settled(demo, arn).first("StackName")).isEqualTo("web");

    CfnClient.Answer events = demo.call("DescribeStackEvents", "StackName", "web");
    assertThat(events.all("ResourceStatus").get(0)).as("newest first").isEqualTo("CREATE_COMPLETE");
    assertThat(events.all("LogicalResourceId")).contains("Sg", "Handle", "Wait", "web");
    assertThat(events.text()).doesNotContain("hush-noecho-value");
    CfnClient.Answer resource = demo.call("DescribeStackResource", "StackName", "web", "LogicalResourceId", "Handle");
    assertThat(resource.first("Metadata")).contains("\"port\":80");
    assertThat(demo.call("DescribeStackResources", "StackName", arn).all("LogicalResourceId"))
        .containsExactly("Sg", "Handle", "Wait");
    assertThat(demo.call("DescribeStackResources", "StackName", "web", "LogicalResourceId", "Sg")
        .all("LogicalResourceId")).containsExactly("Sg");
    String sgId = demo.call("DescribeStackResource", "StackName", "web", "LogicalResourceId", "Sg")
        .first("PhysicalResourceId");
    assertThat(demo.call("DescribeStackResources", "PhysicalResourceId", sgId).all("LogicalResourceId"))
        .as("by physical id alone: the stack that holds it").containsExactly("Sg", "Handle", "Wait");
    assertThat(demo.call("DescribeStackResources").message()).contains("Either StackName or PhysicalResourceId");
    assertThat(demo.call("ListStackResources", "StackName", "web").all("ResourceStatus"))
        .containsOnly("CREATE_COMPLETE");
    assertThat(demo.call("DescribeStackResource", "StackName", "web", "LogicalResourceId", "Nope").message())
        .contains("Nope does not exist");
    CfnClient.Answer template = demo.call("GetTemplate", "StackName", "web");
    assertThat(template.first("TemplateBody")).isEqualTo(WEB);
    assertThat(demo.call("GetTemplateSummary", "StackName", "web").result("Description")).isEqualTo("a web tier");
    assertThat(demo.call("GetTemplate", "StackName", "web", "ChangeSetName", "cs1").code())
        .isEqualTo("ChangeSetNotFound");

    // exports and imports
    assertThat(demo.call("ListExports").text()).contains("<Name>web-sg</Name>")
        .contains("<ExportingStackId>" + arn + "</ExportingStackId>");
    CfnClient.Answer noImports = demo.call("ListImports", "ExportName", "web-sg");
    assertThat(noImports.message()).isEqualTo("Export 'web-sg' is not imported by any stack.");
    assertThat(demo.call("CreateStack", "StackName", "importer", "TemplateBody", IMPORTER).status()).isEqualTo(200);
    assertThat(settled(demo, "importer").first("StackStatus")).isEqualTo("CREATE_COMPLETE");
    assertThat(demo.call("ListImports", "ExportName", "web-sg").all("member")).containsExactly("importer");

    // another user: each of the demo user's stacks does not exist, exactly as a missing one
    CfnClient bob = newUser("bob", false);
    CfnClient.Answer ghost = bob.call("DescribeStacks", "StackName", "no-such-stack");
    assertThat(ghost.status()).isEqualTo(400);
    assertThat(ghost.code()).isEqualTo("ValidationError");
    assertThat(ghost.message()).isEqualTo("Stack with id no-such-stack does not exist");
    for (String ref : List.of("web", arn)) {
      for (String[] call : List.of(new String[] {"DescribeStacks"}, new String[] {"DescribeStackEvents"},
          new String[] {"DescribeStackResources"}, new String[] {"ListStackResources"}, new String[] {"GetTemplate"},
          new String[] {"GetTemplateSummary"}, new String[] {"DescribeStackResource", "LogicalResourceId", "Sg"},
          new String[] {"SignalResource", "LogicalResourceId", "Wait", "UniqueId", "x", "Status", "FAILURE"})) {
        String[] args = new String[call.length + 1];
        args[0] = "StackName";
        args[1] = ref;
        System.arraycopy(call, 1, args, 2, call.length - 1);
        CfnClient.Answer a = bob.call(call[0], args);
        assertThat(a.status()).as("bob " + call[0] + " " + ref).isEqualTo(400);
        assertThat(a.message()).as("bob " + call[0] + " " + ref).isEqualTo("Stack with id " + ref + " does not exist");
      }
    }
    CfnClient.Answer byPhysicalId = bob.call("DescribeStackResources", "PhysicalResourceId", sgId);
    assertThat(byPhysicalId.code()).isEqualTo("ValidationError");
    assertThat(byPhysicalId.message()).isEqualTo("Stack for " + sgId + " does not exist");
    assertThat(bob.call("DeleteStack", "StackName", "web").status()).as("as for any missing stack").isEqualTo(200);
    assertThat(bob.call("ListStacks").members("StackSummaries")).isEmpty();
    assertThat(bob.call("DescribeStacks").members("Stacks")).isEmpty();
    assertThat(bob.call("ListExports").members("Exports")).isEmpty();
    assertThat(bob.call("ListImports", "ExportName", "web-sg").code()).isEqualTo("ValidationError");
    assertThat(settled(demo, "web").first("StackStatus")).as("bob's delete did nothing").isEqualTo("CREATE_COMPLETE");

    assertThat(demo.call("ListStacks", "StackStatusFilter.member.1", "CREATE_COMPLETE").members("StackSummaries"))
        .hasSize(2);
    assertThat(demo.call("DeleteStack", "StackName", "web").code()).as("an import holds the export")
        .isEqualTo("ValidationError");
    assertThat(demo.call("DeleteStack", "StackName", "importer").status()).isEqualTo(200);
    assertThat(settled(demo, arnOf("importer")).first("StackStatus")).isEqualTo("DELETE_COMPLETE");
    assertThat(demo.call("DeleteStack", "StackName", "web").status()).isEqualTo(200);
    assertThat(settled(demo, arn).first("StackStatus")).isEqualTo("DELETE_COMPLETE");
    CfnClient.Answer gone = demo.call("DescribeStacks", "StackName", "web");
    assertThat(gone.message()).isEqualTo("Stack with id web does not exist");
    assertThat(demo.call("DescribeStacks", "StackName", arn).first("DeletionTime")).isNotNull();
    assertThat(demo.call("ListStacks", "StackStatusFilter.member.1", "DELETE_COMPLETE").all("StackName"))
        .contains("web", "importer");
    assertThat(demo.call("DeleteStack", "StackName", "web").status()).as("deleting again").isEqualTo(200);
  }

  private String arnOf(String name) {
    return demo.call("ListStacks").members("StackSummaries").stream()
        .filter(m -> m.getElementsByTagName("StackName").item(0).getTextContent().equals(name))
        .map(m -> m.getElementsByTagName("StackId").item(0).getTextContent()).findFirst().orElseThrow();
  }

  @Test
  @Order(5)
  void eventsArePagedWithNextToken() throws Exception {
    StringBuilder t = new StringBuilder("{\"Resources\": {");
    for (int i = 0; i < 55; i++) {
      t.append(i == 0 ? "" : ",").append("\"H").append(i).append("\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}");
    }
    t.append("}}");
    assertThat(demo.call("CreateStack", "StackName", "many", "TemplateBody", t.toString()).status()).isEqualTo(200);
    assertThat(settled(demo, "many").first("StackStatus")).isEqualTo("CREATE_COMPLETE");
    CfnClient.Answer first = demo.call("DescribeStackEvents", "StackName", "many");
    assertThat(first.members("StackEvents")).hasSize(NextToken.PAGE);
    String token = first.first("NextToken");
    assertThat(token).isNotBlank();
    CfnClient.Answer second = demo.call("DescribeStackEvents", "StackName", "many", "NextToken", token);
    assertThat(second.first("NextToken")).isNull();
    Set<String> ids = new HashSet<>(first.all("EventId"));
    ids.addAll(second.all("EventId"));
    assertThat(ids).hasSize(NextToken.PAGE + second.members("StackEvents").size()).hasSizeGreaterThanOrEqualTo(112);
    assertThat(demo.call("DescribeStacks", "NextToken", token).code()).as("a token of another listing")
        .isEqualTo("ValidationError");
    demo.call("DeleteStack", "StackName", "many");
    settled(demo, arnOf("many"));
  }

  @Test
  @Order(5)
  void stacksArePagedWithNextToken() throws Exception {
    CfnClient pager = newUser("pager", true);
    String handle = "{\"Resources\": {\"H\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}}}";
    Set<String> made = new HashSet<>();
    for (int i = 0; i < NextToken.PAGE + 3; i++) {
      assertThat(pager.call("CreateStack", "StackName", "page-" + i, "TemplateBody", handle).status()).isEqualTo(200);
      made.add("page-" + i);
    }
    for (int i = 0; i < NextToken.PAGE + 3; i++) {
      assertThat(settled(pager, "page-" + i).first("StackStatus")).isEqualTo("CREATE_COMPLETE");
    }
    for (String[] listing : List.of(new String[] {"ListStacks", "StackSummaries"},
        new String[] {"ListStacks", "StackSummaries", "StackStatusFilter.member.1", "CREATE_COMPLETE"},
        new String[] {"DescribeStacks", "Stacks"})) {
      String[] filter = java.util.Arrays.copyOfRange(listing, 2, listing.length);
      CfnClient.Answer first = pager.call(listing[0], filter);
      assertThat(first.members(listing[1])).as(listing[0]).hasSize(NextToken.PAGE);
      String token = first.result("NextToken");
      assertThat(token).as(listing[0]).isNotBlank();
      String[] next = java.util.Arrays.copyOf(filter, filter.length + 2);
      next[filter.length] = "NextToken";
      next[filter.length + 1] = token;
      CfnClient.Answer second = pager.call(listing[0], next);
      assertThat(second.members(listing[1])).as(listing[0]).hasSize(3);
      assertThat(second.result("NextToken")).as(listing[0] + ": the last page has no NextToken").isNull();
      List<String> names = new ArrayList<>(first.all("StackName"));
      names.addAll(second.all("StackName"));
      assertThat(names).as(listing[0] + ": each stack once, newest first").containsExactlyInAnyOrderElementsOf(made)
          .startsWith("page-" + (NextToken.PAGE + 2));
    }
    assertThat(pager.call("ListStacks", "StackStatusFilter.member.1", "DELETE_COMPLETE").members("StackSummaries"))
        .isEmpty();
  }

  @Test
  @Order(6)
  void changeSetsAndTerminationProtection() throws Exception {
    String before = """
        {"Parameters": {"Secret": {"Type": "String", "NoEcho": true, "Default": "unset"}},
         "Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}
        """;
    String after = before.replace("}}}", "}, \"H2\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}}}");
    assertThat(demo.call("CreateStack", "StackName", "changing", "TemplateBody", before,
        "EnableTerminationProtection", "true").status()).isEqualTo(200);
    assertThat(settled(demo, "changing").first("EnableTerminationProtection")).isEqualTo("true");
    CfnClient.Answer refused = demo.call("DeleteStack", "StackName", "changing");
    assertThat(refused.code()).isEqualTo("ValidationError");
    assertThat(refused.message()).contains("TerminationProtection");

    CfnClient.Answer made = demo.call("CreateChangeSet", "StackName", "changing", "ChangeSetName", "add-h2",
        "TemplateBody", after, "Description", "one more handle",
        "Parameters.member.1.ParameterKey", "Secret", "Parameters.member.1.ParameterValue", "cs-noecho-value");
    assertThat(made.status()).as(made.text()).isEqualTo(200);
    String id = made.first("Id");
    assertThat(id).contains(":changeSet/add-h2/");
    CfnClient.Answer described = demo.call("DescribeChangeSet", "StackName", "changing", "ChangeSetName", "add-h2");
    assertThat(described.status()).as(described.text()).isEqualTo(200);
    assertThat(described.result("Status")).isEqualTo("CREATE_COMPLETE");
    assertThat(described.result("ExecutionStatus")).isEqualTo("AVAILABLE");
    assertThat(described.text()).contains("<Action>Add</Action><LogicalResourceId>H2</LogicalResourceId>")
        .contains("<ParameterValue>****</ParameterValue>").doesNotContain("cs-noecho-value");
    assertThat(demo.call("DescribeChangeSet", "ChangeSetName", id).result("ChangeSetName")).isEqualTo("add-h2");
    assertThat(demo.call("GetTemplate", "StackName", "changing", "ChangeSetName", "add-h2").first("TemplateBody"))
        .isEqualTo(after);
    CfnClient.Answer twice = demo.call("CreateChangeSet", "StackName", "changing", "ChangeSetName", "add-h2",
        "TemplateBody", after);
    assertThat(twice.code()).isEqualTo("AlreadyExistsException");
    CfnClient.Answer same = demo.call("CreateChangeSet", "StackName", "changing", "ChangeSetName", "nothing",
        "UsePreviousTemplate", "true", "Parameters.member.1.ParameterKey", "Secret",
        "Parameters.member.1.UsePreviousValue", "true");
    assertThat(same.status()).as(same.text()).isEqualTo(200);
    CfnClient.Answer none = demo.call("DescribeChangeSet", "StackName", "changing", "ChangeSetName", "nothing");
    assertThat(none.result("Status")).isEqualTo("FAILED");
    assertThat(none.result("StatusReason")).contains("didn't contain changes");
    assertThat(demo.call("ListChangeSets", "StackName", "changing").all("ChangeSetName"))
        .containsExactly("add-h2", "nothing");

    CfnClient bob = newUser("carol", false);
    assertThat(bob.call("DescribeChangeSet", "StackName", "changing", "ChangeSetName", "add-h2").message())
        .isEqualTo("Stack with id changing does not exist");
    CfnClient.Answer byArn = bob.call("DescribeChangeSet", "ChangeSetName", id);
    assertThat(byArn.status()).isEqualTo(404);
    assertThat(byArn.code()).isEqualTo("ChangeSetNotFound");
    assertThat(bob.call("ListChangeSets", "StackName", "changing").code()).isEqualTo("ValidationError");
    assertThat(bob.call("UpdateTerminationProtection", "StackName", "changing", "EnableTerminationProtection",
        "false").message()).isEqualTo("Stack with id changing does not exist");

    assertThat(demo.call("DeleteChangeSet", "StackName", "changing", "ChangeSetName", "add-h2").status())
        .isEqualTo(200);
    CfnClient.Answer deleted = demo.call("DescribeChangeSet", "StackName", "changing", "ChangeSetName", "add-h2");
    assertThat(deleted.status()).isEqualTo(404);
    assertThat(deleted.code()).isEqualTo("ChangeSetNotFound");
    assertThat(deleted.message()).isEqualTo("ChangeSet [add-h2] does not exist");

    CfnClient.Answer off = demo.call("UpdateTerminationProtection", "StackName", "changing",
        "EnableTerminationProtection", "false");
    assertThat(off.first("StackId")).contains(":stack/changing/");
    assertThat(demo.call("DeleteStack", "StackName", "changing").status()).isEqualTo(200);
    settled(demo, off.first("StackId"));
  }

  @Test
  @Order(8)
  void driftIsDetectedAndDescribed() throws Exception {
    String template = """
        {"Resources": {"Sg": {"Type": "CloudStack::SecurityGroup",
                              "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}}}}
        """;
    assertThat(demo.call("CreateStack", "StackName", "drifting", "TemplateBody", template).status()).isEqualTo(200);
    CfnClient.Answer unchecked = settled(demo, "drifting");
    String arn = unchecked.first("StackId");
    assertThat(unchecked.text()).as("never detected")
        .contains("<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>");
    assertThat(demo.call("DescribeStackResourceDrifts", "StackName", "drifting").members("StackResourceDrifts"))
        .as("never detected").isEmpty();
    assertThat(demo.call("DescribeStackResource", "StackName", "drifting", "LogicalResourceId", "Sg").text())
        .contains("<DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation>");
    CfnClient.Answer detected = demo.call("DetectStackDrift", "StackName", "drifting");
    assertThat(detected.status()).as(detected.text()).isEqualTo(200);
    String id = detected.first("StackDriftDetectionId");
    assertThat(id).isNotBlank();
    CfnClient.Answer status = detectionEnded(demo, id);
    assertThat(status.first("DetectionStatus")).isEqualTo("DETECTION_COMPLETE");
    assertThat(status.first("StackDriftStatus")).isEqualTo("IN_SYNC");
    assertThat(status.first("StackId")).isEqualTo(arn);
    assertDriftInformation(demo.call("DescribeStacks", "StackName", "drifting"), "IN_SYNC", status.first("Timestamp"));
    for (CfnClient.Answer resource : List.of(
        demo.call("DescribeStackResource", "StackName", "drifting", "LogicalResourceId", "Sg"),
        demo.call("DescribeStackResources", "StackName", "drifting"),
        demo.call("ListStackResources", "StackName", "drifting"))) {
      assertResourceDriftInformation(resource, "IN_SYNC", status.first("Timestamp"));
    }
    CfnClient.Answer drifts = demo.call("DescribeStackResourceDrifts", "StackName", "drifting");
    assertThat(drifts.all("LogicalResourceId")).containsExactly("Sg");
    assertThat(drifts.first("StackResourceDriftStatus")).isEqualTo("IN_SYNC");
    assertThat(demo.call("DescribeStackResourceDrifts", "StackName", "drifting",
        "StackResourceDriftStatusFilters.member.1", "MODIFIED").members("StackResourceDrifts")).isEmpty();
    assertThat(demo.call("DescribeStackResourceDrifts", "StackName", "drifting",
        "StackResourceDriftStatusFilters.member.1", "SIDEWAYS").code()).isEqualTo("ValidationError");

    // the security group deleted outside the stack: the stack has drifted
    var sim = server.simulator().orElseThrow();
    try (var cloud = org.stacktician.cloudstack.client.CloudStackClient.builder().endpoint(sim.endpoint())
        .credentials(sim.credentials()).build()) {
      cloud.call("deleteSecurityGroup", Map.of("id", drifts.first("PhysicalResourceId")));
    }
    String second = demo.call("DetectStackDrift", "StackName", "drifting").first("StackDriftDetectionId");
    CfnClient.Answer drifted = detectionEnded(demo, second);
    assertThat(drifted.first("DetectionStatus")).isEqualTo("DETECTION_COMPLETE");
    assertThat(drifted.first("StackDriftStatus")).as(drifted.text()).isEqualTo("DRIFTED");
    assertDriftInformation(demo.call("DescribeStacks", "StackName", "drifting"), "DRIFTED", drifted.first("Timestamp"));
    CfnClient.Answer listed = demo.call("ListStacks", "StackStatusFilter.member.1", "CREATE_COMPLETE");
    assertDriftInformation(listed, "DRIFTED", drifted.first("Timestamp"));
    for (CfnClient.Answer resource : List.of(
        demo.call("DescribeStackResource", "StackName", "drifting", "LogicalResourceId", "Sg"),
        demo.call("DescribeStackResources", "StackName", "drifting"),
        demo.call("ListStackResources", "StackName", "drifting"))) {
      assertResourceDriftInformation(resource, "DELETED", drifted.first("Timestamp"));
    }

    CfnClient eve = newUser("eve", false);
    assertThat(eve.call("DetectStackDrift", "StackName", "drifting").message())
        .isEqualTo("Stack with id drifting does not exist");
    assertThat(eve.call("DescribeStackDriftDetectionStatus", "StackDriftDetectionId", id).code())
        .isEqualTo("ValidationError");
    assertThat(eve.call("DescribeStackResourceDrifts", "StackName", arn).message())
        .isEqualTo("Stack with id " + arn + " does not exist");
    demo.call("DeleteStack", "StackName", "drifting");
    settled(demo, arn);
  }

  /**
   * Polls DescribeStackDriftDetectionStatus until the detection is no longer in progress (DetectStackDrift answers
   * before it ends); its last answer.
   */
  static CfnClient.Answer detectionEnded(CfnClient client, String detectionId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      CfnClient.Answer a = client.call("DescribeStackDriftDetectionStatus", "StackDriftDetectionId", detectionId);
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      assertThat(a.first("StackDriftDetectionId")).isEqualTo(detectionId);
      if (!"DETECTION_IN_PROGRESS".equals(a.first("DetectionStatus"))) {
        return a;
      }
      assertThat(System.nanoTime()).as("detection " + detectionId + " still in progress").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The first stack of the answer has this drift status, last checked at this time (the detection's start). */
  static void assertDriftInformation(CfnClient.Answer a, String status, String checkedAt) {
    assertThat(a.first("StackDriftStatus")).as(a.text()).isEqualTo(status);
    assertThat(java.time.Instant.parse(a.first("LastCheckTimestamp"))).as(a.text())
        .isEqualTo(java.time.Instant.parse(checkedAt));
  }

  /** The first resource of the answer has this drift status, last checked at this time. */
  static void assertResourceDriftInformation(CfnClient.Answer a, String status, String checkedAt) {
    assertThat(a.first("StackResourceDriftStatus")).as(a.text()).isEqualTo(status);
    assertThat(java.time.Instant.parse(a.first("LastCheckTimestamp"))).as(a.text())
        .isEqualTo(java.time.Instant.parse(checkedAt));
  }

  @Test
  @Order(7)
  void stacksAreUpdated() throws Exception {
    String before = """
        {"Parameters": {"Size": {"Type": "String", "Default": "small"}},
         "Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
         "Outputs": {"Size": {"Value": {"Ref": "Size"}}}}
        """;
    String after = before.replace("Handle\"}},", "Handle\"}, \"H2\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}},");
    assertThat(after).contains("H2");
    assertThat(demo.call("CreateStack", "StackName", "updating", "TemplateBody", before).status()).isEqualTo(200);
    String arn = settled(demo, "updating").first("StackId");
    assertThat(demo.call("CancelUpdateStack", "StackName", "updating").code()).as("nothing to cancel")
        .isEqualTo("ValidationError");
    assertThat(demo.call("ContinueUpdateRollback", "StackName", "updating").code()).as("no failed rollback")
        .isEqualTo("ValidationError");

    CfnClient.Answer updated = demo.call("UpdateStack", "StackName", "updating", "TemplateBody", after,
        "Parameters.member.1.ParameterKey", "Size", "Parameters.member.1.ParameterValue", "big");
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(updated.first("StackId")).isEqualTo(arn);
    CfnClient.Answer done = settled(demo, "updating");
    assertThat(done.first("StackStatus")).as(done.text()).isEqualTo("UPDATE_COMPLETE");
    assertThat(done.first("LastUpdatedTime")).isNotNull();
    assertThat(done.text()).contains("<OutputKey>Size</OutputKey><OutputValue>big</OutputValue>");
    assertThat(demo.call("DescribeStackResources", "StackName", "updating").all("LogicalResourceId"))
        .containsExactly("H", "H2");
    CfnClient.Answer again = demo.call("UpdateStack", "StackName", "updating", "UsePreviousTemplate", "true",
        "Parameters.member.1.ParameterKey", "Size", "Parameters.member.1.UsePreviousValue", "true");
    assertThat(again.code()).isEqualTo("ValidationError");
    assertThat(again.message()).isEqualTo("No updates are to be performed.");
    CfnClient stranger = newUser("dave", false);
    assertThat(stranger.call("UpdateStack", "StackName", "updating", "TemplateBody", before).message())
        .isEqualTo("Stack with id updating does not exist");

    // DisableRollback: a failing update stops UPDATE_FAILED with what it made kept
    String failing = before.replace("Handle\"}},", "Handle\"}, \"W\": {\"Type\":"
        + " \"AWS::CloudFormation::WaitCondition\", \"Properties\": {\"Handle\": {\"Ref\": \"H\"}, \"Timeout\": \"1\"}}},");
    assertThat(failing).contains("\"W\"");
    CfnClient.Answer kept = demo.call("UpdateStack", "StackName", "updating", "TemplateBody", failing,
        "DisableRollback", "true");
    assertThat(kept.status()).as(kept.text()).isEqualTo(200);
    CfnClient.Answer failed = settled(demo, "updating");
    assertThat(failed.first("StackStatus")).as(failed.text()).isEqualTo("UPDATE_FAILED");
    assertThat(demo.call("DescribeStackResources", "StackName", "updating").all("LogicalResourceId"))
        .contains("H", "W");
    assertThat(stranger.call("RollbackStack", "StackName", "updating").message())
        .isEqualTo("Stack with id updating does not exist");
    CfnClient.Answer rolling = demo.call("RollbackStack", "StackName", "updating");
    assertThat(rolling.status()).as(rolling.text()).isEqualTo(200);
    assertThat(rolling.first("StackId")).isEqualTo(arn);
    CfnClient.Answer rolledBack = settled(demo, "updating");
    assertThat(rolledBack.first("StackStatus")).as(rolledBack.text()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThat(rolledBack.text()).contains("<OutputKey>Size</OutputKey><OutputValue>big</OutputValue>");
    assertThat(demo.call("DescribeStackResources", "StackName", "updating").all("LogicalResourceId"))
        .containsExactly("H", "H2");
    CfnClient.Answer notFailed = demo.call("RollbackStack", "StackName", "updating");
    assertThat(notFailed.status()).isEqualTo(400);
    assertThat(notFailed.code()).isEqualTo("ValidationError");
    assertThat(notFailed.message()).contains("UPDATE_ROLLBACK_COMPLETE").contains("CREATE_FAILED or UPDATE_FAILED");
    assertThat(demo.call("RollbackStack").message()).contains("stackName");
    demo.call("DeleteStack", "StackName", "updating");
    assertThat(settled(demo, arn).first("StackStatus")).isEqualTo("DELETE_COMPLETE");
  }

  /** A user with several cloud accounts names one with a stack tag, or has a default one. */
  @Test
  @Order(9)
  void aUserWithSeveralCloudAccountsChoosesOneByTagOrDefault() throws Exception {
    var sim = server.simulator().orElseThrow();
    ApiClient.Answer made = rest().post("/users", Map.of("name", "multi", "password", "correct horse battery"));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    JsonNode key = made.body().path("accessKey");
    ApiClient carolRest = ApiClient.signed(server.api(), key.path("accessKeyId").asText(),
        key.path("secretAccessKey").asText());
    CfnClient carol = new CfnClient(server.cfn(), key.path("accessKeyId").asText(), key.path("secretAccessKey").asText());
    Map<String, String> ids = new java.util.HashMap<>();
    for (int i = 0; i < 2; i++) {
      String name = i == 0 ? "first" : "second";
      var tenant = sim.accounts().get(i);
      ApiClient.Answer account = carolRest.post("/cloud-accounts", Map.of("name", name, "endpoint",
          sim.endpoint().toString(), "apiKey", tenant.credentials().apiKey(), "secretKey",
          tenant.credentials().secretKey()));
      assertThat(account.status()).as(account.text()).isEqualTo(201);
      assertThat(account.body().path("default").asBoolean()).isFalse();
      ids.put(name, account.body().path("id").asText());
    }
    String sg = "{\"Resources\": {\"Sg\": {\"Type\": \"CloudStack::SecurityGroup\","
        + " \"Properties\": {\"name\": {\"Fn::Sub\": \"${AWS::StackName}-sg\"}}}}}";

    CfnClient.Answer ambiguous = carol.call("CreateStack", "StackName", "carol-a", "TemplateBody", sg);
    assertThat(ambiguous.status()).isEqualTo(400);
    assertThat(ambiguous.code()).isEqualTo("ValidationError");
    assertThat(ambiguous.message()).contains("2 cloud accounts (first, second)").contains("stacktician:account=NAME")
        .contains("default");
    CfnClient.Answer unknown = carol.call("CreateStack", "StackName", "carol-a", "TemplateBody", sg,
        "Tags.member.1.Key", "stacktician:account", "Tags.member.1.Value", "third");
    assertThat(unknown.code()).isEqualTo("ValidationError");
    assertThat(unknown.message()).contains("no cloud account named 'third'").contains("first, second");

    CfnClient.Answer tagged = carol.call("CreateStack", "StackName", "carol-a", "TemplateBody", sg,
        "Tags.member.1.Key", "owner", "Tags.member.1.Value", "me",
        "Tags.member.2.Key", "stacktician:account", "Tags.member.2.Value", "second");
    assertThat(tagged.status()).as(tagged.text()).isEqualTo(200);
    CfnClient.Answer taggedStack = settled(carol, "carol-a");
    assertThat(taggedStack.first("StackStatus")).isEqualTo("CREATE_COMPLETE");
    assertThat(simulatedAccountOf("carol-a-sg")).isEqualTo(sim.accounts().get(1).name());
    assertThat(taggedStack.text()).as("the account's tag comes back; others are ignored")
        .contains("<Tags><member><Key>stacktician:account</Key><Value>second</Value></member></Tags>");

    ApiClient.Answer madeDefault = carolRest.put("/cloud-accounts/" + ids.get("first"), Map.of("default", true));
    assertThat(madeDefault.status()).as(madeDefault.text()).isEqualTo(200);
    assertThat(madeDefault.body().path("default").asBoolean()).isTrue();
    CfnClient.Answer byDefault = carol.call("CreateStack", "StackName", "carol-b", "TemplateBody", sg);
    assertThat(byDefault.status()).as(byDefault.text()).isEqualTo(200);
    CfnClient.Answer defaultStack = settled(carol, "carol-b");
    assertThat(defaultStack.first("StackStatus")).isEqualTo("CREATE_COMPLETE");
    assertThat(simulatedAccountOf("carol-b-sg")).isEqualTo(sim.accounts().get(0).name());
    assertThat(defaultStack.text()).as("the account chosen by default is shown by its tag too")
        .contains("<Tags><member><Key>stacktician:account</Key><Value>first</Value></member></Tags>");
    String taggedId = taggedStack.first("StackId");
    ApiClient.Answer restView = carolRest.get("/stacks/" + taggedId.substring(taggedId.lastIndexOf('/') + 1));
    assertThat(restView.body().path("cloudAccountId").asText()).isEqualTo(ids.get("second"));
    assertThat(restView.body().path("cloudAccountName").asText()).isEqualTo("second");

    // one default at a time; REST's create follows the same rule
    assertThat(carolRest.put("/cloud-accounts/" + ids.get("second"), Map.of("default", true)).status()).isEqualTo(200);
    assertThat(carolRest.get("/cloud-accounts/" + ids.get("first")).body().path("default").asBoolean()).isFalse();
    ApiClient.Answer restStack = carolRest.post("/stacks", Map.of("name", "carol-c", "templateBody", sg));
    assertThat(restStack.status()).as(restStack.text()).isEqualTo(201);
    assertThat(restStack.body().path("cloudAccountId").asText()).isEqualTo(ids.get("second"));
    assertThat(restStack.body().path("cloudAccountName").asText()).isEqualTo("second");
    ApiClient.Answer chosen = carolRest.post("/stacks", Map.of("name", "carol-d", "templateBody", sg,
        "cloudAccountId", ids.get("first")));
    assertThat(chosen.body().path("cloudAccountId").asText()).isEqualTo(ids.get("first"));
    assertThat(carolRest.put("/cloud-accounts/" + ids.get("second"), Map.of("default", "yes")).status()).isEqualTo(400);
    ApiClient.Answer noDefault = carolRest.put("/cloud-accounts/" + ids.get("second"), Map.of("default", false));
    assertThat(noDefault.body().path("default").asBoolean()).isFalse();
    assertThat(carolRest.post("/stacks", Map.of("name", "carol-e", "templateBody", sg)).body().path("message")
        .asText()).contains("first, second");
    // another user's account is neither choosable nor settable as a default
    assertThat(newUserRest("outsider").put("/cloud-accounts/" + ids.get("first"), Map.of("default", true)).status())
        .isEqualTo(404);
  }

  /** The simulated CloudStack account that holds the security group of this name. */
  String simulatedAccountOf(String securityGroup) {
    return server.simulator().orElseThrow().inventory().created().stream()
        .filter(i -> i.kind().equals("SECURITY_GROUP") && securityGroup.equals(i.name()))
        .map(i -> i.account()).findFirst().orElseThrow(() -> new AssertionError("no security group " + securityGroup));
  }

  ApiClient newUserRest(String name) {
    ApiClient.Answer made = rest().post("/users", Map.of("name", name, "password", "correct horse battery"));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    JsonNode key = made.body().path("accessKey");
    return ApiClient.signed(server.api(), key.path("accessKeyId").asText(), key.path("secretAccessKey").asText());
  }

  /** Conformance: every answer this class got, against CloudFormation's model; every action was answered. */
  @Test
  @Order(99)
  void everyAnswerMatchesTheServiceModel() throws Exception {
    CfnModel model = CfnModel.load(SharedFiles.resolve("reference/aws-cloudformation-api/service-2.json"));
    List<CfnClient.Answer> seen;
    synchronized (CfnClient.SEEN) {
      seen = new ArrayList<>(CfnClient.SEEN);
    }
    List<String> problems = new ArrayList<>();
    Set<String> succeeded = new HashSet<>();
    for (CfnClient.Answer a : seen) {
      problems.addAll(model.check(a));
      if (a.status() == 200) {
        succeeded.add(a.action());
      }
    }
    assertThat(problems).isEmpty();
    assertThat(succeeded).as("every action answered at least once").containsAll(ACTIONS);
  }
}
