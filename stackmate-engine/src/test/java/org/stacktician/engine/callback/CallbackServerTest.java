package org.stacktician.engine.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.metadata.ListStackResourceReader;
import org.stacktician.engine.metadata.StackResourceView;
import org.stacktician.testing.HeatCfnTools;
import org.stacktician.engine.waitcondition.InMemorySignalStore;
import org.stacktician.engine.waitcondition.Signal;

/** The callback listener over real HTTP, driven by Debian's heat-cfntools where they are installed. */
class CallbackServerTest {
  static final String STACK_ID = "arn:stacktician:cloudstack:zone1:acct:stack/web/7f0c2a";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static byte[] key = new byte[32];
  static InMemorySignalStore signals = new InMemorySignalStore();
  static List<String> notified = new CopyOnWriteArrayList<>();
  static ListStackResourceReader resources = new ListStackResourceReader();
  static CallbackServer server;
  static UrlSigner signer;

  @BeforeAll
  static void start() throws Exception {
    new SecureRandom().nextBytes(key);
    resources.add(new StackResourceView(STACK_ID, "web", "WebServer", "vm-123", "CloudStack::VirtualMachine",
        "CREATE_COMPLETE", "", JSON.readTree("{\"AWS::CloudFormation::Init\":{\"config\":{\"files\":{\"/etc/motd\":{\"content\":\"hi & <bye>\"}}}}}"),
        "the web server", Instant.parse("2026-01-02T03:04:05.678Z"), null));
    resources.add(new StackResourceView(STACK_ID, "web", "Handle", "http://x/waitcondition/a/b", "AWS::CloudFormation::WaitConditionHandle",
        "CREATE_COMPLETE", null, null, null, Instant.parse("2026-01-02T03:04:00Z"), null));
    server = CallbackServer.start(CallbackServer.Config.loopback(),
        new CallbackRoutes(() -> key, signals, resources, (s, k) -> notified.add(s + "|" + k), null,
        CallbackRoutes.MetadataAccess.OPEN));
    signer = server.urlSigner(() -> key);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> send(String method, String url, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String url) throws Exception {
    return send("GET", url, null);
  }

  static boolean installed(String tool) {
    return Files.isExecutable(Path.of("/usr/bin", tool));
  }

  static Process run(Map<String, String> env, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.toLowerCase().contains("proxy"));
    pb.environment().putAll(env);
    return pb.start();
  }

  static String runOk(Map<String, String> env, String... command) throws Exception {
    Process p = run(env, command);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s exited with output:%n%s", List.of(command), out).isZero();
    return out;
  }

  @Test
  void realCfnSignalDeliversSuccessAndFailureSignals() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(installed("cfn-signal"), "heat-cfntools' cfn-signal is not installed");
    String url = signer.waitConditionUrl(STACK_ID, "WaitHandle").toString();
    assertThat(url).doesNotContain("%2F").contains("/WaitHandle?signature=");
    runOk(Map.of(), "/usr/bin/cfn-signal", "-e", "0", "-r", "LAMP setup complete", "-d", "db ready", "-i", "node-1", url);
    runOk(Map.of(), "/usr/bin/cfn-signal", "-s", "false", "-r", "yum failed", "-i", "node-2", url);

