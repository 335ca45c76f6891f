package org.stacktician.cloudstack.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stacktician.cloudstack.client.LoopbackCloudStack.Answer;
import org.stacktician.cloudstack.client.envelope.ResponseEnvelope;

class CloudStackClientTest {

  private LoopbackCloudStack cloud;
  private CloudStackClient client;

  @BeforeEach
  void start() throws IOException {
    cloud = LoopbackCloudStack.start();
    client = cloud.clientBuilder().build();
  }

  @AfterEach
  void stop() {
    client.close();
    cloud.close();
  }

  @Test
  void theAccountKeyNamesTheEndpointAndFingerprintsTheApiKeyWithoutShowingIt() {
    String key = client.accountKey();
    assertThat(key).startsWith(client.endpoint() + "#").doesNotContain(LoopbackCloudStack.API_KEY)
        .matches(".*#[0-9a-f]{16}");
    assertThat(client.masking(java.util.List.of("x")).accountKey()).isEqualTo(key);
    try (CloudStackClient other = cloud.clientBuilder().credentials(new Credentials("another-key", "s")).build();
        CloudStackClient longUrl = CloudStackClient.builder()
            .endpoint(java.net.URI.create("https://cloud.example/" + "p".repeat(400) + "/client/api"))
            .credentials(new Credentials("k", "s")).build()) {
      assertThat(other.accountKey()).isNotEqualTo(key).startsWith(client.endpoint() + "#");
      assertThat(longUrl.accountKey()).hasSizeLessThanOrEqualTo(256).contains("~");
    }
  }

  @Test
  void harmlessSpellingsOfAnEndpointMakeOneAccountKey() {
    java.util.List<String> spellings = java.util.List.of("http://Cloud.Example:80/client/api/",
        "HTTP://cloud.example/client/api", "http://cloud.example/client/api//", "http://user@cloud.example/client/api#top");
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (String spelling : spellings) {
      try (CloudStackClient c = CloudStackClient.builder().endpoint(java.net.URI.create(spelling))
          .credentials(new Credentials("k", "s")).build()) {
        keys.add(c.accountKey());
      }
    }
    assertThat(keys).hasSize(1).allSatisfy(k -> assertThat(k).startsWith("http://cloud.example/client/api#"));
    assertThat(CloudStackClient.canonicalEndpoint(java.net.URI.create("https://h:443/a/?x=Y"))).isEqualTo("https://h/a?x=Y");
    assertThat(CloudStackClient.canonicalEndpoint(java.net.URI.create("https://h:8443/Client/API"))).isEqualTo("https://h:8443/Client/API");
    // Keys recorded before the canonical form still match; another port, path or API key does not.
    String key = keys.iterator().next();
    String fp = key.substring(key.indexOf('#'));
    assertThat(CloudStackClient.sameAccount("http://cloud.example:80/client/api/" + fp, key)).isTrue();
    assertThat(CloudStackClient.sameAccount("http://cloud.example:8080/client/api" + fp, key)).isFalse();
    assertThat(CloudStackClient.sameAccount("http://cloud.example/client" + fp, key)).isFalse();
    assertThat(CloudStackClient.sameAccount("http://cloud.example/client/api#0123456789abcdef", key)).isFalse();
    assertThat(CloudStackClient.sameAccount("no cloud", key)).isFalse();
  }

