package org.stacktician.engine.callback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.testing.HeatCfnTools;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * A listener that guests outside the host can reach (bound to 0.0.0.0) guards metadata, which
 * often holds passwords: an unsigned request is refused, the stack's own {@code
 * CloudStack::StackMateApiURL} and access key work; a NoEcho value stays out of logs, events and
 * describe output.
 */
class GuardedMetadataTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "pw-7f3a91c2-do-not-show";
  static final String TEMPLATE = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"},
                      "DbPassword": {"Type": "String", "NoEcho": true}},
       "Resources": {
         "WebServer": {"Type": "CloudStack::VirtualMachine",
           "Metadata": {"AWS::CloudFormation::Init": {"config": {"files": {"/etc/db.conf": {
               "content": {"Fn::Join": ["", ["password=", {"Ref": "DbPassword"}]]}}}}}},
           "Properties": {"zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
             "serviceofferingid": {"Ref": "OfferingId"}}}},
       "Outputs": {"ApiUrl": {"Value": {"Ref": "CloudStack::StackMateApiURL"}}}}
      """;

  @TempDir Path dir;
  SimulatedCloud cloud;
  LocalEngine local;
  Map<String, String> params = new LinkedHashMap<>();
  ListAppender<ILoggingEvent> logs = new ListAppender<>();
  Logger projectLogger = (Logger) LoggerFactory.getLogger("org.stacktician");
  Level levelBefore;

  @BeforeEach
  void start() {
    levelBefore = projectLogger.getLevel();
    projectLogger.setLevel(Level.TRACE);
    logs.start();
    projectLogger.addAppender(logs);
    cloud = new SimulatedCloud();
    local = LocalEngine.builder(cloud.client).stateDir(dir)
        .callbacks(new CallbackServer.Config("0.0.0.0", 0, null))
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build();
    params.put("ZoneId", cloud.idOf("listZones", "Sandbox-simulator", Map.of()));
    params.put("TemplateId", cloud.idOf("listTemplates", "Ubuntu 22.04 LTS", Map.of("templatefilter", "executable")));
    params.put("OfferingId", cloud.idOf("listServiceOfferings", "Small Instance", Map.of()));
    params.put("DbPassword", SECRET);
  }

  @AfterEach
  void stop() {
    if (local != null) {
      local.close();
    }
    if (cloud != null) {
      cloud.close();
    }
    projectLogger.detachAppender(logs);
    projectLogger.setLevel(levelBefore);
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static String describe(String stack) {
    return "?Action=DescribeStackResource&ContentType=JSON&LogicalResourceId=WebServer&StackName="
        + URLEncoder.encode(stack, StandardCharsets.UTF_8);
  }

  @Test
  void unsignedMetadataRequestsAreRefusedWhileTheStacksOwnUrlAndKeyWork() throws Exception {
    StackRecord stack = local.engine().awaitSettled(
        local.engine().createStack(CreateStackRequest.of("guarded", TEMPLATE, params)).stackId(), Duration.ofSeconds(30));
    assertThat(stack.status()).as(stack.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    String base = local.callbackUrl().toString();

    // Anyone who reaches the listener, without the stack's credential: refused, and told why.
    for (String url : new String[] {base + describe("guarded"), base + "v1/" + describe(stack.stackId()),
        base + "metadata/guarded/WebServer"}) {
      HttpResponse<String> refused = get(url);
      assertThat(refused.statusCode()).as(url).isEqualTo(403);
      assertThat(refused.body()).as(url).contains("needs that stack's metadata URL or access key")
          .doesNotContain(SECRET);
    }

    // CloudStack::StackMateApiURL is the stack's own signed URL; guests append the query to it.
    String apiUrl = stack.outputs().stream().filter(o -> o.key().equals("ApiUrl")).findFirst().orElseThrow().value();
    assertThat(apiUrl).isEqualTo(local.engine().providerContext().urlSigner().orElseThrow()
        .metadataUrl(stack.stackId()).toString()).startsWith(base + UrlSigner.METADATA + "/");
    HttpResponse<String> own = get(apiUrl + describe("guarded"));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    JsonNode detail = JSON.readTree(own.body())
        .at("/DescribeStackResourceResponse/DescribeStackResourceResult/StackResourceDetail");
    assertThat(detail.get("Metadata").asText()).contains("password=" + SECRET);

    // The real cfn-get-metadata: refused with any key but the stack's access key, which opens it.
    if (HeatCfnTools.installed()) {
      try (HeatCfnTools tools = HeatCfnTools.pointAt(local.callbackUrl(), dir)) {
        HeatCfnTools.Result denied = tools.attempt("cfn-get-metadata", "-s", "guarded", "-r", "WebServer",
            "--access-key", "guest", "--secret-key", "unused");
        assertThat(denied.exitCode()).as(denied.output()).isNotZero();
        assertThat(denied.output()).doesNotContain(SECRET);
        String key = local.engine().providerContext().urlSigner().orElseThrow().metadataAccessKey(stack.stackId());
        JsonNode metadata = JSON.readTree(HeatCfnTools.json(tools.run("cfn-get-metadata", "-s", "guarded",
            "-r", "WebServer", "--access-key", key, "--secret-key", "unused")));
        assertThat(metadata.at("/AWS::CloudFormation::Init/config/files/~1etc~1db.conf/content").asText())
            .isEqualTo("password=" + SECRET);
      }
    }

    // NoEcho: masked in describe output, never in events or logs.
    assertThat(stack.parameters()).filteredOn(p -> p.key().equals("DbPassword"))
        .singleElement().satisfies(p -> assertThat(p.displayValue()).isEqualTo("****"));
    assertThat(local.engine().events(stack.stackId(), 0)).isNotEmpty().allSatisfy(e -> assertThat(e.toString())
        .doesNotContain(SECRET));
    StackRecord deleted = local.engine().awaitSettled(local.engine().deleteStack("guarded").stackId(),
        Duration.ofSeconds(30));
    assertThat(deleted.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).doesNotContain(SECRET));
  }
}