    List<Signal> got = signals.signals(STACK_ID, "WaitHandle");
    assertThat(got).extracting(Signal::uniqueId, Signal::status, Signal::reason, Signal::data).containsExactly(
        org.assertj.core.groups.Tuple.tuple("node-1", Signal.Status.SUCCESS, "LAMP setup complete", "db ready"),
        org.assertj.core.groups.Tuple.tuple("node-2", Signal.Status.FAILURE, "yum failed",
            "Application has completed configuration."));
    assertThat(notified).contains(STACK_ID + "|WaitHandle");
  }

  @Test
  void repeatedUniqueIdReplacesTheEarlierSignal() throws Exception {
    String url = signer.waitConditionUrl(STACK_ID, "Repeat").toString();
    assertThat(send("PUT", url, "{\"Status\":\"SUCCESS\",\"UniqueId\":\"a\",\"Data\":\"one\"}").statusCode()).isEqualTo(200);
    assertThat(send("PUT", url, "{\"Status\":\"SUCCESS\",\"UniqueId\":\"a\",\"Data\":\"two\"}").statusCode()).isEqualTo(200);
    assertThat(signals.signals(STACK_ID, "Repeat")).extracting(Signal::data).containsExactly("two");
  }

  @Test
  void rejectsForgedAndMalformedSignalsWithAMessage() throws Exception {
    String url = signer.waitConditionUrl(STACK_ID, "Guarded").toString();
    String forged = url.replace("Guarded", "Other");
    HttpResponse<String> r = send("PUT", forged, "{\"Status\":\"SUCCESS\",\"UniqueId\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("not valid");
    r = send("PUT", url.substring(0, url.indexOf('?')), "{\"Status\":\"SUCCESS\",\"UniqueId\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(403);

    r = send("PUT", url, "{not json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("not valid JSON");
    r = send("PUT", url, "{\"Status\":\"MAYBE\",\"UniqueId\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("'MAYBE'").contains("SUCCESS or FAILURE");
    r = send("PUT", url, "{\"Status\":\"SUCCESS\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("no UniqueId");
    r = send("PUT", url, "{\"Status\":\"SUCCESS\",\"UniqueId\":\"x\",\"Data\":\"" + "d".repeat(70_000) + "\"}");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(signals.signals(STACK_ID, "Guarded")).isEmpty();
  }

  @Test
  void statusIsMatchedExactlyAndTheBodyMustBeOneJsonObject() throws Exception {
    String url = signer.waitConditionUrl(STACK_ID, "Strict").toString();
    // Case folding would take these for SUCCESS or FAILURE ("ſ" upper-cases to "S"); CloudFormation does not.
    for (String status : List.of("success", "ſuccess", "Success", "FAILED", "failure", " SUCCESS")) {
      HttpResponse<String> r = send("PUT", url, JSON.writeValueAsString(Map.of("Status", status, "UniqueId", "x")));
      assertThat(r.statusCode()).as(status).isEqualTo(400);
      assertThat(r.body()).contains("expected SUCCESS or FAILURE");
    }
    HttpResponse<String> r = send("PUT", url, "{\"Status\":true,\"UniqueId\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Status must be the string");
    for (String junk : List.of("{\"Status\":\"SUCCESS\",\"UniqueId\":\"x\"} trailing",
        "{\"Status\":\"SUCCESS\",\"UniqueId\":\"x\"}{\"Status\":\"FAILURE\",\"UniqueId\":\"x\"}",
        "{\"Status\":\"FAILURE\",\"Status\":\"SUCCESS\",\"UniqueId\":\"x\"}")) {
      r = send("PUT", url, junk);
      assertThat(r.statusCode()).as(junk).isEqualTo(400);
      assertThat(r.body()).contains("exactly one JSON object");
    }
    assertThat(signals.signals(STACK_ID, "Strict")).isEmpty();
    // Whitespace around the one object is fine; exact statuses are accepted.
    assertThat(send("PUT", url, " {\"Status\":\"FAILURE\",\"UniqueId\":\"y\"}\n").statusCode()).isEqualTo(200);
    assertThat(signals.signals(STACK_ID, "Strict")).extracting(Signal::status).containsExactly(Signal.Status.FAILURE);
  }

  @Test
  void customResourceResponsesAreReadJustAsStrictly() throws Exception {
    String url = signer.customResourceResponseUrl(STACK_ID, "Custom", "req-1").toString();
    for (String body : List.of("{\"Status\":\"ſuccess\"}", "{\"Status\":\"failed\"}", "{\"Status\":\"FAILURE\"}",
        "{\"Status\":\"SUCCESS\"} {}", "{\"Status\":\"SUCCESS\",\"Status\":\"FAILED\"}")) {
      HttpResponse<String> r = send("PUT", url, body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.body()).containsAnyOf("expected SUCCESS or FAILED", "exactly one JSON object");
    }
    assertThat(signals.signals(STACK_ID, "Custom#req-1")).isEmpty();
    assertThat(send("PUT", url, "{\"Status\":\"FAILED\",\"Reason\":\"no\"}").statusCode()).isEqualTo(200);
    assertThat(signals.signals(STACK_ID, "Custom#req-1")).extracting(Signal::status).containsExactly(Signal.Status.FAILURE);
  }

  @Test
  void realCfnGetMetadataReadsTheResourceMetadata(@TempDir Path dir) throws Exception {
    try (HeatCfnTools tools = HeatCfnTools.pointAt(server.advertisedUrl(), dir)) {
      JsonNode metadata = JSON.readTree(HeatCfnTools.json(tools.run("cfn-get-metadata", "-s", "web", "-r", "WebServer",
          "--access-key", "AK", "--secret-key", "SK")));
      assertThat(metadata.at("/AWS::CloudFormation::Init/config/files/~1etc~1motd/content").asText()).isEqualTo("hi & <bye>");
      String key = tools.run("cfn-get-metadata", "-s", STACK_ID, "-r", "WebServer",
          "--access-key", "AK", "--secret-key", "SK", "-k", "AWS::CloudFormation::Init");
      assertThat(key).contains("/etc/motd");
    }
  }

  @Test
  void describeStackResourceJsonHasCloudFormationsShape() throws Exception {
    HttpResponse<String> r = get(server.advertisedUrl() + "?Action=DescribeStackResource&StackName=web"
        + "&LogicalResourceId=WebServer&ContentType=JSON&Version=2010-05-15");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode body = JSON.readTree(r.body());
    JsonNode detail = body.at("/DescribeStackResourceResponse/DescribeStackResourceResult/StackResourceDetail");
    assertThat(detail.get("StackId").asText()).isEqualTo(STACK_ID);
    assertThat(detail.get("StackName").asText()).isEqualTo("web");
    assertThat(detail.get("PhysicalResourceId").asText()).isEqualTo("vm-123");
    assertThat(detail.get("ResourceType").asText()).isEqualTo("CloudStack::VirtualMachine");
    assertThat(detail.get("ResourceStatus").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(detail.get("LastUpdatedTimestamp").decimalValue()).isEqualByComparingTo("1767323045.678");
    assertThat(JSON.readTree(detail.get("Metadata").asText()).has("AWS::CloudFormation::Init")).isTrue();
    assertThat(body.at("/DescribeStackResourceResponse/ResponseMetadata/RequestId").asText()).isNotBlank();

    // Accept: application/json alone also selects JSON; POST form bodies work like the query.
    r = send("POST", server.advertisedUrl().toString(), "Action=DescribeStackResource&StackName=" + STACK_ID.replace("/", "%2F")
        + "&LogicalResourceId=WebServer", "Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).at("/DescribeStackResourceResponse/DescribeStackResourceResult/StackResourceDetail/LogicalResourceId").asText())
        .isEqualTo("WebServer");

    // The original StackMate's path.
    r = get(server.advertisedUrl() + "metadata/web/WebServer");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("StackResourceDetail");
    assertThat(get(server.advertisedUrl() + "metadata/web/Nope").statusCode()).isEqualTo(404);
  }

  @Test
  void xmlAnswersAndListActions() throws Exception {
    HttpResponse<String> r = get(server.advertisedUrl() + "?Action=DescribeStackResource&StackName=web&LogicalResourceId=WebServer");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("<DescribeStackResourceResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">")
        .contains("<LastUpdatedTimestamp>2026-01-02T03:04:05.678Z</LastUpdatedTimestamp>")
        .contains("hi &amp; &lt;bye&gt;")
        .contains("<ResponseMetadata><RequestId>");
    assertThat(parsesAsXml(r.body())).isTrue();

    r = get(server.advertisedUrl() + "?Action=DescribeStackResources&StackName=web");
    assertThat(r.body()).contains("<member><StackName>web</StackName>").contains("<LogicalResourceId>Handle</LogicalResourceId>");
    assertThat(parsesAsXml(r.body())).isTrue();

    r = get(server.advertisedUrl() + "v1/?Action=ListStackResources&StackName=web&ContentType=JSON");
    JsonNode summaries = JSON.readTree(r.body()).at("/ListStackResourcesResponse/ListStackResourcesResult/StackResourceSummaries");
    assertThat(summaries).hasSize(2);
    assertThat(summaries.get(1).get("ResourceType").asText()).isEqualTo("AWS::CloudFormation::WaitConditionHandle");

    r = get(server.advertisedUrl() + "?Action=DescribeStackResources&StackName=web&LogicalResourceId=WebServer&ContentType=JSON");
    assertThat(JSON.readTree(r.body()).at("/DescribeStackResourcesResponse/DescribeStackResourcesResult/StackResources")).hasSize(1);
  }

  @Test
  void unknownStacksResourcesAndActionsAreValidationErrors() throws Exception {
    HttpResponse<String> r = get(server.advertisedUrl() + "?Action=DescribeStackResource&StackName=nope&LogicalResourceId=X");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>ValidationError</Code>").contains("Stack with id nope does not exist");
    r = get(server.advertisedUrl() + "?Action=DescribeStackResource&StackName=web&LogicalResourceId=X&ContentType=JSON");
    assertThat(JSON.readTree(r.body()).at("/Error/Message").asText()).isEqualTo("Resource X does not exist for stack web");
    r = get(server.advertisedUrl() + "?Action=DescribeStackResource&StackName=web&ContentType=JSON");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("logicalResourceId");
    r = get(server.advertisedUrl() + "?Action=CreateStack&ContentType=JSON");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("not supported here");
  }

  static boolean parsesAsXml(String xml) throws Exception {
    javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    return true;
  }

  @Test
  void aHandleKeepsAtMostItsBoundOfUniqueIdsAndARepeatStillReplaces() throws Exception {
    String url = signer.waitConditionUrl(STACK_ID, "Flooded").toString();
    for (int i = 0; i < org.stacktician.engine.waitcondition.SignalStore.MAX_SIGNALS_PER_KEY; i++) {
      assertThat(send("PUT", url, "{\"Status\":\"SUCCESS\",\"UniqueId\":\"id-" + i + "\"}").statusCode()).isEqualTo(200);
    }
    HttpResponse<String> more = send("PUT", url, "{\"Status\":\"SUCCESS\",\"UniqueId\":\"one-more\"}");
    assertThat(more.statusCode()).isEqualTo(409);
    assertThat(more.body()).contains("1000 signals with distinct UniqueIds");
    assertThat(send("PUT", url, "{\"Status\":\"FAILURE\",\"UniqueId\":\"id-7\"}").statusCode()).isEqualTo(200);
    assertThat(signals.signals(STACK_ID, "Flooded")).hasSize(1000)
        .filteredOn(x -> x.uniqueId().equals("id-7")).extracting(Signal::status).containsExactly(Signal.Status.FAILURE);
  }

  @Test
  void dataLongerThanCloudFormationsBoundIsRefused() throws Exception {
    String url = signer.waitConditionUrl(STACK_ID, "Big").toString();
    HttpResponse<String> r = send("PUT", url, "{\"Status\":\"SUCCESS\",\"UniqueId\":\"u\",\"Data\":\"" + "é".repeat(2049) + "\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("4096 bytes");
  }
}