  @Test
  void readCallsUseSignedGetWithVersion3AndReturnTheInnerObject() {
    cloud.on("listZones", Answer.ok("{\"listzonesresponse\":{\"count\":1,\"zone\":[{\"id\":\"z1\",\"name\":\"Sim\"}]}}"));

    JsonNode inner = client.call("listZones", Map.of("available", "true"));

    assertThat(inner.path("zone").get(0).path("name").asText()).isEqualTo("Sim");
    LoopbackCloudStack.Received r = cloud.received("listZones").getFirst();
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.params()).containsEntry("response", "json").containsEntry("signatureVersion", "3")
        .containsKeys("expires", "signature", "apiKey");
  }

  @Test
  void stateChangingCallsArePostedAsForms() {
    cloud.on("createSecurityGroup", Answer.ok("{\"createsecuritygroupresponse\":{\"securitygroup\":{\"id\":\"sg1\"}}}"));

    JsonNode inner = client.call("createSecurityGroup", Map.of("name", "web"));

    assertThat(ResponseEnvelope.resultObject(inner).orElseThrow().path("id").asText()).isEqualTo("sg1");
    LoopbackCloudStack.Received r = cloud.received("createSecurityGroup").getFirst();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.contentType()).startsWith("application/x-www-form-urlencoded");
    assertThat(r.params()).containsEntry("name", "web");
  }

  @Test
  void userdataIsAlwaysPosted() {
    cloud.on("listVirtualMachines", Answer.ok("{\"listvirtualmachinesresponse\":{}}"));
    client.list("listVirtualMachines", ApiParams.create().putUserData("userdata", "#!/bin/sh\necho hi").build());
    assertThat(cloud.received("listVirtualMachines").getFirst().method()).isEqualTo("POST");
  }

  @Test
  void signatureVersion1OmitsExpires() {
    try (CloudStackClient v1 = cloud.clientBuilder().signatureVersion3(false).build()) {
      cloud.on("listZones", Answer.ok("{\"listzonesresponse\":{}}"));
      assertThat(v1.list("listZones", Map.of())).isEmpty();
    }
    assertThat(cloud.received("listZones").getFirst().params()).doesNotContainKeys("expires", "signatureVersion");
  }

  @Test
  void awkwardValuesMapsListsAndBooleansArriveIntactAndSigned() {
    cloud.on("deployVirtualMachine", Answer.ok("{\"deployvirtualmachineresponse\":{\"id\":\"vm1\",\"jobid\":\"j1\"}}"));
    Map<String, String> params = ApiParams.create()
        .put("displayname", "web server*1 ~a+b/c ünï €")
        .putList("networkids", List.of("n1", "n2"))
        .putBoolean("startvm", false)
        .putTags(Map.of("stacktician:stack-name", "demo"))
        .putDetails("details", Map.of("cpuNumber", 2))
        .build();

    AsyncJobHandle job = client.submit("deployVirtualMachine", params);

    assertThat(job).isEqualTo(new AsyncJobHandle("j1", "vm1", "deployVirtualMachine"));
    assertThat(cloud.received("deployVirtualMachine").getFirst().params())
        .containsEntry("displayname", "web server*1 ~a+b/c ünï €")
        .containsEntry("networkids", "n1,n2")
        .containsEntry("startvm", "false")
        .containsEntry("tags[0].key", "stacktician:stack-name")
        .containsEntry("tags[0].value", "demo")
        .containsEntry("details[0].cpuNumber", "2");
  }

  @Test
  void wrongKeysGiveAClearAuthenticationError() {
    try (CloudStackClient wrong = cloud.clientBuilder()
        .credentials(new Credentials(LoopbackCloudStack.API_KEY, "not-the-secret")).build()) {
      assertThatThrownBy(() -> wrong.call("listZones", Map.of("name", "x")))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.errorCode()).isEqualTo(401);
            assertThat(e.isAuthenticationFailure()).isTrue();
            assertThat(e.command()).isEqualTo("listZones");
            assertThat(e.getMessage()).contains("check the API key and secret key")
                .contains("unable to verify user credentials")
                .doesNotContain("not-the-secret");
          });
    }
  }

  @Test
  void anExpiredRequestIsRejectedWith401() {
    Clock past = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
    try (CloudStackClient stale = cloud.clientBuilder().clock(past).build()) {
      assertThatThrownBy(() -> stale.call("listZones", Map.of()))
          .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "431, 4350, Unable to execute API command deployvirtualmachine due to missing parameter zoneid",
    "530, 4250, Internal error executing command",
    "533, 4335, Unable to create a deployment for VM",
    "536, 4375, Cannot delete group when it's in use by virtual machines",
    "531, 4365, Account does not have permission",
  })
  void errorAnswersBecomeTypedExceptionsWithRedactedParameters(int status, int csErrorCode, String text) {
    cloud.on("deployVirtualMachine", Answer.error(status, "deployVirtualMachine", csErrorCode, text));
    Map<String, String> params = ApiParams.create().put("zoneid", "z1").putUserData("userdata", "secret-script")
        .put("password", "hunter2").build();

    assertThatThrownBy(() -> client.submit("deployVirtualMachine", params))
        .isInstanceOfSatisfying(CloudStackApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(status);
          assertThat(e.errorCode()).isEqualTo(status);
          assertThat(e.csErrorCode()).isEqualTo(csErrorCode);
          assertThat(e.errorText()).isEqualTo(text);
          assertThat(e.command()).isEqualTo("deployVirtualMachine");
          assertThat(e.redactedParams()).containsEntry("zoneid", "z1")
              .containsEntry("userdata", Redaction.MASK).containsEntry("password", Redaction.MASK);
          assertThat(e.getMessage()).contains(String.valueOf(status), text, "zoneid=z1")
              .doesNotContain("hunter2").doesNotContain(LoopbackCloudStack.SECRET_KEY);
        });
    assertThat(cloud.received("deployVirtualMachine")).hasSize(1);
  }

  @Test
  void unknownCommandsUseTheErrorResponseEnvelope() {
    assertThatThrownBy(() -> client.call("listNothing", Map.of()))
        .isInstanceOfSatisfying(CloudStackApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(432);
          assertThat(e.errorText()).isEqualTo("Unknown API command: listNothing");
        });
  }

  @Test
  void nonJsonErrorsUseTheDescriptionHeaderOrBody() {
    cloud.on("listZones", Answer.status(502, "<html>Bad Gateway</html>"));
    assertThatThrownBy(() -> client.call("listZones", Map.of()))
        .isInstanceOfSatisfying(CloudStackApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(502);
          assertThat(e.errorText()).contains("Bad Gateway");
        });
  }

  @Test
  void anHtmlPageWith200IsAProtocolError() {
    cloud.on("listZones", Answer.ok("<html>login</html>"));
    assertThatThrownBy(() -> client.call("listZones", Map.of()))
        .isInstanceOf(CloudStackProtocolException.class)
        .hasMessageContaining("not a CloudStack JSON response");
  }

  @Test
  void anUnreachableEndpointIsReportedClearlyAfterSafeRetries() throws IOException {
    URI closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/client/api");
    }
    try (CloudStackClient unreachable = cloud.clientBuilder().endpoint(closed).build()) {
      // connection refused is safe to retry even for a state-changing call: nothing was sent
      assertThatThrownBy(() -> unreachable.submit("deployVirtualMachine", Map.of("zoneid", "z1")))
          .isInstanceOf(CloudStackTransportException.class)
          .hasMessageContaining("cannot reach CloudStack endpoint " + closed)
          .hasMessageContaining("connection refused")
          .hasMessageContaining("after 3 attempts");
    }
  }

  @Test
  void aDroppedConnectionOnAStateChangingCallIsAnUnknownOutcomeAndNeverResubmitted() {
    cloud.on("deployVirtualMachine", Answer.dropConnection());
    assertThatThrownBy(() -> client.submit("deployVirtualMachine", Map.of("zoneid", "z1", "password", "p")))
        .isInstanceOfSatisfying(CloudStackOutcomeUnknownException.class, e -> {
          assertThat(e.command()).isEqualTo("deployVirtualMachine");
          assertThat(e.redactedParams()).containsEntry("password", Redaction.MASK);
          assertThat(e.getMessage()).contains("may or may not have been carried out", "not resubmitted");
        });
    assertThat(cloud.received("deployVirtualMachine")).hasSize(1);
  }

  @Test
  void aDroppedConnectionOnAReadIsRetried() {
    cloud.on("listZones", Answer.dropConnection(), Answer.ok("{\"listzonesresponse\":{\"count\":1,\"zone\":[{\"id\":\"z\"}]}}"));
    assertThat(client.list("listZones", Map.of())).hasSize(1);
    assertThat(cloud.received("listZones")).hasSize(2);
  }

  @Test
  void aTimeoutOnAStateChangingCallIsAnUnknownOutcome() {
    cloud.on("createNetwork", Answer.delayed(3_000, "{\"createnetworkresponse\":{\"network\":{}}}"));
    try (CloudStackClient impatient = cloud.clientBuilder().requestTimeout(Duration.ofMillis(300)).build()) {
      assertThatThrownBy(() -> impatient.call("createNetwork", Map.of("name", "n")))
          .isInstanceOf(CloudStackOutcomeUnknownException.class)
          .hasMessageContaining("no answer within 300 ms");
    }
    assertThat(cloud.received("createNetwork")).hasSize(1);
  }

  @Test
  void aTimeoutOnAReadIsATransportErrorAfterRetries() {
    cloud.on("listNetworks", Answer.delayed(3_000, "{\"listnetworksresponse\":{}}"));
    try (CloudStackClient impatient = cloud.clientBuilder().requestTimeout(Duration.ofMillis(200))
        .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1))).build()) {
      assertThatThrownBy(() -> impatient.list("listNetworks", Map.of()))
          .isInstanceOf(CloudStackTransportException.class)
          .hasMessageContaining("did not answer listNetworks (no answer within 200 ms) after 2 attempts");
    }
    assertThat(cloud.received("listNetworks")).hasSize(2);
  }

  @Test
  void http503And429AreRetriedEvenForStateChangingCalls() {
    cloud.on("createSecurityGroup",
        Answer.status(503, "Service Unavailable"),
        Answer.error(429, "createSecurityGroup", 4545, "too many requests").withHeader("Retry-After", "0"),
        Answer.ok("{\"createsecuritygroupresponse\":{\"securitygroup\":{\"id\":\"sg\"}}}"));

    JsonNode inner = client.call("createSecurityGroup", Map.of("name", "x"));

    assertThat(ResponseEnvelope.resultKey(inner)).contains("securitygroup");
    assertThat(cloud.received("createSecurityGroup")).hasSize(3);
  }

  @Test
  void persistent503IsReportedAfterTheLastAttempt() {
    cloud.on("listZones", Answer.status(503, ""));
    assertThatThrownBy(() -> client.call("listZones", Map.of()))
        .isInstanceOfSatisfying(CloudStackApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));
    assertThat(cloud.received("listZones")).hasSize(3);
  }

  @Test
  void asyncJobsArePolledUntilTheyFinish() {
    cloud.on("deployVirtualMachine", Answer.ok("{\"deployvirtualmachineresponse\":{\"id\":\"vm1\",\"jobid\":\"j1\"}}"));
    cloud.on("queryAsyncJobResult",
        Answer.ok(job("j1", 0, null)), Answer.ok(job("j1", 0, null)),
        Answer.ok(job("j1", 1, "{\"virtualmachine\":{\"id\":\"vm1\",\"state\":\"Running\"}}")));

    AsyncJobHandle handle = client.submit("deployVirtualMachine", Map.of("zoneid", "z"));
    assertThat(client.queryJob("j1")).isEqualTo(new AsyncJobStatus.Pending("j1", 0));
    JsonNode result = client.await(handle, Duration.ofSeconds(5));

    assertThat(ResponseEnvelope.resultObject(result).orElseThrow().path("state").asText()).isEqualTo("Running");
    assertThat(cloud.received("queryAsyncJobResult")).hasSize(3)
        .allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
  }

  @Test
  void aFailedJobCarriesItsCodeAndText() {
    cloud.on("deleteNetwork", Answer.ok("{\"deletenetworkresponse\":{\"jobid\":\"j2\"}}"));
    cloud.on("queryAsyncJobResult", Answer.ok(job("j2", 2,
        "{\"errorcode\":536,\"errortext\":\"Network is in use by VMs\"}")));

    assertThatThrownBy(() -> client.submitAndAwait("deleteNetwork", Map.of("id", "n"), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(AsyncJobFailedException.class, e -> {
          assertThat(e.jobId()).isEqualTo("j2");
          assertThat(e.errorCode()).isEqualTo(536);
          assertThat(e.errorText()).isEqualTo("Network is in use by VMs");
          assertThat(e.command()).isEqualTo("deleteNetwork");
        });
  }

  @Test
  void aJobThatNeverFinishesTimesOut() {
    cloud.on("queryAsyncJobResult", Answer.ok(job("j3", 0, null)));
    AsyncJobHandle handle = new AsyncJobHandle("j3", null, "createVolume");
    long started = System.nanoTime();
    assertThatThrownBy(() -> client.await(handle, Duration.ofMillis(300)))
        .isInstanceOfSatisfying(AsyncJobTimeoutException.class, e -> {
          assertThat(e.jobId()).isEqualTo("j3");
          assertThat(e.getMessage()).contains("did not finish within PT0.3S");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
    // adaptive back-off: intervals grow from 5 ms to 20 ms, so far fewer polls than 300/5
    assertThat(cloud.received("queryAsyncJobResult").size()).isBetween(3, 40);
  }

  @Test
  void submitWithoutJobIdIsAProtocolError() {
    cloud.on("createSSHKeyPair", Answer.ok("{\"createsshkeypairresponse\":{\"keypair\":{\"name\":\"k\"}}}"));
    assertThatThrownBy(() -> client.submit("createSSHKeyPair", Map.of("name", "k")))
        .isInstanceOf(CloudStackProtocolException.class).hasMessageContaining("without a jobid");
  }

  @Test
  void listAllReadsEveryPage() {
    cloud.on("listTemplates",
        Answer.ok("{\"listtemplatesresponse\":{\"count\":3,\"template\":[{\"id\":\"1\"},{\"id\":\"2\"}]}}"),
        Answer.ok("{\"listtemplatesresponse\":{\"count\":3,\"template\":[{\"id\":\"3\"}]}}"));
    List<JsonNode> all = client.listAll("listTemplates", Map.of("templatefilter", "all"), 2);
    assertThat(all).extracting(n -> n.path("id").asText()).containsExactly("1", "2", "3");
    assertThat(cloud.received("listTemplates")).extracting(r -> r.params().get("page")).containsExactly("1", "2");
  }

  @Test
  void reservedParametersAreRejected() {
    assertThatThrownBy(() -> client.call("listZones", Map.of("apikey", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set by the client");
  }

  @Test
  void builderRejectsBadEndpoints() {
    assertThatThrownBy(() -> CloudStackClient.builder().endpoint(URI.create("ftp://x/client/api")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s) URL");
    assertThat(new Credentials("k", "s").toString()).doesNotContain("=s]").contains("****");
  }

  static String job(String jobId, int status, String result) {
    return "{\"queryasyncjobresultresponse\":{\"accountid\":\"a\",\"userid\":\"u\",\"cmd\":\"x\",\"jobstatus\":" + status
        + ",\"jobprocstatus\":0,\"jobresultcode\":" + (status == 2 ? 530 : 0)
        + (result == null ? "" : ",\"jobresulttype\":\"object\",\"jobresult\":" + result)
        + ",\"jobid\":\"" + jobId + "\"}}";
  }
}
